#include "rtc/rtp/rtcp_bye.hpp"

#include <algorithm>

#include "rtc/rtp/byte_io.hpp"

namespace switchboard::rtc::rtp {

std::optional<RtcpBye> RtcpBye::parse(const RtcpPacketView& v) {
    if (v.type != rtcp_type::bye || v.body.size() < 4u * v.count) return std::nullopt;
    RtcpBye bye;
    for (std::size_t i = 0; i < v.count; ++i) bye.ssrcs.push_back(load_be32(v.body.data() + 4 * i));
    const std::size_t off = 4u * v.count;
    if (off < v.body.size()) {
        const std::size_t len = v.body[off];
        if (off + 1 + len > v.body.size()) return std::nullopt;
        bye.reason.assign(reinterpret_cast<const char*>(v.body.data() + off + 1), len);
    }
    return bye;
}

void RtcpBye::write(std::vector<std::uint8_t>& out) const {
    const std::size_t n = std::min<std::size_t>(ssrcs.size(), 31);
    const std::size_t len = std::min<std::size_t>(reason.size(), 255);
    const std::size_t reason_block = reason.empty() ? 0 : (1 + len + 3) / 4 * 4;
    write_rtcp_header(out, std::uint8_t(n), rtcp_type::bye, 4 * n + reason_block);
    const std::size_t at = out.size();
    out.resize(at + 4 * n + reason_block, 0);
    for (std::size_t i = 0; i < n; ++i) store_be32(out.data() + at + 4 * i, ssrcs[i]);
    if (reason_block) {
        out[at + 4 * n] = std::uint8_t(len);
        std::copy_n(reason.begin(), len, out.begin() + std::ptrdiff_t(at + 4 * n + 1));
    }
}

}  // namespace switchboard::rtc::rtp
