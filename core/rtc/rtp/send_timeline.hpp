/// \file send_timeline.hpp
/// \brief Keeps the RTP timestamps of one outgoing stream continuous when the frames
/// behind it are not: pts going backwards, a jump forwards, a source or encoder restart.
///
/// A receiver's jitter buffer and playout clock follow the RTP timestamp (RFC 3550 §5.1:
/// it must increase monotonically, linearly in time). When the source's pts steps back or
/// leaps, the step is absorbed into an offset: the frame gets the previous timestamp plus
/// the last normal frame interval, and later frames follow from there (after resume(), a
/// forward step is kept: the pause was real time). Sequence numbers
/// need no such care as long as one Packetizer lives for the whole stream (it counts
/// packets, not pts), which is how PeerConnection uses it. Not thread-safe.
#pragma once

#include <cstdint>
#include <optional>

#include <switchboard/format.hpp>

namespace switchboard::rtc::rtp {

class SendTimeline {
public:
    /// `max_step_ticks`: a forward step larger than this is a jump (default 1 s at 90 kHz);
    /// `default_interval_ticks`: the interval used before two frames were seen (30 fps).
    explicit SendTimeline(int clock_rate = 90000, std::int64_t max_step_ticks = 90000,
                          std::int64_t default_interval_ticks = 3000) noexcept;

    /// The continuous time, in clock ticks, of a frame with this pts (in `time_base`).
    std::int64_t map(std::int64_t pts, Rational time_base) noexcept;

    /// The stream was paused (held, RFC 3264 §8.4) while its source went on: the next
    /// forward step, however long, is real time and is kept, so the receiver's playout
    /// clock stays in step with the wall clock (libwebrtc otherwise takes the pause for
    /// network delay and plays out hundreds of ms late for a while). A backward step is
    /// still absorbed.
    void resume() noexcept { m_resumed = true; }

    /// How often a step was absorbed.
    std::uint64_t discontinuities() const noexcept { return m_discontinuities; }
    int clock_rate() const noexcept { return m_clock_rate; }

private:
    int m_clock_rate;
    std::int64_t m_max_step;
    std::int64_t m_interval;
    std::optional<std::int64_t> m_last_in;
    std::int64_t m_last_out = 0;
    std::uint64_t m_discontinuities = 0;
    bool m_resumed = false;
};

}  // namespace switchboard::rtc::rtp
