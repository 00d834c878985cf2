/// \file stamp.hpp
/// \brief The machine-readable frame stamp: a wall-clock time and a counter in the luma plane.
///
/// The same layout as the test peers' stamp.py and stamp.mjs, so a peer that receives our
/// video can read its age, and our tests can read what a peer sent. Two rows of square
/// blocks at the top-left corner, block size = width / 40 (so the stamp survives
/// scaling and lossy coding):
///   row 0: 32 blocks = wall-clock send time in ms, modulo 2^32, most significant first;
///   row 1: 16 blocks = frame counter, modulo 2^16, most significant first.
/// A block is Y=235 for a 1 bit and Y=16 for a 0; a reader samples block centres.
/// The clock is the system (realtime) clock, not the monotonic one: a peer on the same
/// machine compares the stamp against its own wall clock.
///
/// Self-contained (standard library only) so tests and other plugins can include it.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

namespace switchboard::testsrc::stamp {

inline constexpr std::uint8_t one = 235;        ///< luma of a 1 bit
inline constexpr std::uint8_t zero = 16;        ///< luma of a 0 bit
inline constexpr std::uint8_t threshold = 125;  ///< a reader's cut between the two
inline constexpr int time_bits = 32;
inline constexpr int counter_bits = 16;

/// Side of one block in pixels for a picture `width` pixels wide.
inline constexpr int block_size(int width) noexcept {
    return width / 40;
}

/// Rows of the luma plane the stamp covers.
inline constexpr int rows_needed(int width) noexcept {
    return 2 * block_size(width);
}

/// Wall-clock milliseconds modulo 2^32, the stamp's time field.
inline std::uint32_t now_ms32() noexcept {
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
                  .count();
    return std::uint32_t(std::uint64_t(ms) & 0xffffffffu);
}

/// Paints the stamp into a luma plane of `width` pixels per row and `stride` bytes per
/// row, which must have at least rows_needed(width) rows.
inline void write(std::uint8_t* luma, int stride, int width, std::uint32_t ms32, std::uint32_t counter) noexcept {
    const int b = block_size(width);
    auto row_of_bits = [&](int row, std::uint32_t value, int bits) {
        for (int i = 0; i < bits; ++i) {
            const std::uint8_t level = ((value >> (bits - 1 - i)) & 1u) ? one : zero;
            for (int y = row * b; y < (row + 1) * b; ++y) {
                std::uint8_t* line = luma + std::ptrdiff_t(y) * stride + i * b;
                for (int x = 0; x < b; ++x) line[x] = level;
            }
        }
    };
    row_of_bits(0, ms32, time_bits);
    row_of_bits(1, counter & 0xffffu, counter_bits);
}

/// What a stamp says.
struct Reading {
    std::uint32_t ms32 = 0;     ///< wall-clock ms mod 2^32 when the frame was made
    std::uint16_t counter = 0;  ///< frame counter mod 2^16
};

/// Reads a stamp from the block centres of a luma plane (see write()).
inline Reading read(const std::uint8_t* luma, int stride, int width) noexcept {
    const int b = block_size(width);
    auto row_of_bits = [&](int row, int bits) {
        std::uint32_t value = 0;
        const std::uint8_t* line = luma + std::ptrdiff_t(row * b + b / 2) * stride;
        for (int i = 0; i < bits; ++i) value = (value << 1) | (line[i * b + b / 2] > threshold ? 1u : 0u);
        return value;
    };
    Reading r;
    r.ms32 = row_of_bits(0, time_bits);
    r.counter = std::uint16_t(row_of_bits(1, counter_bits));
    return r;
}

/// Age in ms of a stamp time read from a frame, or nullopt when it does not look like
/// one (more than a minute old, or in the future).
inline std::optional<std::uint32_t> age_ms(std::uint32_t ms32, std::uint32_t now = now_ms32()) noexcept {
    const std::uint32_t age = now - ms32;  // unsigned: wraps modulo 2^32 like the stamp
    if (age >= 60000u) return std::nullopt;
    return age;
}

}  // namespace switchboard::testsrc::stamp
