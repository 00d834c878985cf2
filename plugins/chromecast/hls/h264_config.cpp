#include "hls/h264_config.hpp"

#include <cstdio>

namespace switchboard::hls {

namespace {

constexpr int nal_type_sps = 7;
constexpr int nal_type_pps = 8;

/// Index of the first byte after the next start code at or after `from`, or size().
std::size_t after_start_code(std::span<const std::uint8_t> b, std::size_t from) {
    for (std::size_t i = from; i + 3 <= b.size(); ++i) {
        if (b[i] == 0 && b[i + 1] == 0 && b[i + 2] == 1) return i + 3;
    }
    return b.size();
}

}  // namespace

std::vector<std::span<const std::uint8_t>> annexb_nal_units(std::span<const std::uint8_t> bytes) {
    std::vector<std::span<const std::uint8_t>> units;
    std::size_t start = after_start_code(bytes, 0);
    while (start < bytes.size()) {
        std::size_t next = after_start_code(bytes, start);
        // The next unit's start code began 3 bytes before `next`; a 4-byte start code's
        // leading zero belongs to it too, not to this unit (trailing zeros are padding).
        std::size_t end = next == bytes.size() ? bytes.size() : next - 3;
        while (end > start && bytes[end - 1] == 0) --end;
        if (end > start) units.push_back(bytes.subspan(start, end - start));
        start = next;
    }
    return units;
}

std::optional<H264ParameterSets> H264ParameterSets::find(std::span<const std::uint8_t> annexb) {
    H264ParameterSets sets;
    for (auto unit : annexb_nal_units(annexb)) {
        int type = unit[0] & 0x1f;
        if (type == nal_type_sps && sets.sps.empty()) sets.sps.assign(unit.begin(), unit.end());
        if (type == nal_type_pps && sets.pps.empty()) sets.pps.assign(unit.begin(), unit.end());
    }
    // An SPS shorter than 4 bytes has no profile and level: not one we can describe.
    if (sets.sps.size() < 4 || sets.pps.empty()) return std::nullopt;
    return sets;
}

std::vector<std::uint8_t> H264ParameterSets::annexb() const {
    std::vector<std::uint8_t> out{0, 0, 0, 1};
    out.insert(out.end(), sps.begin(), sps.end());
    out.insert(out.end(), {0, 0, 0, 1});
    out.insert(out.end(), pps.begin(), pps.end());
    return out;
}

std::vector<std::uint8_t> h264_config_as_annexb(std::span<const std::uint8_t> config) {
    // configurationVersion 1, profile, compatibility, level, 6 bits + lengthSizeMinusOne,
    // 3 bits + numOfSequenceParameterSets, then 16-bit lengths and units; then the PPSs.
    if (config.size() < 7 || config[0] != 1) return {config.begin(), config.end()};
    std::vector<std::uint8_t> out;
    std::size_t at = 5;
    for (int kind = 0; kind < 2; ++kind) {
        if (at >= config.size()) return {};
        int count = kind == 0 ? (config[at] & 0x1f) : config[at];
        ++at;
        for (int i = 0; i < count; ++i) {
            if (at + 2 > config.size()) return {};
            std::size_t length = (std::size_t(config[at]) << 8) | config[at + 1];
            at += 2;
            if (at + length > config.size()) return {};
            out.insert(out.end(), {0, 0, 0, 1});
            out.insert(out.end(), config.begin() + std::ptrdiff_t(at), config.begin() + std::ptrdiff_t(at + length));
            at += length;
        }
    }
    return out;
}

std::string H264ParameterSets::codec_string() const {
    char text[16];
    std::snprintf(text, sizeof text, "avc1.%02x%02x%02x", sps[1], sps[2], sps[3]);
    return text;
}

}  // namespace switchboard::hls
