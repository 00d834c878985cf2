/// \file rtcp_compound.hpp
/// \brief The regular RTCP report we send (RFC 3550 §6.1): a compound packet that starts
/// with an SR (when we send) or an RR, carries our reception report blocks, and ends with
/// an SDES naming every SSRC of ours by its CNAME.
///
/// With several sending SSRCs (audio and video in one BUNDLE) the first SR carries the
/// report blocks and the others follow it with none (RFC 3550 §6.4.1 allows blocks in any
/// SR). PeerConnection writes one compound per sending SSRC instead, as libwebrtc does,
/// so every SDES has one chunk (aiortc misreads a chunk that ends in a single null octet
/// when another follows). Plain function; any thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "rtc/rtp/rtcp_report_block.hpp"
#include "rtc/rtp/rtcp_sender_report.hpp"

namespace switchboard::rtc::rtp {

struct RtcpReport {
    std::vector<RtcpSenderReport> sender_reports;  ///< one per SSRC we sent on
    std::uint32_t receiver_ssrc = 0;               ///< the RR's SSRC when we send nothing
    std::vector<RtcpReportBlock> blocks;           ///< one per SSRC we receive (max 31)
    std::string cname;
};

/// The compound packet's bytes.
std::vector<std::uint8_t> write_report(const RtcpReport& report);

}  // namespace switchboard::rtc::rtp
