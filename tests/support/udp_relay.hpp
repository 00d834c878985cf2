/// \file udp_relay.hpp
/// \brief An in-process UDP relay on 127.0.0.1 for loss tests (no netem here): it sits
/// between our PeerConnection (the gateway) and a test peer like a NAT, and impairs what
/// the gateway sends.
///
/// Two sockets: the peer talks to `peer_port()` and the gateway to `gateway_port()`;
/// whatever one side sends the relay forwards to the other from its other socket. The
/// test rewrites the candidates each side is given (rewrite_candidates) so both see only
/// the relay; connectivity checks then pass through it like any datagram.
/// Impairments apply to gateway->peer RTP and RTCP only, classified by the first byte
/// (RFC 7983), so STUN and DTLS always pass and the call is set up the same way:
///  - loss: drop that percentage at random (seeded, so runs are comparable);
///  - keyframe: drop every packet of the next VP8 keyframe and every resend of it (the
///    same RTP timestamp on the media or the RTX SSRC), so NACK cannot repair it; the
///    keyframe is found by decrypting a copy with the gateway's SRTP key log;
///  - bandwidth: a bottleneck of `bps` with a queue of at most `max_queue_delay`;
///    packets that would wait longer are dropped.
/// A thread of its own runs the sockets; the setters and counters() may be called from
/// any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace switchboard::rtc {
class SrtpSession;
}

namespace switchboard::test {

class UdpRelay {
public:
    struct Counters {
        std::uint64_t to_peer = 0;     ///< forwarded gateway -> peer
        std::uint64_t to_gateway = 0;  ///< forwarded peer -> gateway
        std::uint64_t loss_dropped = 0;
        std::uint64_t keyframe_dropped = 0;   ///< packets of the chosen keyframe (originals and resends)
        std::uint64_t keyframes_dropped = 0;  ///< keyframes chosen
        std::uint64_t bandwidth_dropped = 0;
        std::uint64_t bandwidth_max_queue_bytes = 0;
    };

    /// Binds both sockets on 127.0.0.1 and starts the thread; throws std::runtime_error
    /// when a socket cannot be opened.
    UdpRelay();
    ~UdpRelay();
    UdpRelay(const UdpRelay&) = delete;
    UdpRelay& operator=(const UdpRelay&) = delete;

    /// Where the peer sends (candidates given to the peer point here).
    std::uint16_t peer_port() const noexcept { return m_peer_port; }
    /// Where the gateway sends (candidates given to the gateway point here).
    std::uint16_t gateway_port() const noexcept { return m_gateway_port; }

    /// The SDP for the other side: its 127.0.0.1 UDP host candidates are learned as the
    /// real address of `from_gateway`'s side and replaced by one relay candidate; every
    /// other candidate is removed.
    std::string rewrite_candidates(const std::string& sdp, bool from_gateway);

    void set_loss_percent(double percent);
    /// Arms the keyframe drop: the next VP8 keyframe the gateway sends, and its resends,
    /// are dropped. Keys come from the last line of `srtp_key_log_path`.
    bool drop_next_keyframe(const std::string& srtp_key_log_path);
    /// When the last chosen keyframe's first packet was dropped.
    std::optional<std::chrono::steady_clock::time_point> keyframe_dropped_at() const;
    /// 0 bps: no cap.
    void set_bandwidth(std::uint64_t bps, std::chrono::milliseconds max_queue_delay = std::chrono::milliseconds(150));

    Counters counters() const;

private:
    struct Queued {
        std::chrono::steady_clock::time_point departure;
        std::vector<std::uint8_t> bytes;
    };
    void run();
    void from_gateway(std::vector<std::uint8_t> d);
    bool is_chosen_keyframe(const std::vector<std::uint8_t>& d);
    void send_to_peer(const std::vector<std::uint8_t>& d);
    void send_to_gateway(const std::vector<std::uint8_t>& d);

    int m_peer_fd = -1;
    int m_gateway_fd = -1;
    int m_wake[2] = {-1, -1};
    std::uint16_t m_peer_port = 0;
    std::uint16_t m_gateway_port = 0;
    std::atomic<bool> m_stop{false};

    mutable std::mutex m_mutex;  ///< everything below
    std::uint16_t m_real_peer_port = 0;
    std::uint16_t m_real_gateway_port = 0;
    double m_loss_percent = 0;
    std::uint64_t m_rng = 0x2545F4914F6CDD1Dull;
    bool m_keyframe_armed = false;
    std::unique_ptr<rtc::SrtpSession> m_srtp;
    std::optional<std::uint8_t> m_media_payload_type;
    std::set<std::uint32_t> m_dropped_timestamps;
    std::optional<std::chrono::steady_clock::time_point> m_keyframe_dropped_at;
    std::uint64_t m_bps = 0;
    std::chrono::milliseconds m_max_queue_delay{150};
    std::chrono::steady_clock::time_point m_link_free{};
    std::vector<Queued> m_queue;  ///< in departure order
    Counters m_counters;

    std::thread m_thread;  ///< last: starts after everything above exists
};

}  // namespace switchboard::test
