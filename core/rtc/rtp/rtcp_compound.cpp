#include "rtc/rtp/rtcp_compound.hpp"

#include "rtc/rtp/rtcp_receiver_report.hpp"
#include "rtc/rtp/rtcp_sdes.hpp"

namespace switchboard::rtc::rtp {

std::vector<std::uint8_t> write_report(const RtcpReport& report) {
    std::vector<std::uint8_t> out;
    RtcpSdes sdes;
    if (report.sender_reports.empty()) {
        RtcpReceiverReport rr;
        rr.sender_ssrc = report.receiver_ssrc;
        rr.report_blocks = report.blocks;
        rr.write(out);
        sdes.chunks.push_back({report.receiver_ssrc, {{RtcpSdes::cname_item, report.cname}}});
    } else {
        for (std::size_t i = 0; i < report.sender_reports.size(); ++i) {
            RtcpSenderReport sr = report.sender_reports[i];
            if (i == 0) sr.report_blocks = report.blocks;
            sr.write(out);
            sdes.chunks.push_back({sr.sender_ssrc, {{RtcpSdes::cname_item, report.cname}}});
        }
    }
    sdes.write(out);
    return out;
}

}  // namespace switchboard::rtc::rtp
