/// \file jpeg_header.hpp
/// \brief Writes the JPEG header that RFC 2435 leaves out of the RTP payload, so that
/// header + the reassembled scan data + EOI is a complete JFIF image any decoder takes.
///
/// RFC 2435 §3.1 carries only type, Q, size and (optionally) the quantization tables;
/// the rest is fixed: three components (Y, Cb, Cr), Y sampled 2x1 (type 0, 4:2:2) or
/// 2x2 (type 1, 4:2:0), the standard Huffman tables, one interleaved baseline scan.
/// Written: SOI, APP0 "JFIF", DQT, SOF0 (SOF1, extended sequential, when a table has
/// 16-bit entries, which baseline forbids), DHT, DRI when there are restart markers,
/// SOS. The algorithm follows RFC 2435 Appendix B; the code is our own.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace switchboard::rtc::rtp::jpeg {

struct FrameHeader {
    int type = 0;                        ///< 0: 4:2:2, 1: 4:2:0 (RFC 2435 §4.1; the restart bit, 64, removed)
    int width = 0;                       ///< pixels, 8..2040
    int height = 0;                      ///< pixels, 8..2040
    std::uint16_t restart_interval = 0;  ///< MCUs between restart markers; 0: none
    /// Quantization tables as RFC 2435 §3.1.8 sends them: in zig-zag order, 64 bytes
    /// each, or 128 (big-endian entries) when bit i of `precision` is set; the first
    /// for luma, the second (when present) for chroma.
    std::span<const std::uint8_t> tables;
    std::uint8_t precision = 0;
};

/// The header bytes, empty when `h` cannot be one: a type other than 0/1, a size out
/// of range, no table or one cut short, more than two tables.
std::vector<std::uint8_t> write_header(const FrameHeader& h);

/// A lower bound on the entropy-coded bytes of any picture of `h`'s type and size:
/// with the standard Huffman tables every 8x8 block takes at least its DC difference
/// code and an end-of-block code (6 bits for luma, 4 for chroma). Less data than this
/// cannot be a whole picture.
std::size_t minimum_scan_size(const FrameHeader& h) noexcept;

}  // namespace switchboard::rtc::rtp::jpeg
