#include "rtc/rtp/rtcp_feedback.hpp"

#include "rtc/rtp/rtcp_fir.hpp"
#include "rtc/rtp/rtcp_pli.hpp"
#include "rtc/rtp/rtcp_reader.hpp"
#include "rtc/rtp/rtcp_receiver_report.hpp"

namespace switchboard::rtc::rtp {

RtcpFeedbackSummary read_rtcp_feedback(std::span<const std::uint8_t> compound) {
    RtcpFeedbackSummary out;
    RtcpReader reader(compound);
    while (auto v = reader.next()) {
        switch (v->type) {
            case rtcp_type::sr:
                if (auto sr = RtcpSenderReport::parse(*v)) {
                    out.report_blocks.insert(out.report_blocks.end(), sr->report_blocks.begin(),
                                             sr->report_blocks.end());
                    out.sender_reports.push_back(std::move(*sr));
                }
                break;
            case rtcp_type::rr:
                if (auto rr = RtcpReceiverReport::parse(*v))
                    out.report_blocks.insert(out.report_blocks.end(), rr->report_blocks.begin(),
                                             rr->report_blocks.end());
                break;
            case rtcp_type::rtpfb:
                if (v->count == RtcpNack::fmt)
                    if (auto nack = RtcpNack::parse(*v)) out.nacks.push_back(std::move(*nack));
                break;
            case rtcp_type::psfb:
                if (v->count == RtcpPli::fmt && RtcpPli::parse(*v)) out.keyframe_request = true;
                if (v->count == RtcpFir::fmt && RtcpFir::parse(*v)) out.keyframe_request = true;
                if (v->count == RtcpRemb::fmt)
                    if (auto remb = RtcpRemb::parse(*v)) out.remb = std::move(*remb);
                break;
            default:
                break;
        }
    }
    return out;
}

}  // namespace switchboard::rtc::rtp
