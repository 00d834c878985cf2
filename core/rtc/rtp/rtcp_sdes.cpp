#include "rtc/rtp/rtcp_sdes.hpp"

#include <algorithm>

#include "rtc/rtp/byte_io.hpp"

namespace switchboard::rtc::rtp {

std::optional<std::string_view> RtcpSdes::Chunk::cname() const noexcept {
    for (const auto& i : items)
        if (i.type == cname_item) return std::string_view(i.text);
    return std::nullopt;
}

std::optional<RtcpSdes> RtcpSdes::parse(const RtcpPacketView& v) {
    if (v.type != rtcp_type::sdes) return std::nullopt;
    RtcpSdes s;
    const auto b = v.body;
    std::size_t off = 0;
    for (std::size_t c = 0; c < v.count; ++c) {
        if (off + 4 > b.size()) return std::nullopt;
        Chunk chunk;
        chunk.ssrc = load_be32(b.data() + off);
        off += 4;
        // Items until a null octet; then pad to the next 32-bit boundary (§6.5).
        while (true) {
            if (off >= b.size()) return std::nullopt;
            const std::uint8_t type = b[off];
            if (type == 0) break;
            if (off + 2 > b.size() || off + 2 + b[off + 1] > b.size()) return std::nullopt;
            const std::uint8_t len = b[off + 1];
            chunk.items.push_back({type, std::string(reinterpret_cast<const char*>(b.data() + off + 2), len)});
            off += 2 + len;
        }
        off = (off + 4) / 4 * 4;  // the null octet plus padding
        if (off > b.size()) return std::nullopt;
        s.chunks.push_back(std::move(chunk));
    }
    return s;
}

void RtcpSdes::write(std::vector<std::uint8_t>& out) const {
    const std::size_t n = std::min<std::size_t>(chunks.size(), 31);
    std::vector<std::uint8_t> body;
    for (std::size_t c = 0; c < n; ++c) {
        const std::size_t at = body.size();
        body.resize(at + 4);
        store_be32(body.data() + at, chunks[c].ssrc);
        for (const auto& item : chunks[c].items) {
            if (item.type == 0) continue;
            const std::size_t len = std::min<std::size_t>(item.text.size(), 255);
            body.push_back(item.type);
            body.push_back(std::uint8_t(len));
            body.insert(body.end(), item.text.begin(), item.text.begin() + std::ptrdiff_t(len));
        }
        body.push_back(0);  // end of items; at least one null octet
        while (body.size() % 4) body.push_back(0);
    }
    write_rtcp_header(out, std::uint8_t(n), rtcp_type::sdes, body.size());
    out.insert(out.end(), body.begin(), body.end());
}

}  // namespace switchboard::rtc::rtp
