/// \file sender_statistics.hpp
/// \brief What a Sender Report says about one SSRC we send (RFC 3550 §6.4.1): packet and
/// octet counts and the RTP timestamp that corresponds to the report's NTP time.
///
/// The RTP time of "now" is extrapolated from the last packet sent at the stream's clock
/// rate, from when its media was captured: receivers line audio and video up by these
/// pairs (RFC 3550 §6.4.1), so each stream's pair must say when its media was taken, not
/// when it left. Audio that went through a transcoder leaves later than video passed
/// through from the same camera; with capture times both map to one clock and a
/// receiver plays them together. Time is the caller's monotonic milliseconds. Not
/// thread-safe.
#pragma once

#include <cstdint>
#include <optional>

#include "rtc/rtp/rtcp_sender_report.hpp"

namespace switchboard::rtc::rtp {

class SenderStatistics {
public:
    SenderStatistics(std::uint32_t ssrc, int clock_rate) noexcept : m_ssrc(ssrc), m_clock_rate(clock_rate) {}

    /// A packet left at `now_ms`: its RTP timestamp, payload size (RFC 3550: octets
    /// exclude headers and padding), and when the media it carries was captured
    /// (`now_ms` when unknown).
    void on_sent(std::uint32_t rtp_timestamp, std::size_t payload_size, std::int64_t now_ms,
                 std::int64_t captured_ms) noexcept;

    /// The SR for `ntp_now` (report blocks left empty); nullopt before the first packet.
    std::optional<RtcpSenderReport> report(std::uint64_t ntp_now, std::int64_t now_ms) const;

    std::uint32_t ssrc() const noexcept { return m_ssrc; }
    std::uint32_t packets() const noexcept { return m_packets; }
    std::uint32_t octets() const noexcept { return m_octets; }

private:
    std::uint32_t m_ssrc;
    int m_clock_rate;
    std::uint32_t m_packets = 0;
    std::uint32_t m_octets = 0;  ///< wraps, as the SR field does
    std::optional<std::uint32_t> m_last_timestamp;
    std::int64_t m_last_captured_ms = 0;
};

}  // namespace switchboard::rtc::rtp
