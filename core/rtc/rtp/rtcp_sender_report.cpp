#include "rtc/rtp/rtcp_sender_report.hpp"

#include <algorithm>

#include "rtc/rtp/byte_io.hpp"

namespace switchboard::rtc::rtp {

std::optional<RtcpSenderReport> RtcpSenderReport::parse(const RtcpPacketView& v) {
    if (v.type != rtcp_type::sr || v.body.size() < 24 + v.count * RtcpReportBlock::size) return std::nullopt;
    const std::uint8_t* p = v.body.data();
    RtcpSenderReport sr;
    sr.sender_ssrc = load_be32(p);
    sr.ntp_timestamp = (std::uint64_t(load_be32(p + 4)) << 32) | load_be32(p + 8);
    sr.rtp_timestamp = load_be32(p + 12);
    sr.packet_count = load_be32(p + 16);
    sr.octet_count = load_be32(p + 20);
    for (std::size_t i = 0; i < v.count; ++i)
        sr.report_blocks.push_back(*RtcpReportBlock::parse(v.body.subspan(24 + i * RtcpReportBlock::size)));
    return sr;
}

void RtcpSenderReport::write(std::vector<std::uint8_t>& out) const {
    const std::size_t n = std::min<std::size_t>(report_blocks.size(), 31);
    write_rtcp_header(out, std::uint8_t(n), rtcp_type::sr, 24 + n * RtcpReportBlock::size);
    const std::size_t at = out.size();
    out.resize(at + 24);
    std::uint8_t* p = out.data() + at;
    store_be32(p, sender_ssrc);
    store_be32(p + 4, std::uint32_t(ntp_timestamp >> 32));
    store_be32(p + 8, std::uint32_t(ntp_timestamp));
    store_be32(p + 12, rtp_timestamp);
    store_be32(p + 16, packet_count);
    store_be32(p + 20, octet_count);
    for (std::size_t i = 0; i < n; ++i) report_blocks[i].write(out);
}

}  // namespace switchboard::rtc::rtp
