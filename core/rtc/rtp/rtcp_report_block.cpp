#include "rtc/rtp/rtcp_report_block.hpp"

#include <algorithm>

#include "rtc/rtp/byte_io.hpp"

namespace switchboard::rtc::rtp {

std::optional<RtcpReportBlock> RtcpReportBlock::parse(std::span<const std::uint8_t> b) noexcept {
    if (b.size() < size) return std::nullopt;
    RtcpReportBlock r;
    r.ssrc = load_be32(b.data());
    r.fraction_lost = b[4];
    const std::uint32_t lost = load_be24(b.data() + 5);
    // Sign-extend the 24-bit two's complement field.
    r.cumulative_lost = (lost & 0x800000) ? std::int32_t(lost) - 0x1000000 : std::int32_t(lost);
    r.extended_highest_seq = load_be32(b.data() + 8);
    r.jitter = load_be32(b.data() + 12);
    r.last_sr = load_be32(b.data() + 16);
    r.delay_since_last_sr = load_be32(b.data() + 20);
    return r;
}

void RtcpReportBlock::write(std::vector<std::uint8_t>& out) const {
    const std::size_t at = out.size();
    out.resize(at + size);
    std::uint8_t* p = out.data() + at;
    store_be32(p, ssrc);
    p[4] = fraction_lost;
    // Clamp to the 24-bit signed range rather than wrap (RFC 3550 §6.4.1).
    const std::int32_t lost = std::clamp(cumulative_lost, -0x800000, 0x7fffff);
    store_be24(p + 5, std::uint32_t(lost) & 0xffffff);
    store_be32(p + 8, extended_highest_seq);
    store_be32(p + 12, jitter);
    store_be32(p + 16, last_sr);
    store_be32(p + 20, delay_since_last_sr);
}

}  // namespace switchboard::rtc::rtp
