#include "rtc/rtp/jpeg_depacketizer.hpp"

#include <cstring>

#include "rtc/rtp/byte_io.hpp"
#include "rtc/rtp/jpeg_header.hpp"
#include "rtc/rtp/jpeg_tables.hpp"

namespace switchboard::rtc::rtp {

namespace {

constexpr std::uint8_t restart_types = 64;  // §3.1.7: types 64..127 carry a restart header

/// One packet's headers (§3.1) and the scan data after them.
struct Fragment {
    std::uint32_t offset = 0;
    std::uint8_t type = 0, q = 0, width = 0, height = 0;
    std::uint16_t restart_interval = 0;
    std::uint8_t precision = 0;
    std::span<const std::uint8_t> tables;
    std::span<const std::uint8_t> data;
};

std::optional<Fragment> parse(std::span<const std::uint8_t> pl) {
    if (pl.size() < 8) return std::nullopt;
    Fragment f;
    f.offset = load_be24(pl.data() + 1);
    f.type = pl[4];
    f.q = pl[5];
    f.width = pl[6];
    f.height = pl[7];
    std::size_t off = 8;
    if (f.type >= restart_types && f.type < 128) {
        if (pl.size() < off + 4) return std::nullopt;
        f.restart_interval = load_be16(pl.data() + off);
        off += 4;  // F, L and the restart count only matter to partial decoding
    }
    if (f.q >= 128 && f.offset == 0) {  // §3.1.8, first packet only
        if (pl.size() < off + 4) return std::nullopt;
        f.precision = pl[off + 1];
        const std::size_t n = load_be16(pl.data() + off + 2);
        off += 4;
        if (n > pl.size() - off) return std::nullopt;  // §3.1.8: MUST be discarded
        f.tables = pl.subspan(off, n);
        off += n;
    }
    f.data = pl.subspan(off);
    return f;
}

}  // namespace

JpegDepacketizer::JpegDepacketizer(int clock_rate) noexcept
    : Depacketizer(Format{MediaKind::video, Codec::mjpeg, 0, 0, {}, 0, 0, clock_rate}, false, false) {}

Depacketizer::Units JpegDepacketizer::assemble(std::span<const RtpPacket> packets) {
    std::vector<Fragment> fragments;
    fragments.reserve(packets.size());
    std::size_t scan_size = 0;
    for (const auto& p : packets) {
        auto f = parse(p.payload());
        if (!f) return {};
        if (!fragments.empty()) {
            const auto& first = fragments.front();
            // §3.1: the headers are the same in every packet of a frame.
            if (f->type != first.type || f->q != first.q || f->width != first.width || f->height != first.height ||
                f->restart_interval != first.restart_interval)
                return {};
        }
        // In sequence order without a gap (the base class saw to that), each fragment
        // must start where the previous one ended.
        if (f->offset != scan_size) return {};
        scan_size += f->data.size();
        fragments.push_back(*f);
    }
    if (fragments.empty() || scan_size == 0) return {};
    const Fragment& first = fragments.front();

    if (first.type >= 128) return {};  // dynamic types: defined out of band, unknown here
    jpeg::FrameHeader h;
    h.type = first.type & ~restart_types;
    h.width = first.width * 8;
    h.height = first.height * 8;
    h.restart_interval = first.restart_interval;

    std::array<std::uint8_t, 128> scaled{};
    if (first.q == 0 || (first.q >= 100 && first.q < 128)) return {};  // reserved
    if (first.q < 100) {
        scaled = jpeg::quantization_tables(first.q);
        h.tables = scaled;
    } else if (!first.tables.empty()) {
        h.tables = first.tables;
        h.precision = first.precision;
        if (first.q != 255) m_cached = {first.q, first.precision, {first.tables.begin(), first.tables.end()}};
    } else if (first.q != 255 && m_cached.q == first.q) {
        h.tables = m_cached.tables;
        h.precision = m_cached.precision;
    } else {
        return {};  // tables never sent
    }
    if (scan_size < jpeg::minimum_scan_size(h)) return {};
    const std::vector<std::uint8_t> header = jpeg::write_header(h);
    if (header.empty()) return {};

    // The sender may or may not have kept the EOI (RFC 2435 leaves it out).
    const auto& tail = fragments.back().data;
    const bool has_eoi = scan_size >= 2 && tail.size() >= 2 && tail[tail.size() - 2] == 0xff && tail.back() == 0xd9;
    Assembled a;
    a.keyframe = true;
    a.data = Buffer::allocate(header.size() + scan_size + (has_eoi ? 0 : 2));
    std::uint8_t* w = a.data.mutable_data();
    if (!w) return {};
    std::memcpy(w, header.data(), header.size());
    w += header.size();
    for (const auto& f : fragments) {
        if (!f.data.empty()) std::memcpy(w, f.data.data(), f.data.size());
        w += f.data.size();
    }
    if (!has_eoi) {
        w[0] = 0xff;
        w[1] = 0xd9;
    }
    return one(std::move(a));
}

}  // namespace switchboard::rtc::rtp
