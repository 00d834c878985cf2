/// \file bit_reader.hpp
/// \brief Reads fields of any width, most significant bit first, out of bytes: RFC 3640
/// AU headers and MPEG-4 AudioSpecificConfig are bit-packed.
///
/// Failure is sticky instead of checked per read: a parser reads all its fields, then
/// asks ok() once. A read past the end (or wider than 32 bits) returns 0 and leaves the
/// reader at the end, so nothing after it can succeed either.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>

namespace switchboard::rtc::rtp {

class BitReader {
public:
    /// Reads at most `bit_limit` bits of `bytes`.
    explicit BitReader(std::span<const std::uint8_t> bytes, std::size_t bit_limit = SIZE_MAX) noexcept
        : m_bytes(bytes), m_limit(std::min(bit_limit, bytes.size() * 8)) {}

    /// The next `n` bits (0..32) as a number.
    std::uint32_t read(unsigned n) noexcept {
        if (n > 32 || n > m_limit - m_pos) {
            fail();
            return 0;
        }
        std::uint32_t v = 0;
        for (unsigned i = 0; i < n; ++i, ++m_pos) v = (v << 1) | ((m_bytes[m_pos >> 3] >> (7 - (m_pos & 7))) & 1u);
        return v;
    }
    bool read_flag() noexcept { return read(1) != 0; }
    void skip(std::size_t n) noexcept {
        if (n > m_limit - m_pos)
            fail();
        else
            m_pos += n;
    }

    bool ok() const noexcept { return m_ok; }
    std::size_t position() const noexcept { return m_pos; }
    std::size_t remaining() const noexcept { return m_limit - m_pos; }

private:
    void fail() noexcept {
        m_ok = false;
        m_pos = m_limit;
    }

    std::span<const std::uint8_t> m_bytes;
    std::size_t m_limit;
    std::size_t m_pos = 0;
    bool m_ok = true;
};

}  // namespace switchboard::rtc::rtp
