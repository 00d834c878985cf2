#include "rtc/rtp/send_timeline.hpp"

#include <utility>

namespace switchboard::rtc::rtp {

SendTimeline::SendTimeline(int clock_rate, std::int64_t max_step_ticks, std::int64_t default_interval_ticks) noexcept
    : m_clock_rate(clock_rate > 0 ? clock_rate : 90000),
      m_max_step(max_step_ticks),
      m_interval(default_interval_ticks) {}

std::int64_t SendTimeline::map(std::int64_t pts, Rational tb) noexcept {
    std::int64_t ticks = pts;
    if (tb.is_set() && !(tb.num == 1 && tb.den == m_clock_rate))
        ticks = std::int64_t((long double)pts * tb.num * m_clock_rate / tb.den);
    if (!m_last_in) {
        m_last_in = ticks;
        m_last_out = ticks;
        return ticks;
    }
    const std::int64_t step = ticks - *m_last_in;
    m_last_in = ticks;
    if (step == 0) return m_last_out;  // another frame of the same instant (e.g. layers)
    const bool resumed = std::exchange(m_resumed, false);
    if (step < 0 || (step > m_max_step && !resumed)) {
        ++m_discontinuities;
        m_last_out += m_interval;
        return m_last_out;
    }
    if (step <= m_max_step) m_interval = step;
    m_last_out += step;
    return m_last_out;
}

}  // namespace switchboard::rtc::rtp
