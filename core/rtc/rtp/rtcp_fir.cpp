#include "rtc/rtp/rtcp_fir.hpp"

#include "rtc/rtp/byte_io.hpp"

namespace switchboard::rtc::rtp {

std::optional<RtcpFir> RtcpFir::parse(const RtcpPacketView& v) {
    if (v.type != rtcp_type::psfb || v.count != fmt || v.body.size() < 16) return std::nullopt;
    RtcpFir f;
    f.sender_ssrc = load_be32(v.body.data());
    for (std::size_t off = 8; off + 8 <= v.body.size(); off += 8)
        f.entries.push_back({load_be32(v.body.data() + off), v.body[off + 4]});
    return f;
}

void RtcpFir::write(std::vector<std::uint8_t>& out) const {
    write_rtcp_header(out, fmt, rtcp_type::psfb, 8 + 8 * entries.size());
    const std::size_t at = out.size();
    out.resize(at + 8 + 8 * entries.size(), 0);
    store_be32(out.data() + at, sender_ssrc);
    // media SSRC stays 0 (RFC 5104 §4.3.1.2)
    for (std::size_t i = 0; i < entries.size(); ++i) {
        store_be32(out.data() + at + 8 + 8 * i, entries[i].ssrc);
        out[at + 12 + 8 * i] = entries[i].sequence_number;
    }
}

}  // namespace switchboard::rtc::rtp
