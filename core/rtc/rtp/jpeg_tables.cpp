#include "rtc/rtp/jpeg_tables.hpp"

#include <algorithm>

namespace switchboard::rtc::rtp::jpeg {

namespace {

// T.81 Table K.1 and K.2, natural (row by row) order.
constexpr std::uint8_t luma_quantizer[64] = {
    16, 11, 10, 16, 24,  40,  51,  61,   //
    12, 12, 14, 19, 26,  58,  60,  55,   //
    14, 13, 16, 24, 40,  57,  69,  56,   //
    14, 17, 22, 29, 51,  87,  80,  62,   //
    18, 22, 37, 56, 68,  109, 103, 77,   //
    24, 35, 55, 64, 81,  104, 113, 92,   //
    49, 64, 78, 87, 103, 121, 120, 101,  //
    72, 92, 95, 98, 112, 100, 103, 99,
};
constexpr std::uint8_t chroma_quantizer[64] = {
    17, 18, 24, 47, 99, 99, 99, 99,  //
    18, 21, 26, 66, 99, 99, 99, 99,  //
    24, 26, 56, 99, 99, 99, 99, 99,  //
    47, 66, 99, 99, 99, 99, 99, 99,  //
    99, 99, 99, 99, 99, 99, 99, 99,  //
    99, 99, 99, 99, 99, 99, 99, 99,  //
    99, 99, 99, 99, 99, 99, 99, 99,  //
    99, 99, 99, 99, 99, 99, 99, 99,
};

// The natural position of the i-th coefficient in zig-zag order (T.81 Figure A.6).
constexpr std::uint8_t zigzag[64] = {
    0,  1,  8,  16, 9,  2,  3,  10, 17, 24, 32, 25, 18, 11, 4,  5,   //
    12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6,  7,  14, 21, 28,  //
    35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51,  //
    58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
};

constexpr std::uint8_t dc_symbols[12] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};

/// The 162 AC symbols of T.81 Tables K.5/K.6: EOB (0x00), ZRL (0xf0) and every
/// run/size pair (run 0..15, size 1..10). Each table lists its codes up to length 15
/// in an order of their own; its 16-bit codes then take every symbol left, in
/// ascending order, so only that head is written out here.
constexpr std::size_t ac_symbol_count = 162;
constexpr std::array<std::uint8_t, ac_symbol_count> ac_symbols(std::span<const std::uint8_t> head) {
    std::array<std::uint8_t, ac_symbol_count> out{};
    std::size_t n = 0;
    for (auto s : head) out[n++] = s;
    for (int v = 0; v < 256; ++v) {
        const int size = v & 0xf;
        const bool symbol = v == 0x00 || v == 0xf0 || (size >= 1 && size <= 10);
        if (symbol && std::find(head.begin(), head.end(), std::uint8_t(v)) == head.end()) out[n++] = std::uint8_t(v);
    }
    return out;
}

constexpr std::uint8_t ac_luma_head[] = {
    0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07, 0x22, 0x71, 0x14,
    0x32, 0x81, 0x91, 0xa1, 0x08, 0x23, 0x42, 0xb1, 0xc1, 0x15, 0x52, 0xd1, 0xf0, 0x24, 0x33, 0x62, 0x72, 0x82,
};
constexpr std::uint8_t ac_chroma_head[] = {
    0x00, 0x01, 0x02, 0x03, 0x11, 0x04, 0x05, 0x21, 0x31, 0x06, 0x12, 0x41, 0x51, 0x07, 0x61,
    0x71, 0x13, 0x22, 0x32, 0x81, 0x08, 0x14, 0x42, 0x91, 0xa1, 0xb1, 0xc1, 0x09, 0x23, 0x33,
    0x52, 0xf0, 0x15, 0x62, 0x72, 0xd1, 0x0a, 0x16, 0x24, 0x34, 0xe1, 0x25, 0xf1,
};
// The heads are the codes of length 1..15: as many as the tables below count there.
static_assert(sizeof ac_luma_head == 2 + 1 + 3 + 3 + 2 + 4 + 3 + 5 + 5 + 4 + 4 + 0 + 0 + 1);
static_assert(sizeof ac_chroma_head == 2 + 1 + 2 + 4 + 4 + 3 + 4 + 7 + 5 + 4 + 4 + 0 + 1 + 2);
static_assert(sizeof ac_luma_head + 0x7d == ac_symbol_count && sizeof ac_chroma_head + 0x77 == ac_symbol_count);
constexpr auto ac_luma_symbols = ac_symbols(ac_luma_head);
constexpr auto ac_chroma_symbols = ac_symbols(ac_chroma_head);

constexpr HuffmanTable tables[4] = {
    {0, 0, {0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0}, dc_symbols},            // K.3
    {1, 0, {0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d}, ac_luma_symbols},    // K.5
    {0, 1, {0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0}, dc_symbols},            // K.4
    {1, 1, {0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 0x77}, ac_chroma_symbols},  // K.6
};

}  // namespace

std::array<std::uint8_t, 128> quantization_tables(int q) noexcept {
    // RFC 2435 Appendix A (MakeTables): the IJG quality scaling of the K.1/K.2 tables.
    const int factor = std::clamp(q, 1, 99);
    const int scale = factor < 50 ? 5000 / factor : 200 - factor * 2;
    std::array<std::uint8_t, 128> out{};
    for (int i = 0; i < 64; ++i) {
        out[std::size_t(i)] = std::uint8_t(std::clamp((luma_quantizer[zigzag[i]] * scale + 50) / 100, 1, 255));
        out[std::size_t(64 + i)] = std::uint8_t(std::clamp((chroma_quantizer[zigzag[i]] * scale + 50) / 100, 1, 255));
    }
    return out;
}

std::span<const HuffmanTable, 4> huffman_tables() noexcept {
    return tables;
}

}  // namespace switchboard::rtc::rtp::jpeg
