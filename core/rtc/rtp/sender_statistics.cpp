#include "rtc/rtp/sender_statistics.hpp"

namespace switchboard::rtc::rtp {

void SenderStatistics::on_sent(std::uint32_t rtp_timestamp, std::size_t payload_size, std::int64_t now_ms,
                               std::int64_t captured_ms) noexcept {
    (void)now_ms;
    ++m_packets;
    m_octets += std::uint32_t(payload_size);
    m_last_timestamp = rtp_timestamp;
    m_last_captured_ms = captured_ms;
}

std::optional<RtcpSenderReport> SenderStatistics::report(std::uint64_t ntp_now, std::int64_t now_ms) const {
    if (!m_last_timestamp) return std::nullopt;
    RtcpSenderReport sr;
    sr.sender_ssrc = m_ssrc;
    sr.ntp_timestamp = ntp_now;
    const std::int64_t elapsed_ticks = (now_ms - m_last_captured_ms) * m_clock_rate / 1000;
    sr.rtp_timestamp = *m_last_timestamp + std::uint32_t(elapsed_ticks);
    sr.packet_count = m_packets;
    sr.octet_count = m_octets;
    return sr;
}

}  // namespace switchboard::rtc::rtp
