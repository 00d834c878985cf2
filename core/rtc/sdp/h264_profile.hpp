/// \file h264_profile.hpp
/// \brief H264 profile-level-id (RFC 6184 §8.1): which profile, which level.
///
/// Two H264 payload types are the same codec only when their profiles agree (RFC 6184
/// §8.2.2); the level is negotiated. The profile is not the profile_idc byte alone: the
/// constraint flags (profile-iop) matter, and Constrained Baseline is written several
/// ways (42e0xx, 42c0xx, 4de0xx, 58c0xx...). The classification below is the table
/// browsers use (libwebrtc's h264_profile_level_id.cc, RFC 6184 table 5 extended with
/// RFC 7742 §6.2's Constrained High). The value is the same 24-bit 0xPPCCLL integer
/// as Format::profile_level_id and plugins/transcode/h264_profile.hpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace switchboard::rtc::sdp {

enum class H264Profile {
    constrained_baseline,
    baseline,
    main,
    constrained_high,
    high,
    predictive_high_444,
};

/// Levels are level_idc values (31 is level 3.1) except 1b, which H.264 spells two ways
/// (level_idc 11 with constraint_set3 in Baseline/Main, level_idc 9 in High).
enum class H264Level : std::uint8_t {
    level_1b = 0,
    level_1 = 10,
    level_1_1 = 11,
    level_1_2 = 12,
    level_1_3 = 13,
    level_2 = 20,
    level_2_1 = 21,
    level_2_2 = 22,
    level_3 = 30,
    level_3_1 = 31,
    level_3_2 = 32,
    level_4 = 40,
    level_4_1 = 41,
    level_4_2 = 42,
    level_5 = 50,
    level_5_1 = 51,
    level_5_2 = 52,
    level_6 = 60,
    level_6_1 = 61,
    level_6_2 = 62,
};

/// A classified profile-level-id.
struct H264ProfileLevelId {
    H264Profile profile = H264Profile::constrained_baseline;
    H264Level level = H264Level::level_3_1;

    /// Classifies a 24-bit value; nullopt for a profile or level outside the table.
    static std::optional<H264ProfileLevelId> from_value(std::uint32_t value);
    /// Parses the 6 hex digits of an fmtp profile-level-id, then classifies.
    static std::optional<H264ProfileLevelId> parse(std::string_view hex);
    /// The canonical 24-bit value: 42e0xx for Constrained Baseline, 4200xx Baseline,
    /// 4d00xx Main, 640cxx Constrained High, 6400xx High, f400xx Predictive High 4:4:4.
    /// nullopt for level 1b in a profile that cannot express it.
    std::optional<std::uint32_t> value() const;
    /// value() as 6 lower-case hex digits.
    std::optional<std::string> to_string() const;

    friend bool operator==(const H264ProfileLevelId&, const H264ProfileLevelId&) = default;
};

/// The default when an fmtp has no profile-level-id: 42000a, Baseline level 1
/// (RFC 6184 §8.1).
inline constexpr std::uint32_t default_h264_profile_level_id = 0x42000a;

/// Parses exactly 6 hex digits into 0xPPCCLL.
std::optional<std::uint32_t> parse_profile_level_id(std::string_view hex);

/// a < b in decoding capability (1b sits between 1 and 1.1).
bool level_less(H264Level a, H264Level b);

std::string_view to_string(H264Profile p);

}  // namespace switchboard::rtc::sdp
