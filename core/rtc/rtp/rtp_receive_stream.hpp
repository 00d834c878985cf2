/// \file rtp_receive_stream.hpp
/// \brief One SSRC we receive, before depacketizing: reception statistics for our
/// Receiver Report blocks and, for video, a JitterBuffer that puts packets back in order
/// while a NackGenerator asks for the missing ones (RFC 4585 §6.2.1).
///
/// Packets go in as they arrive (retransmissions already unwrapped from RTX); ordered
/// packets come out of release(), at once for a stream without reordering, else when
/// their turn comes or a hole was waited for long enough; the owner polls release() and
/// nacks_due() on a short periodic timer (a hole's wait and NACK retries are time-driven). Time is the caller's
/// monotonic milliseconds. Not thread-safe: one per stream, on its strand.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "rtc/rtp/capture_clock.hpp"
#include "rtc/rtp/jitter_buffer.hpp"
#include "rtc/rtp/nack_generator.hpp"
#include "rtc/rtp/receive_statistics.hpp"
#include "rtc/rtp/rtp_packet.hpp"

namespace switchboard::rtc::rtp {

struct ReceiveStreamOptions {
    int clock_rate = 90000;
    bool reorder = true;  ///< jitter buffer (video); without it packets pass straight through
    bool nack = true;     ///< ask for missing packets (only with reorder: someone must wait)
    JitterBufferConfig jitter;
    NackConfig nack_config;
};

class RtpReceiveStream {
public:
    RtpReceiveStream(std::uint32_t ssrc, ReceiveStreamOptions options);

    /// A packet of this SSRC arrived; `retransmitted` when it came over RTX.
    void on_packet(const RtpPacket& packet, bool retransmitted, std::int64_t now_ms);
    /// Packets in order that may go to the depacketizer now.
    std::vector<RtpPacket> release(std::int64_t now_ms);
    /// Sequence numbers to NACK now.
    std::vector<std::uint16_t> nacks_due(std::int64_t now_ms);
    /// The round trip became known: NACKs are retried and holes waited for in step with
    /// it (a retry sooner than an RTT asks before the answer could come; a wait much
    /// longer than a few only delays the PLI that repairs what NACK cannot), never longer
    /// than the configured wait.
    void set_rtt_ms(std::int64_t rtt_ms) noexcept;
    /// True once after a gap too large to repair by NACK (send a PLI instead).
    bool take_keyframe_needed() noexcept;

    ReceiveStatistics& statistics() noexcept { return m_stats; }
    /// The sender's last report, which maps this stream's RTP times to its wall clock.
    SenderClock& sender_clock() noexcept { return m_sender_clock; }
    std::uint32_t ssrc() const noexcept { return m_ssrc; }
    std::uint64_t packets_lost() const noexcept { return m_jitter.total_lost(); }

private:
    std::uint32_t m_ssrc;
    ReceiveStreamOptions m_options;
    ReceiveStatistics m_stats;
    SenderClock m_sender_clock;
    JitterBuffer m_jitter;
    NackGenerator m_nack;
    std::vector<RtpPacket> m_passthrough;
    bool m_keyframe_needed = false;
};

}  // namespace switchboard::rtc::rtp
