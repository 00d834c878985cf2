#include "rtc/rtp/rtcp_receiver_report.hpp"

#include <algorithm>

#include "rtc/rtp/byte_io.hpp"

namespace switchboard::rtc::rtp {

std::optional<RtcpReceiverReport> RtcpReceiverReport::parse(const RtcpPacketView& v) {
    if (v.type != rtcp_type::rr || v.body.size() < 4 + v.count * RtcpReportBlock::size) return std::nullopt;
    RtcpReceiverReport rr;
    rr.sender_ssrc = load_be32(v.body.data());
    for (std::size_t i = 0; i < v.count; ++i)
        rr.report_blocks.push_back(*RtcpReportBlock::parse(v.body.subspan(4 + i * RtcpReportBlock::size)));
    return rr;
}

void RtcpReceiverReport::write(std::vector<std::uint8_t>& out) const {
    const std::size_t n = std::min<std::size_t>(report_blocks.size(), 31);
    write_rtcp_header(out, std::uint8_t(n), rtcp_type::rr, 4 + n * RtcpReportBlock::size);
    const std::size_t at = out.size();
    out.resize(at + 4);
    store_be32(out.data() + at, sender_ssrc);
    for (std::size_t i = 0; i < n; ++i) report_blocks[i].write(out);
}

}  // namespace switchboard::rtc::rtp
