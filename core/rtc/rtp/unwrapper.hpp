/// \file unwrapper.hpp
/// \brief Extends wrapping 16-bit sequence numbers and 32-bit timestamps to 64 bits.
///
/// RFC 3550 Appendix A.1 keeps a cycle count; this does the same by taking the signed
/// distance from the last value seen, so a late packet from before a wrap maps below the
/// wrap instead of a whole cycle ahead. Values start at 2^N (one cycle in) so a packet
/// reordered before the first one never goes negative.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <type_traits>

namespace switchboard::rtc::rtp {

template <class U>
class Unwrapper {
    static_assert(std::is_unsigned_v<U> && sizeof(U) < sizeof(std::int64_t));

public:
    /// The extended value of `v`. Updates the reference only when `v` is newer.
    std::int64_t unwrap(U v) noexcept {
        if (!m_last) {
            m_last = std::int64_t(v) + cycle;
            return *m_last;
        }
        using S = std::make_signed_t<U>;
        const U last = U(*m_last);
        const auto delta = std::int64_t(S(U(v - last)));
        const std::int64_t r = *m_last + delta;
        if (delta > 0) m_last = r;
        return r;
    }
    /// Without updating the reference.
    std::int64_t peek(U v) const noexcept {
        if (!m_last) return std::int64_t(v) + cycle;
        using S = std::make_signed_t<U>;
        return *m_last + std::int64_t(S(U(v - U(*m_last))));
    }
    void reset() noexcept { m_last.reset(); }

    static constexpr std::int64_t cycle = std::int64_t(std::numeric_limits<U>::max()) + 1;

private:
    std::optional<std::int64_t> m_last;
};

using SequenceUnwrapper = Unwrapper<std::uint16_t>;
using TimestampUnwrapper = Unwrapper<std::uint32_t>;

}  // namespace switchboard::rtc::rtp
