/// \file receive_statistics.hpp
/// \brief One received SSRC's reception report (RFC 3550 §6.4.1, Appendix A.3 and A.8):
/// fraction and cumulative lost, extended highest sequence number, interarrival jitter,
/// and LSR/DLSR from the sender's last SR so it can compute the round trip.
///
/// Feed it the packets that arrive on the SSRC itself (retransmissions unwrapped from
/// RTX fill holes through add_retransmitted(), which counts them received without
/// touching the jitter, since their transit time says nothing about the path's).
/// Time is the caller's monotonic milliseconds. Not thread-safe.
#pragma once

#include <cstdint>
#include <optional>

#include "rtc/rtp/rtcp_report_block.hpp"
#include "rtc/rtp/unwrapper.hpp"

namespace switchboard::rtc::rtp {

class ReceiveStatistics {
public:
    ReceiveStatistics(std::uint32_t ssrc, int clock_rate) noexcept : m_ssrc(ssrc), m_clock_rate(clock_rate) {}

    void on_packet(std::uint16_t seq, std::uint32_t rtp_timestamp, std::int64_t arrival_ms) noexcept;
    void add_retransmitted() noexcept { ++m_received; }
    /// The sender's SR arrived: remember its compact NTP time and when we got it.
    void on_sender_report(std::uint32_t compact_ntp, std::int64_t now_ms) noexcept;

    /// The block to report now; starts a new interval for fraction_lost.
    RtcpReportBlock report_block(std::int64_t now_ms);

    std::uint32_t ssrc() const noexcept { return m_ssrc; }
    bool has_packets() const noexcept { return m_max_seq.has_value(); }

private:
    std::uint32_t m_ssrc;
    int m_clock_rate;
    SequenceUnwrapper m_unwrapper;
    std::optional<std::int64_t> m_base_seq;
    std::optional<std::int64_t> m_max_seq;
    std::uint64_t m_received = 0;
    std::uint64_t m_expected_prior = 0;
    std::uint64_t m_received_prior = 0;
    double m_jitter = 0;
    std::optional<std::int64_t> m_last_transit;
    std::uint32_t m_last_sr = 0;
    std::optional<std::int64_t> m_last_sr_ms;
};

}  // namespace switchboard::rtc::rtp
