/// \file ice_transport.hpp
/// \brief ICE (RFC 8445) for one peer connection on libnice: full ICE, both roles,
/// trickle in both directions (RFC 8838), end-of-candidates, STUN/TURN, consent
/// freshness (RFC 7675), restart. One stream with one component: BUNDLE + rtcp-mux only.
///
/// Threads. libnice runs on the GlibLoop's thread; nothing of GLib leaks out of this
/// class. Every callback is posted to the owner's executor, which must be a strand (or an
/// io_context run by one thread): callbacks never run on the GLib thread or inside one of
/// our methods, and the connection timer lives there too. The methods may be called from
/// any thread but the GLib thread (libnice's agent has its own lock); the owner normally
/// calls them on its strand. send() is made to be called from media threads.
///
/// Closing. After close() returns, no callback runs that had not already started: events
/// already posted check a closed flag on the strand and are dropped (called from the
/// strand, close() therefore guarantees silence outright). The agent itself is released
/// on the GLib thread, where its sockets and timers live, so a late libnice event can
/// never find a freed transport: close() waits for one round trip of the GLib loop (never
/// for the strand). close() is safe from inside a callback. The destructor
/// calls close(); destroy the transport from any thread except the GLib thread, and
/// before the GlibLoop.
///
/// The connection timeout. libnice in trickle mode waits for more candidates for as long
/// as the peer has not said end-of-candidates, so a peer that never answers would leave
/// us checking forever: a timer armed when checks can begin (remote credentials known)
/// fails the transport when no pair connected in time.
#pragma once

#include <boost/asio/any_io_executor.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <switchboard/errors.hpp>
#include <switchboard/log.hpp>

#include "rtc/sdp/candidate.hpp"

namespace switchboard::rtc {

class GlibLoop;

/// The W3C RTCIceTransportState values this transport reports.
enum class IceState { new_, checking, connected, completed, failed, closed };

std::string_view to_string(IceState s);

/// The local or remote ice-ufrag and ice-pwd (RFC 8839 §5.4).
struct IceCredentials {
    std::string ufrag;
    std::string pwd;
};

/// A TURN server (RFC 8656). The host is a numeric IP address: libnice does not resolve
/// names, so the owner resolves them (asynchronously) before building the config.
struct TurnServer {
    enum class Transport { udp, tcp };
    std::string host;
    std::uint16_t port = 3478;
    std::string username;
    std::string password;
    Transport transport = Transport::udp;
};

struct IceConfig {
    /// The offerer controls (RFC 8445 §6.1.1, JSEP §5.2.1).
    bool controlling = false;
    /// Only these local IP addresses are gathered ({"127.0.0.1"} in tests); empty: every
    /// interface libnice finds.
    std::vector<std::string> gather_addresses;
    /// A STUN server for server-reflexive candidates; numeric IP address.
    std::optional<std::string> stun_host;
    std::uint16_t stun_port = 3478;
    std::vector<TurnServer> turn_servers;
    /// Relay candidates only (W3C iceTransportPolicy "relay", libnice's force-relay):
    /// no host or server-reflexive candidate is offered or paired, so every packet goes
    /// through a TURN server, e.g. to keep the local addresses private.
    bool relay_only = false;
    /// ICE-TCP (RFC 6544) candidates; off as browsers rarely need them.
    bool ice_tcp = false;
    /// RFC 7675 consent freshness: libnice sends a consent check every ~5 s and fails the
    /// transport after 30 s without answer (libnice's fixed timers). Without it libnice
    /// only sends keepalives (RFC 8445 §11) and never notices a vanished peer.
    bool consent_freshness = true;
    /// Checking for longer than this (from the moment remote credentials are set, or
    /// from a restart) without a connected pair fails the transport.
    std::chrono::milliseconds connection_timeout{std::chrono::seconds(30)};
    /// Optional; debug lines (skipped candidates, state changes) and warnings go here.
    std::shared_ptr<Logger> log;
};

class IceTransport {
public:
    /// Posted to the executor, never called on the GLib thread. All optional.
    struct Callbacks {
        /// A local candidate to trickle to the peer.
        std::function<void(const sdp::Candidate&)> on_local_candidate;
        /// Local gathering finished: signal end-of-candidates.
        std::function<void()> on_gathering_done;
        /// The transport's state changed.
        std::function<void(IceState)> on_state;
        /// One datagram from the peer (DTLS, SRTP, SRTCP; STUN is libnice's).
        std::function<void(std::span<const std::uint8_t>)> on_data;
    };

    /// Creates the agent and its stream (not yet gathering). Fails (invalid) on a bad
    /// address in the config, (runtime) when libnice refuses.
    [[nodiscard]] static Result<std::unique_ptr<IceTransport>> create(GlibLoop& loop,
                                                                      boost::asio::any_io_executor executor,
                                                                      IceConfig config, Callbacks callbacks);
    ~IceTransport();
    IceTransport(const IceTransport&) = delete;
    IceTransport& operator=(const IceTransport&) = delete;

    /// Our ufrag and pwd for the description; new ones after restart().
    IceCredentials local_credentials() const;
    /// Starts gathering; candidates and then gathering-done arrive through the callbacks.
    Result<void> gather();
    /// The peer's ufrag and pwd from its description. Candidates added before are applied
    /// now. New credentials after earlier ones mean the peer restarted ICE: we restart
    /// too (new local credentials, which the answer must carry).
    Result<void> set_remote_credentials(const IceCredentials& remote);
    /// A candidate from the description or trickled. Kept until the remote credentials
    /// are known. mDNS (".local") and other name candidates are skipped with a debug
    /// line: the peer's checks reach us anyway and become peer-reflexive (RFC 8445 §7.3.1.3).
    /// Only component 1 is used (rtcp-mux); others are skipped too.
    void add_remote_candidate(const sdp::Candidate& candidate);
    /// The peer's end-of-candidates (RFC 8838 §8.2): checks may now fail for good.
    void remote_end_of_candidates();
    /// Sends one datagram on the selected pair. Thread-safe, never blocks; false when not
    /// connected, closed, or the socket would block.
    bool send(std::span<const std::uint8_t> datagram);
    /// Sends several datagrams in one call (libnice's sendmmsg path: one lock and one
    /// system call for a frame's packets instead of one each). Returns how many left, in
    /// order; fewer when not connected, closed, or the socket would block.
    std::size_t send_batch(std::span<const std::span<const std::uint8_t>> datagrams);
    /// Like send(), but before the first pair is selected the datagram is kept and sent
    /// once one is (for handshake flights, which a peer would otherwise retransmit only
    /// after a timeout). Call it on the strand. False when closed or the send failed
    /// after connecting.
    bool send_when_connected(std::span<const std::uint8_t> datagram);
    /// ICE restart (RFC 8445 §9): new local credentials, candidates announced again
    /// through on_local_candidate and on_gathering_done, remote credentials and
    /// candidates forgotten until the peer's new ones are set.
    Result<void> restart();
    /// Stops; see the file comment. Idempotent. on_state(closed) is not reported.
    void close();

    /// The state last reported (on the strand); for logs and tests.
    IceState state() const noexcept;
    /// "udp 127.0.0.1:5000 host <-> 127.0.0.1:5002 prflx", empty before a pair is selected.
    std::string selected_pair() const;

private:
    struct Impl;
    explicit IceTransport(std::shared_ptr<Impl> impl);
    std::shared_ptr<Impl> m_impl;  ///< shared with the events posted to the strand
};

}  // namespace switchboard::rtc
