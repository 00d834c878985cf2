/// \file camera_clock.hpp
/// \brief Puts a camera's tracks on our clock through its RTCP sender reports, so audio
/// and video keep the alignment the camera gave them (lip sync).
///
/// A sender report pairs an RTP timestamp with the camera's wall clock (RFC 3550
/// §6.4.1); with it every frame of every track gets a camera time. One offset, shared by
/// the tracks of a session, turns camera time into our monotonic time: the smallest
/// "arrival minus camera time" seen, i.e. the path of the fastest track, so a track that
/// took longer (an audio encoder's delay) comes out captured earlier than it arrived,
/// as it was. The offset creeps up by 100 ppm so a camera clock slower than ours does
/// not leave it behind. Header-only, not thread-safe.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>

namespace switchboard::rtsp {

class CameraClock {
public:
    /// A new session: the camera's clock may have been reset.
    void new_session() noexcept { m_offset.reset(); }

    /// The capture time on our monotonic clock of media the camera stamped `camera_ns`
    /// (its NTP clock, ns) that arrived at `arrival_ns`. Never after the arrival.
    std::int64_t capture_ns(std::int64_t camera_ns, std::int64_t arrival_ns) noexcept {
        const std::int64_t sample = arrival_ns - camera_ns;
        if (!m_offset)
            m_offset = sample;
        else
            m_offset = std::min(*m_offset + (arrival_ns - m_last_arrival_ns) / 10'000, sample);
        m_last_arrival_ns = arrival_ns;
        return camera_ns + *m_offset;
    }

private:
    std::optional<std::int64_t> m_offset;
    std::int64_t m_last_arrival_ns = 0;
};

/// A 64-bit NTP timestamp (32.32 fixed point seconds) in nanoseconds.
inline std::int64_t ntp_to_ns(std::uint64_t ntp) noexcept {
    return std::int64_t(ntp >> 32) * 1'000'000'000 + std::int64_t(((ntp & 0xffffffffu) * 1'000'000'000) >> 32);
}

}  // namespace switchboard::rtsp
