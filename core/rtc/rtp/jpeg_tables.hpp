/// \file jpeg_tables.hpp
/// \brief The tables RFC 2435 receivers need to rebuild a JPEG header that the RTP
/// payload leaves out: the quantization tables of Q 1..99 (RFC 2435 Appendix A, scaled
/// from ITU T.81 Tables K.1/K.2) and the standard Huffman tables every RFC 2435 stream
/// is coded with (T.81 Tables K.3..K.6, RFC 2435 Appendix B).
#pragma once

#include <array>
#include <cstdint>
#include <span>

namespace switchboard::rtc::rtp::jpeg {

/// Luma then chroma quantization table, 64 bytes each, in zig-zag order (as a DQT
/// segment holds them), for a Q factor of 1..99 (other values are clamped into it).
std::array<std::uint8_t, 128> quantization_tables(int q) noexcept;

/// One Huffman table as a DHT segment states it: how many codes of each length 1..16,
/// then the symbols in code order.
struct HuffmanTable {
    std::uint8_t table_class;  ///< 0: DC, 1: AC
    std::uint8_t id;           ///< 0: luma, 1: chroma
    std::array<std::uint8_t, 16> counts;
    std::span<const std::uint8_t> symbols;
};

/// DC luma, AC luma, DC chroma, AC chroma.
std::span<const HuffmanTable, 4> huffman_tables() noexcept;

}  // namespace switchboard::rtc::rtp::jpeg
