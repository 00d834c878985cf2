/// \file rtcp_report_block.hpp
/// \brief The reception report block shared by SR and RR (RFC 3550 §6.4.1).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace switchboard::rtc::rtp {

struct RtcpReportBlock {
    static constexpr std::size_t size = 24;

    std::uint32_t ssrc = 0;            ///< the source this block reports on
    std::uint8_t fraction_lost = 0;    ///< since the last report, in 1/256
    std::int32_t cumulative_lost = 0;  ///< 24-bit signed (duplicates can make it negative)
    std::uint32_t extended_highest_seq = 0;
    std::uint32_t jitter = 0;               ///< interarrival jitter, RTP timestamp units
    std::uint32_t last_sr = 0;              ///< middle 32 bits of the last SR's NTP time
    std::uint32_t delay_since_last_sr = 0;  ///< in 1/65536 s

    /// Reads exactly 24 bytes.
    static std::optional<RtcpReportBlock> parse(std::span<const std::uint8_t> bytes) noexcept;
    void write(std::vector<std::uint8_t>& out) const;

    friend bool operator==(const RtcpReportBlock&, const RtcpReportBlock&) = default;
};

}  // namespace switchboard::rtc::rtp
