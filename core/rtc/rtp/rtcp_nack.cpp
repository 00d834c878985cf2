#include "rtc/rtp/rtcp_nack.hpp"

#include "rtc/rtp/byte_io.hpp"

namespace switchboard::rtc::rtp {

std::optional<RtcpNack> RtcpNack::parse(const RtcpPacketView& v) {
    // RFC 4585 §6.1: sender SSRC, media SSRC, then at least one FCI.
    if (v.type != rtcp_type::rtpfb || v.count != fmt || v.body.size() < 12) return std::nullopt;
    RtcpNack n;
    n.sender_ssrc = load_be32(v.body.data());
    n.media_ssrc = load_be32(v.body.data() + 4);
    for (std::size_t off = 8; off + 4 <= v.body.size(); off += 4) {
        const std::uint16_t pid = load_be16(v.body.data() + off);
        const std::uint16_t blp = load_be16(v.body.data() + off + 2);
        n.sequence_numbers.push_back(pid);
        for (int i = 0; i < 16; ++i)
            if (blp & (1u << i)) n.sequence_numbers.push_back(std::uint16_t(pid + i + 1));
    }
    return n;
}

std::vector<std::uint32_t> RtcpNack::compress(const std::vector<std::uint16_t>& seqs) {
    std::vector<std::uint32_t> fci;
    std::size_t i = 0;
    while (i < seqs.size()) {
        const std::uint16_t pid = seqs[i++];
        std::uint16_t blp = 0;
        // Fold in the following entries that fall within PID+1..PID+16 (mod 2^16).
        while (i < seqs.size()) {
            const std::uint16_t d = std::uint16_t(seqs[i] - pid);
            if (d == 0) {  // duplicate
                ++i;
                continue;
            }
            if (d > 16) break;
            blp = std::uint16_t(blp | (1u << (d - 1)));
            ++i;
        }
        fci.push_back((std::uint32_t(pid) << 16) | blp);
    }
    return fci;
}

void RtcpNack::write(std::vector<std::uint8_t>& out) const {
    const auto fci = compress(sequence_numbers);
    write_rtcp_header(out, fmt, rtcp_type::rtpfb, 8 + 4 * fci.size());
    const std::size_t at = out.size();
    out.resize(at + 8 + 4 * fci.size());
    store_be32(out.data() + at, sender_ssrc);
    store_be32(out.data() + at + 4, media_ssrc);
    for (std::size_t i = 0; i < fci.size(); ++i) store_be32(out.data() + at + 8 + 4 * i, fci[i]);
}

}  // namespace switchboard::rtc::rtp
