#include "rtc/rtp/rtcp_remb.hpp"

#include <algorithm>

#include "rtc/rtp/byte_io.hpp"

namespace switchboard::rtc::rtp {

namespace {
constexpr std::uint32_t max_mantissa = 0x3ffff;  // 18 bits
}

std::uint32_t RtcpRemb::encode_bitrate(std::uint64_t bps) noexcept {
    std::uint32_t exp = 0;
    while (bps > max_mantissa) {
        bps >>= 1;
        ++exp;
    }
    return (exp << 18) | std::uint32_t(bps);
}

std::optional<RtcpRemb> RtcpRemb::parse(const RtcpPacketView& v) {
    if (v.type != rtcp_type::psfb || v.count != fmt || v.body.size() < 16) return std::nullopt;
    const std::uint8_t* p = v.body.data();
    if (p[8] != 'R' || p[9] != 'E' || p[10] != 'M' || p[11] != 'B') return std::nullopt;
    const std::size_t n = p[12];
    if (v.body.size() < 16 + 4 * n) return std::nullopt;
    const std::uint32_t exp = p[13] >> 2;
    const std::uint64_t mantissa = load_be24(p + 13) & max_mantissa;
    const std::uint64_t bps = mantissa << exp;
    if ((bps >> exp) != mantissa) return std::nullopt;  // does not fit in 64 bits
    RtcpRemb r;
    r.sender_ssrc = load_be32(p);
    r.bitrate_bps = bps;
    for (std::size_t i = 0; i < n; ++i) r.ssrcs.push_back(load_be32(p + 16 + 4 * i));
    return r;
}

void RtcpRemb::write(std::vector<std::uint8_t>& out) const {
    const std::size_t n = std::min<std::size_t>(ssrcs.size(), 255);
    write_rtcp_header(out, fmt, rtcp_type::psfb, 16 + 4 * n);
    const std::size_t at = out.size();
    out.resize(at + 16 + 4 * n, 0);
    std::uint8_t* p = out.data() + at;
    store_be32(p, sender_ssrc);
    // media SSRC 0 (draft §2.2)
    p[8] = 'R';
    p[9] = 'E';
    p[10] = 'M';
    p[11] = 'B';
    p[12] = std::uint8_t(n);
    store_be24(p + 13, encode_bitrate(bitrate_bps));
    for (std::size_t i = 0; i < n; ++i) store_be32(p + 16 + 4 * i, ssrcs[i]);
}

}  // namespace switchboard::rtc::rtp
