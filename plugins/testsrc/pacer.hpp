/// \file pacer.hpp
/// \brief Absolute deadlines for a periodic source: tick n is due at start + n / rate.
///
/// Computing every deadline from the start time (instead of "now + period") keeps the
/// long-run rate exact: timer latency never accumulates into drift. When the handler for
/// a tick runs more than one period late (a stalled worker, a suspended machine), the
/// pacer skips ahead to the tick that is due now rather than firing a burst of stale
/// frames, and reports how many it skipped. A plain value; no threads involved.
#pragma once

#include <chrono>
#include <cstdint>

#include <switchboard/format.hpp>

namespace switchboard::testsrc {

class Pacer {
public:
    using Clock = std::chrono::steady_clock;

    /// `rate` ticks per second, e.g. {30, 1} for 30 fps or {50, 1} for 20 ms audio.
    explicit Pacer(Rational rate) noexcept : m_rate(rate) {}

    /// Tick 0 is due at `start`.
    void start(Clock::time_point start) noexcept {
        m_start = start;
        m_index = 0;
    }

    /// The tick due next (also the number of ticks so far, skipped ones included).
    std::int64_t index() const noexcept { return m_index; }
    /// When the next tick is due.
    Clock::time_point deadline() const noexcept { return m_start + offset(m_index); }
    /// One tick's length.
    Clock::duration period() const noexcept { return offset(1); }

    /// Called when the next tick fires at `now`. If that is more than one period after
    /// its deadline, moves to the latest tick already due and returns how many ticks
    /// were skipped; otherwise returns 0.
    std::int64_t catch_up(Clock::time_point now) noexcept {
        if (now - deadline() <= period()) return 0;
        const auto elapsed = std::chrono::duration_cast<std::chrono::nanoseconds>(now - m_start).count();
        const std::int64_t due = elapsed * m_rate.num / (std::int64_t(1'000'000'000) * m_rate.den);
        const std::int64_t skipped = due - m_index;
        m_index = due;
        return skipped;
    }

    /// The current tick was handled; the next one is due one period later.
    void advance() noexcept { ++m_index; }

private:
    Clock::duration offset(std::int64_t ticks) const noexcept {
        return std::chrono::duration_cast<Clock::duration>(
            std::chrono::nanoseconds(ticks * 1'000'000'000 * m_rate.den / m_rate.num));
    }

    Rational m_rate;
    Clock::time_point m_start{};
    std::int64_t m_index = 0;
};

}  // namespace switchboard::testsrc
