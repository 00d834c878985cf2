/// \file peer_pair.hpp
/// \brief Two of our PeerConnections on 127.0.0.1, for tests and benchmarks of Switchboard
/// against itself: one GlibLoop and io_context for both, sides that record what their
/// callbacks report, the offer/answer exchange (a offers, b answers) and a bounded run of
/// the io_context. Optionally through a UdpRelay, a being its gateway side.
#pragma once

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <switchboard/errors.hpp>

#include "rtc/ice/glib_loop.hpp"
#include "rtc/peer_connection.hpp"

namespace switchboard::test {

class UdpRelay;

class PeerPair {
public:
    /// One PeerConnection and what its callbacks reported.
    struct Side {
        std::unique_ptr<rtc::PeerConnection> pc;
        bool gathered = false;
        rtc::PeerConnectionState state = rtc::PeerConnectionState::new_;
        std::string reason;  ///< the last non-empty one
        int frames = 0;      ///< video frames received
        std::vector<std::chrono::steady_clock::time_point> keyframe_requests;
    };

    /// A test's changes to one side before it is created: config options, and callbacks of
    /// its own, which run after the side has recorded the event.
    using Tweak = std::function<void(rtc::PeerConnectionConfig&, rtc::PeerConnection::Callbacks&)>;

    /// With `relay`, each side is given the other's candidates through it, so every packet
    /// passes it. run_until() runs the io_context `slice` at a time between checks.
    explicit PeerPair(UdpRelay* relay = nullptr, std::chrono::milliseconds slice = std::chrono::milliseconds(2));
    /// Closes both sides and lets the close run.
    ~PeerPair();
    PeerPair(const PeerPair&) = delete;
    PeerPair& operator=(const PeerPair&) = delete;

    /// Creates `side`'s PeerConnection, gathering on 127.0.0.1 only.
    Result<void> make(Side& side, const Tweak& tweak = {});
    /// Offer from a, answer from b (`edit_answer` may change it on the way), candidates
    /// inside the descriptions. Does not wait for the connection.
    Result<void> connect(const std::function<void(std::string&)>& edit_answer = {});
    /// Runs the io_context until `done` or `limit`; returns done().
    bool run_until(const std::function<bool()>& done, std::chrono::milliseconds limit);
    bool connected() const;
    /// Both sides' state and reason, for failure messages.
    std::string describe() const;
    void close();

    rtc::GlibLoop loop;
    boost::asio::io_context io;
    Side a, b;

private:
    UdpRelay* m_relay;
    std::chrono::milliseconds m_slice;
};

}  // namespace switchboard::test
