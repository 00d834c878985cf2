/// \file rtsp_session.hpp
/// \brief One playing session with a camera (RFC 2326): OPTIONS, DESCRIBE, SETUP for
/// each track, PLAY, then keep-alives until stop() sends TEARDOWN.
///
/// Media comes over the RTSP connection (interleaved, the default: one TCP flow that
/// crosses NATs and loses nothing) or over UDP port pairs. The session is kept alive at
/// half the camera's session timeout with GET_PARAMETER when the camera lists it in
/// OPTIONS, else OPTIONS (older cameras); the receiver reports the owner sends through
/// send_rtcp() count as liveness for some cameras but not all, so the keep-alive is
/// always sent.
///
/// Anything that ends the session (the connection drops, a request fails or times out)
/// is reported once through on_ended; the owner decides about reconnecting. Runs on one
/// serial executor; after stop() no event is delivered.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include "rtsp/client/camera_description.hpp"
#include "rtsp/client/rtsp_connection.hpp"
#include "rtsp/client/udp_ports.hpp"
#include "rtsp/protocol/rtsp_transport.hpp"

namespace switchboard::rtsp {

enum class MediaTransport { tcp, udp };

struct SessionOptions {
    ConnectionOptions connection;
    MediaTransport transport = MediaTransport::tcp;
};

struct SessionEvents {
    /// The camera described itself; SETUP follows for every track.
    std::function<void(const CameraDescription&)> on_described;
    /// PLAY was answered: media flows.
    std::function<void()> on_playing;
    /// A packet of track `track` (index into CameraDescription::tracks); the bytes are
    /// valid during the call.
    std::function<void(std::size_t track, bool rtcp, std::span<const std::uint8_t> packet)> on_packet;
    /// The session ended; `error` says why.
    std::function<void(const Error& error)> on_ended;
};

class RtspSession : public std::enable_shared_from_this<RtspSession> {
public:
    static std::shared_ptr<RtspSession> create(boost::asio::any_io_executor executor, SessionOptions options,
                                               SessionEvents events);
    ~RtspSession();
    RtspSession(const RtspSession&) = delete;
    RtspSession& operator=(const RtspSession&) = delete;

    void start();
    /// Our RTCP (receiver reports) for a track, on its channel or RTCP port.
    void send_rtcp(std::size_t track, std::span<const std::uint8_t> packet);
    /// Sends TEARDOWN (without waiting long for the answer) and closes; no event after.
    void stop() noexcept;

    /// The camera's session timeout, once SETUP said it.
    std::chrono::seconds session_timeout() const noexcept { return m_timeout; }
    /// Keep-alive requests sent so far.
    std::uint64_t keepalives() const noexcept { return m_keepalives; }

private:
    struct TrackTransport {
        TransportSpec granted;
        std::shared_ptr<UdpPorts> udp;
    };

    RtspSession(boost::asio::any_io_executor executor, SessionOptions options, SessionEvents events);

    RtspRequest make_request(std::string method, std::string uri) const;
    void options();
    void describe();
    void setup(std::size_t track);
    void play();
    void arm_keepalive();
    void on_interleaved(std::uint8_t channel, std::span<const std::uint8_t> packet);
    /// Checks a response's status; on failure ends the session and returns false.
    bool expect_ok(const Result<RtspResponse>& r, std::string_view what);
    void end(const Error& error);

    boost::asio::any_io_executor m_executor;
    SessionOptions m_options;
    SessionEvents m_events;
    std::shared_ptr<RtspConnection> m_connection;
    std::optional<CameraDescription> m_description;
    std::vector<TrackTransport> m_transports;
    std::string m_session_id;
    std::chrono::seconds m_timeout{60};
    bool m_get_parameter = false;  ///< the camera listed GET_PARAMETER in OPTIONS
    std::string m_aggregate_url;   ///< for PLAY, TEARDOWN and keep-alives
    boost::asio::steady_timer m_keepalive;
    std::uint64_t m_keepalives = 0;
    bool m_ended = false;
};

}  // namespace switchboard::rtsp
