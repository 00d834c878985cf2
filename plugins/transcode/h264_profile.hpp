/// \file h264_profile.hpp
/// \brief The profile-level-id (RFC 6184) of an H264 stream, read from its SPS.
///
/// The encoder advertises what libx264 really writes, so the graph and a call's SDP
/// agree with the bitstream. Plain functions; any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

namespace switchboard::transcode {

/// profile_idc, the constraint flags and level_idc of the first SPS in Annex-B bytes
/// (start-code delimited NAL units), as the 24-bit value 0xPPCCLL; nullopt without one.
inline std::optional<std::uint32_t> sps_profile_level_id(const std::uint8_t* data, std::size_t size) noexcept {
    for (std::size_t i = 0; i + 3 < size; ++i) {
        if (data[i] != 0 || data[i + 1] != 0 || data[i + 2] != 1) continue;
        const std::size_t nal = i + 3;
        // The three bytes after an SPS header hold no emulation-prevention byte: the
        // profile byte is never 0, so "00 00 03" cannot start inside them.
        if ((data[nal] & 0x1f) == 7 && nal + 3 < size)
            return (std::uint32_t(data[nal + 1]) << 16) | (std::uint32_t(data[nal + 2]) << 8) | data[nal + 3];
    }
    return std::nullopt;
}

/// The profile-level-id to advertise for an SPS value. RFC 6184 (section 8.1, table 5)
/// spells Constrained Baseline several ways; libx264 writes 42c0xx (constraint_set0 and
/// set1), while WebRTC endpoints offer 42e0xx, and format intersection compares the
/// profile bytes exactly. So Constrained Baseline is advertised as 42e0 with the SPS's
/// level; any other profile as written.
inline std::uint32_t advertised_profile_level_id(std::uint32_t sps_value) noexcept {
    const std::uint32_t profile_idc = sps_value >> 16;
    const std::uint32_t constraints = (sps_value >> 8) & 0xff;
    const bool constrained_baseline = profile_idc == 0x42 && (constraints & 0x40) && !(constraints & 0x0f);
    return constrained_baseline ? (0x42e000u | (sps_value & 0xff)) : sps_value;
}

}  // namespace switchboard::transcode
