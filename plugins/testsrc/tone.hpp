/// \file tone.hpp
/// \brief A continuous sine tone as interleaved signed 16-bit samples.
///
/// The phase carries over from one block to the next, so 20 ms frames join without a
/// click, and it wraps every cycle so precision does not decay over a long run.
#pragma once

#include <cstdint>

namespace switchboard::testsrc {

class ToneGenerator {
public:
    /// A tone of `frequency_hz` at `sample_rate`, peaking at `amplitude` of full scale.
    ToneGenerator(double frequency_hz, int sample_rate, double amplitude = 0.25) noexcept;

    /// Writes the next `samples` sample frames, the same value on each of `channels`.
    void fill(std::int16_t* out, int samples, int channels) noexcept;

private:
    double m_phase = 0.0;  ///< radians, in [0, 2π)
    double m_step;         ///< radians per sample
    double m_peak;         ///< in sample units
};

}  // namespace switchboard::testsrc
