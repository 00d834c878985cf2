/// \file ntp_time.hpp
/// \brief Wallclock as the 64-bit NTP timestamp RTCP uses (RFC 3550 §4: 32.32 fixed point
/// seconds since 1900-01-01).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

namespace switchboard::rtc::rtp {

/// Seconds from the NTP epoch (1900) to the Unix epoch (1970).
inline constexpr std::uint64_t ntp_unix_offset_s = 2208988800u;

inline std::uint64_t to_ntp(std::chrono::system_clock::time_point t) noexcept {
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
    const auto secs = std::uint64_t(us / 1000000) + ntp_unix_offset_s;
    const auto frac = (std::uint64_t(us % 1000000) << 32) / 1000000u;
    return (secs << 32) | frac;
}

/// A 64-bit NTP timestamp in nanoseconds (of the NTP epoch).
inline std::int64_t ntp_to_ns(std::uint64_t ntp) noexcept {
    return std::int64_t(ntp >> 32) * 1'000'000'000 + std::int64_t(((ntp & 0xffffffffu) * 1'000'000'000) >> 32);
}

/// The middle 32 bits (16.16), what LSR and DLSR are expressed in.
inline std::uint32_t compact_ntp(std::uint64_t ntp) noexcept {
    return std::uint32_t(ntp >> 16);
}

/// The round trip a report block measures (RFC 3550 §6.4.1: arrival - LSR - DLSR, all
/// in 1/65536 s), in milliseconds; nullopt when the block echoes no SR yet or the result
/// is negative (clock steps, a stale block).
inline std::optional<std::int64_t> round_trip_ms(std::uint32_t last_sr, std::uint32_t delay_since_last_sr,
                                                 std::uint32_t now_compact) noexcept {
    if (last_sr == 0) return std::nullopt;
    const auto rtt = std::int32_t(now_compact - last_sr - delay_since_last_sr);
    if (rtt < 0) return std::nullopt;
    return std::int64_t(rtt) * 1000 / 65536;
}

}  // namespace switchboard::rtc::rtp
