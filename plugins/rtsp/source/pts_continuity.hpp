/// \file pts_continuity.hpp
/// \brief Keeps one output's pts running across camera sessions.
///
/// Each RTSP session starts its RTP timestamps anywhere. Within a session a frame's
/// output pts is its own plus a fixed offset; the first frame of a new session is placed
/// at the previous output's pts plus the wall time that passed, so what follows sees
/// one stream with a pause in it, in real time. Header-only, not thread-safe.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>

namespace switchboard::rtsp {

class PtsContinuity {
public:
    /// The next frames come from a new session.
    void new_session() noexcept { m_offset.reset(); }

    /// The output pts of a frame with session pts `pts` (in 1/clock_rate), emitted at
    /// `now_ns` (monotonic). A port's clock rate does not change between sessions.
    std::int64_t map(std::int64_t pts, int clock_rate, std::int64_t now_ns) noexcept {
        if (!m_offset) {
            std::int64_t start = 0;
            if (m_last_out) {
                const std::int64_t elapsed = (now_ns - m_last_now_ns) * clock_rate / 1'000'000'000;
                start = *m_last_out + std::max<std::int64_t>(elapsed, 1);
            }
            m_offset = start - pts;
        }
        const std::int64_t out = pts + *m_offset;
        if (!m_last_out || out > *m_last_out) {
            m_last_out = out;
            m_last_now_ns = now_ns;
        }
        return out;
    }

private:
    std::optional<std::int64_t> m_offset;
    std::optional<std::int64_t> m_last_out;
    std::int64_t m_last_now_ns = 0;
};

}  // namespace switchboard::rtsp
