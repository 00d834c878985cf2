#include "rtc/sdp/h264_profile.hpp"

#include <array>
#include <cstdio>

namespace switchboard::rtc::sdp {

namespace {

// profile-iop bits: constraint_set0_flag is the most significant.
constexpr std::uint8_t constraint_set3 = 0x10;

// One row: profile_idc, then which profile-iop bits must be 1 (`ones`) and 0
// (`zeros`); the other bits are free. Same rows as libwebrtc's kProfilePatterns.
struct Pattern {
    std::uint8_t profile_idc;
    std::uint8_t ones;
    std::uint8_t zeros;
    H264Profile profile;
};

constexpr std::array<Pattern, 9> patterns{{
    {0x42, 0x40, 0x0f, H264Profile::constrained_baseline},  // x1xx0000
    {0x4d, 0x80, 0x0f, H264Profile::constrained_baseline},  // 1xxx0000
    {0x58, 0xc0, 0x0f, H264Profile::constrained_baseline},  // 11xx0000
    {0x42, 0x00, 0x4f, H264Profile::baseline},              // x0xx0000
    {0x58, 0x80, 0x4f, H264Profile::baseline},              // 10xx0000
    {0x4d, 0x00, 0xaf, H264Profile::main},                  // 0x0x0000
    {0x64, 0x00, 0xff, H264Profile::high},                  // 00000000
    {0x64, 0x0c, 0xf3, H264Profile::constrained_high},      // 00001100
    {0xf4, 0x00, 0xff, H264Profile::predictive_high_444},   // 00000000
}};

bool known_level(unsigned level_idc) {
    switch (level_idc) {
        case 10:
        case 11:
        case 12:
        case 13:
        case 20:
        case 21:
        case 22:
        case 30:
        case 31:
        case 32:
        case 40:
        case 41:
        case 42:
        case 50:
        case 51:
        case 52:
        case 60:
        case 61:
        case 62:
            return true;
        default:
            return false;
    }
}

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

}  // namespace

std::optional<std::uint32_t> parse_profile_level_id(std::string_view hex) {
    if (hex.size() != 6) return std::nullopt;
    std::uint32_t value = 0;
    for (char c : hex) {
        const int d = hex_digit(c);
        if (d < 0) return std::nullopt;
        value = value << 4 | std::uint32_t(d);
    }
    return value;
}

std::optional<H264ProfileLevelId> H264ProfileLevelId::from_value(std::uint32_t value) {
    const auto profile_idc = std::uint8_t(value >> 16);
    const auto iop = std::uint8_t(value >> 8);
    const auto level_idc = std::uint8_t(value);
    std::optional<H264Profile> profile;
    for (const auto& p : patterns) {
        if (p.profile_idc == profile_idc && (iop & p.ones) == p.ones && (iop & p.zeros) == 0) {
            profile = p.profile;
            break;
        }
    }
    if (!profile) return std::nullopt;
    // Level 1b (H.264 Annex A.3.1/A.3.2): level_idc 11 with constraint_set3 in the
    // Baseline family and Main, level_idc 9 otherwise.
    H264Level level;
    const bool baseline_or_main = profile_idc == 0x42 || profile_idc == 0x4d || profile_idc == 0x58;
    if (level_idc == 11 && baseline_or_main && (iop & constraint_set3))
        level = H264Level::level_1b;
    else if (level_idc == 9)
        level = H264Level::level_1b;
    else if (known_level(level_idc))
        level = H264Level(level_idc);
    else
        return std::nullopt;
    return H264ProfileLevelId{*profile, level};
}

std::optional<H264ProfileLevelId> H264ProfileLevelId::parse(std::string_view hex) {
    auto value = parse_profile_level_id(hex);
    return value ? from_value(*value) : std::nullopt;
}

std::optional<std::uint32_t> H264ProfileLevelId::value() const {
    std::uint32_t prefix = 0;
    switch (profile) {
        case H264Profile::constrained_baseline:
            prefix = 0x42e0;
            break;
        case H264Profile::baseline:
            prefix = 0x4200;
            break;
        case H264Profile::main:
            prefix = 0x4d00;
            break;
        case H264Profile::constrained_high:
            prefix = 0x640c;
            break;
        case H264Profile::high:
            prefix = 0x6400;
            break;
        case H264Profile::predictive_high_444:
            prefix = 0xf400;
            break;
    }
    if (level == H264Level::level_1b) {
        // Only the Baseline family and Main spell 1b, with constraint_set3 and level 11.
        if (profile == H264Profile::constrained_baseline) return 0x42f00b;
        if (profile == H264Profile::baseline) return 0x42100b;
        if (profile == H264Profile::main) return 0x4d100b;
        return std::nullopt;
    }
    return prefix << 8 | std::uint32_t(level);
}

std::optional<std::string> H264ProfileLevelId::to_string() const {
    auto v = value();
    if (!v) return std::nullopt;
    char buf[8];
    std::snprintf(buf, sizeof buf, "%06x", unsigned(*v));
    return std::string(buf);
}

bool level_less(H264Level a, H264Level b) {
    if (a == H264Level::level_1b) return b != H264Level::level_1 && b != H264Level::level_1b;
    if (b == H264Level::level_1b) return a == H264Level::level_1;
    return std::uint8_t(a) < std::uint8_t(b);
}

std::string_view to_string(H264Profile p) {
    switch (p) {
        case H264Profile::constrained_baseline:
            return "constrained-baseline";
        case H264Profile::baseline:
            return "baseline";
        case H264Profile::main:
            return "main";
        case H264Profile::constrained_high:
            return "constrained-high";
        case H264Profile::high:
            return "high";
        case H264Profile::predictive_high_444:
            return "predictive-high-444";
    }
    return "?";
}

}  // namespace switchboard::rtc::sdp
