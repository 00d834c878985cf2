/// \file rtcp_sender_report.hpp
/// \brief RTCP SR (RFC 3550 §6.4.1): sender info plus up to 31 report blocks.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "rtc/rtp/rtcp_reader.hpp"
#include "rtc/rtp/rtcp_report_block.hpp"

namespace switchboard::rtc::rtp {

struct RtcpSenderReport {
    std::uint32_t sender_ssrc = 0;
    std::uint64_t ntp_timestamp = 0;  ///< 32.32 fixed point seconds since 1900
    std::uint32_t rtp_timestamp = 0;  ///< the same instant on the RTP clock
    std::uint32_t packet_count = 0;
    std::uint32_t octet_count = 0;
    std::vector<RtcpReportBlock> report_blocks;  ///< at most 31 are written

    /// nullopt unless `v` is an SR whose body holds its RC blocks (profile-specific
    /// extensions after them are ignored).
    static std::optional<RtcpSenderReport> parse(const RtcpPacketView& v);
    void write(std::vector<std::uint8_t>& out) const;

    /// The middle 32 bits of the NTP time, what a receiver echoes as LSR.
    std::uint32_t compact_ntp() const noexcept { return std::uint32_t(ntp_timestamp >> 16); }
};

}  // namespace switchboard::rtc::rtp
