/// \file rtcp_feedback.hpp
/// \brief What a received compound RTCP packet asks of us or tells us, read in one pass:
/// keyframe requests (PLI, FIR), generic NACKs, REMB, and the SRs and report blocks
/// (for LSR/DLSR and loss). The peer connection acts on the summary.
///
/// Packets that do not parse are skipped, as RFC 3550 §6.1 asks. Plain function; any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "rtc/rtp/rtcp_nack.hpp"
#include "rtc/rtp/rtcp_remb.hpp"
#include "rtc/rtp/rtcp_report_block.hpp"
#include "rtc/rtp/rtcp_sender_report.hpp"

namespace switchboard::rtc::rtp {

struct RtcpFeedbackSummary {
    bool keyframe_request = false;  ///< a PLI or FIR
    std::vector<RtcpNack> nacks;
    std::optional<RtcpRemb> remb;                  ///< the last one, if several
    std::vector<RtcpSenderReport> sender_reports;  ///< the peer's SRs (blocks included)
    std::vector<RtcpReportBlock> report_blocks;    ///< from SRs and RRs, about our SSRCs
};

RtcpFeedbackSummary read_rtcp_feedback(std::span<const std::uint8_t> compound);

}  // namespace switchboard::rtc::rtp
