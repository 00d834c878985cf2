// Sine tone generator; see tone.hpp.
#include "tone.hpp"

#include <cmath>
#include <numbers>

namespace switchboard::testsrc {

ToneGenerator::ToneGenerator(double frequency_hz, int sample_rate, double amplitude) noexcept
    : m_step(2.0 * std::numbers::pi * frequency_hz / sample_rate), m_peak(amplitude * 32767.0) {}

void ToneGenerator::fill(std::int16_t* out, int samples, int channels) noexcept {
    constexpr double cycle = 2.0 * std::numbers::pi;
    for (int i = 0; i < samples; ++i) {
        const auto value = std::int16_t(std::lround(m_peak * std::sin(m_phase)));
        for (int c = 0; c < channels; ++c) *out++ = value;
        m_phase += m_step;
        if (m_phase >= cycle) m_phase -= cycle;
    }
}

}  // namespace switchboard::testsrc
