#include "rtc/rtp/receive_statistics.hpp"

#include <algorithm>
#include <cmath>

namespace switchboard::rtc::rtp {

void ReceiveStatistics::on_packet(std::uint16_t seq16, std::uint32_t rtp_timestamp, std::int64_t arrival_ms) noexcept {
    const std::int64_t seq = m_unwrapper.unwrap(seq16);
    if (!m_base_seq) m_base_seq = seq;
    m_base_seq = std::min(*m_base_seq, seq);  // a packet reordered before the first one
    if (!m_max_seq || seq > *m_max_seq) m_max_seq = seq;
    ++m_received;
    // RFC 3550 A.8: transit in RTP units; its variation smoothed with gain 1/16.
    const std::int64_t arrival_ticks = arrival_ms * m_clock_rate / 1000;
    const std::int64_t transit = arrival_ticks - std::int64_t(rtp_timestamp);
    if (m_last_transit) {
        // The 32-bit RTP timestamp wraps: take the difference modulo 2^32.
        const auto d = std::int32_t(std::uint32_t(transit - *m_last_transit));
        m_jitter += (std::abs(double(d)) - m_jitter) / 16.0;
    }
    m_last_transit = transit;
}

void ReceiveStatistics::on_sender_report(std::uint32_t compact_ntp, std::int64_t now_ms) noexcept {
    m_last_sr = compact_ntp;
    m_last_sr_ms = now_ms;
}

RtcpReportBlock ReceiveStatistics::report_block(std::int64_t now_ms) {
    RtcpReportBlock b;
    b.ssrc = m_ssrc;
    if (!m_max_seq) return b;
    // RFC 3550 A.3.
    const auto expected = std::uint64_t(*m_max_seq - *m_base_seq + 1);
    const std::int64_t lost = std::int64_t(expected) - std::int64_t(m_received);
    b.cumulative_lost = std::int32_t(std::clamp<std::int64_t>(lost, -0x800000, 0x7fffff));
    const std::int64_t expected_interval = std::int64_t(expected - m_expected_prior);
    const std::int64_t received_interval = std::int64_t(m_received - m_received_prior);
    m_expected_prior = expected;
    m_received_prior = m_received;
    const std::int64_t lost_interval = expected_interval - received_interval;
    if (expected_interval > 0 && lost_interval > 0)
        b.fraction_lost = std::uint8_t(std::min<std::int64_t>(255, (lost_interval << 8) / expected_interval));
    b.extended_highest_seq = std::uint32_t(*m_max_seq - SequenceUnwrapper::cycle);
    b.jitter = std::uint32_t(m_jitter);
    if (m_last_sr_ms) {
        b.last_sr = m_last_sr;
        b.delay_since_last_sr = std::uint32_t((now_ms - *m_last_sr_ms) * 65536 / 1000);
    }
    return b;
}

}  // namespace switchboard::rtc::rtp
