#include "rtc/rtp/rtcp_pli.hpp"

#include "rtc/rtp/byte_io.hpp"

namespace switchboard::rtc::rtp {

std::optional<RtcpPli> RtcpPli::parse(const RtcpPacketView& v) {
    if (v.type != rtcp_type::psfb || v.count != fmt || v.body.size() < 8) return std::nullopt;
    return RtcpPli{load_be32(v.body.data()), load_be32(v.body.data() + 4)};
}

void RtcpPli::write(std::vector<std::uint8_t>& out) const {
    write_rtcp_header(out, fmt, rtcp_type::psfb, 8);
    const std::size_t at = out.size();
    out.resize(at + 8);
    store_be32(out.data() + at, sender_ssrc);
    store_be32(out.data() + at + 4, media_ssrc);
}

}  // namespace switchboard::rtc::rtp
