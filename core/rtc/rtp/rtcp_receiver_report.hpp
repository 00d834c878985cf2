/// \file rtcp_receiver_report.hpp
/// \brief RTCP RR (RFC 3550 §6.4.2): the reporter's SSRC plus up to 31 report blocks.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "rtc/rtp/rtcp_reader.hpp"
#include "rtc/rtp/rtcp_report_block.hpp"

namespace switchboard::rtc::rtp {

struct RtcpReceiverReport {
    std::uint32_t sender_ssrc = 0;
    std::vector<RtcpReportBlock> report_blocks;  ///< at most 31 are written

    static std::optional<RtcpReceiverReport> parse(const RtcpPacketView& v);
    void write(std::vector<std::uint8_t>& out) const;
};

}  // namespace switchboard::rtc::rtp
