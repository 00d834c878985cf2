#include "rtc/rtp/jpeg_header.hpp"

#include "rtc/rtp/jpeg_tables.hpp"

namespace switchboard::rtc::rtp::jpeg {

namespace {

constexpr int max_dimension = 255 * 8;  // RFC 2435 §3.1.5/6: one byte of 8-pixel units

/// Appends marker segments to a byte vector.
struct Writer {
    std::vector<std::uint8_t>& out;

    void byte(unsigned v) { out.push_back(std::uint8_t(v)); }
    void be16(unsigned v) {
        byte(v >> 8);
        byte(v & 0xff);
    }
    void marker(unsigned code) {
        byte(0xff);
        byte(code);
    }
    /// A marker followed by its length field, which counts itself (T.81 §B.1.1.4).
    void segment(unsigned code, std::size_t body) {
        marker(code);
        be16(unsigned(body + 2));
    }
    void bytes(std::span<const std::uint8_t> s) { out.insert(out.end(), s.begin(), s.end()); }
};

struct Table {
    std::span<const std::uint8_t> entries;
    bool wide = false;  // 16-bit entries
};

}  // namespace

std::vector<std::uint8_t> write_header(const FrameHeader& h) {
    if ((h.type != 0 && h.type != 1) || h.width < 8 || h.height < 8 || h.width > max_dimension ||
        h.height > max_dimension)
        return {};
    // The tables, in order, each 64 or 128 bytes by its precision bit.
    std::vector<Table> tables;
    for (std::size_t off = 0; off < h.tables.size();) {
        if (tables.size() == 2) return {};
        const bool wide = (h.precision >> tables.size()) & 1;
        const std::size_t n = wide ? 128 : 64;
        if (n > h.tables.size() - off) return {};
        tables.push_back({h.tables.subspan(off, n), wide});
        off += n;
    }
    if (tables.empty()) return {};
    bool any_wide = false;
    for (const auto& t : tables) any_wide |= t.wide;
    // One table only: chroma shares the luma table.
    const unsigned chroma_table = tables.size() > 1 ? 1 : 0;

    std::vector<std::uint8_t> out;
    out.reserve(700);
    Writer w{out};
    w.marker(0xd8);  // SOI

    // APP0 "JFIF\0", version 1.01, no units, 1:1 density, no thumbnail.
    w.segment(0xe0, 14);
    w.bytes(std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>("JFIF"), 5));
    w.be16(0x0101);
    w.byte(0);
    w.be16(1);
    w.be16(1);
    w.byte(0);
    w.byte(0);

    std::size_t dqt = 0;
    for (const auto& t : tables) dqt += 1 + t.entries.size();
    w.segment(0xdb, dqt);  // DQT: Pq/Tq, then the entries in zig-zag order
    for (std::size_t i = 0; i < tables.size(); ++i) {
        w.byte((tables[i].wide ? 0x10 : 0x00) | unsigned(i));
        w.bytes(tables[i].entries);
    }

    w.segment(any_wide ? 0xc1 : 0xc0, 15);  // SOF0 (SOF1 for 16-bit tables)
    w.byte(8);                              // sample precision
    w.be16(unsigned(h.height));
    w.be16(unsigned(h.width));
    w.byte(3);
    w.byte(1);  // Y: 2x1 or 2x2, table 0
    w.byte(h.type == 0 ? 0x21 : 0x22);
    w.byte(0);
    for (unsigned id : {2u, 3u}) {  // Cb, Cr: 1x1, the chroma table
        w.byte(id);
        w.byte(0x11);
        w.byte(chroma_table);
    }

    std::size_t dht = 0;
    for (const auto& t : huffman_tables()) dht += 17 + t.symbols.size();
    w.segment(0xc4, dht);
    for (const auto& t : huffman_tables()) {
        w.byte(unsigned(t.table_class << 4) | t.id);
        w.bytes(t.counts);
        w.bytes(t.symbols);
    }

    if (h.restart_interval) {
        w.segment(0xdd, 2);  // DRI
        w.be16(h.restart_interval);
    }

    w.segment(0xda, 10);  // SOS: three components, their DC/AC tables, full spectrum
    w.byte(3);
    w.byte(1);
    w.byte(0x00);
    w.byte(2);
    w.byte(0x11);
    w.byte(3);
    w.byte(0x11);
    w.byte(0);   // Ss
    w.byte(63);  // Se
    w.byte(0);   // Ah/Al
    return out;
}

std::size_t minimum_scan_size(const FrameHeader& h) noexcept {
    // An MCU is 16x8 (type 0: two Y blocks) or 16x16 (type 1: four), plus Cb and Cr.
    const std::size_t mcu_height = h.type == 0 ? 8 : 16;
    const std::size_t mcus =
        ((std::size_t(h.width) + 15) / 16) * ((std::size_t(h.height) + mcu_height - 1) / mcu_height);
    const std::size_t luma_blocks = h.type == 0 ? 2 : 4;
    return mcus * (luma_blocks * 6 + 2 * 4) / 8;
}

}  // namespace switchboard::rtc::rtp::jpeg
