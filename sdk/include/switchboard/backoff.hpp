/// \file backoff.hpp
/// \brief Capped exponential back-off: how long to wait before the next attempt at
/// something that keeps failing (a camera that is down, a server that refuses).
///
/// The wait doubles from `min` with every failure up to `max`; reset() after a success
/// starts from `min` again. A plain value type, header-only, no threads.
#pragma once

#include <algorithm>
#include <chrono>

namespace switchboard {

class Backoff {
public:
    Backoff(std::chrono::milliseconds min, std::chrono::milliseconds max) noexcept
        : m_min(std::max(min, std::chrono::milliseconds(0))), m_max(std::max(max, m_min)) {}

    /// The wait before the next attempt; counts a failure.
    std::chrono::milliseconds next() noexcept {
        // 2^20 × min exceeds any sensible cap; stopping there keeps the shift defined.
        const unsigned exponent = std::min(m_failures, 20u);
        ++m_failures;
        return std::min<std::chrono::milliseconds>(m_min * (1LL << exponent), m_max);
    }
    /// After a success: the next failure waits `min` again.
    void reset() noexcept { m_failures = 0; }
    /// Failures since the last reset().
    unsigned failures() const noexcept { return m_failures; }

private:
    std::chrono::milliseconds m_min;
    std::chrono::milliseconds m_max;
    unsigned m_failures = 0;
};

}  // namespace switchboard
