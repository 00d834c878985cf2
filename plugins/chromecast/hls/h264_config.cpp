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

/// Reads an RBSP (emulation prevention bytes already removed) bit by bit, with
/// Exp-Golomb codes (§9.1). Past the end it sets `overrun` and reads zeros.
class BitReader {
public:
    explicit BitReader(std::vector<std::uint8_t> rbsp) : m_bytes(std::move(rbsp)) {}
    std::uint32_t bit() {
        if (m_at >= m_bytes.size() * 8) {
            overrun = true;
            return 0;
        }
        std::uint32_t b = (m_bytes[m_at / 8] >> (7 - m_at % 8)) & 1;
        ++m_at;
        return b;
    }
    std::uint32_t bits(int n) {
        std::uint32_t v = 0;
        for (int i = 0; i < n; ++i) v = (v << 1) | bit();
        return v;
    }
    std::uint32_t ue() {
        int zeros = 0;
        while (bit() == 0) {
            if (overrun || ++zeros > 31) {
                overrun = true;
                return 0;
            }
        }
        return zeros ? ((1u << zeros) - 1) + bits(zeros) : 0;
    }
    std::int32_t se() {
        std::uint32_t k = ue();
        return (k & 1) ? std::int32_t((k + 1) / 2) : -std::int32_t(k / 2);
    }
    bool overrun = false;

private:
    std::vector<std::uint8_t> m_bytes;
    std::size_t m_at = 0;
};

/// A NAL unit's payload with the emulation prevention bytes (00 00 03) taken out.
std::vector<std::uint8_t> unescape(std::span<const std::uint8_t> nal) {
    std::vector<std::uint8_t> out;
    out.reserve(nal.size());
    int zeros = 0;
    for (std::uint8_t b : nal) {
        if (zeros >= 2 && b == 3) {
            zeros = 0;
            continue;
        }
        zeros = b == 0 ? zeros + 1 : 0;
        out.push_back(b);
    }
    return out;
}

/// Skips a scaling_list() of `size` coefficients (§7.3.2.1.1.1).
void skip_scaling_list(BitReader& r, int size) {
    int last = 8, next = 8;
    for (int j = 0; j < size && !r.overrun; ++j) {
        if (next != 0) next = (last + r.se() + 256) % 256;
        last = next == 0 ? last : next;
    }
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

std::optional<std::pair<int, int>> H264ParameterSets::picture_size() const {
    if (sps.size() < 4) return std::nullopt;
    BitReader r(unescape(std::span(sps).subspan(1)));  // past the NAL header
    std::uint32_t profile_idc = r.bits(8);
    r.bits(16);  // constraint flags, level_idc
    r.ue();      // seq_parameter_set_id
    std::uint32_t chroma_format_idc = 1;
    bool separate_colour_planes = false;
    switch (profile_idc) {
        case 100:
        case 110:
        case 122:
        case 244:
        case 44:
        case 83:
        case 86:
        case 118:
        case 128:
        case 138:
        case 139:
        case 134:
        case 135:
            chroma_format_idc = r.ue();
            if (chroma_format_idc == 3) separate_colour_planes = r.bit();
            r.ue();         // bit_depth_luma_minus8
            r.ue();         // bit_depth_chroma_minus8
            r.bit();        // qpprime_y_zero_transform_bypass_flag
            if (r.bit()) {  // seq_scaling_matrix_present_flag
                for (int i = 0; i < (chroma_format_idc != 3 ? 8 : 12); ++i)
                    if (r.bit()) skip_scaling_list(r, i < 6 ? 16 : 64);
            }
            break;
        default:
            break;
    }
    r.ue();  // log2_max_frame_num_minus4
    std::uint32_t poc_type = r.ue();
    if (poc_type == 0) {
        r.ue();  // log2_max_pic_order_cnt_lsb_minus4
    } else if (poc_type == 1) {
        r.bit();  // delta_pic_order_always_zero_flag
        r.se();   // offset_for_non_ref_pic
        r.se();   // offset_for_top_to_bottom_field
        std::uint32_t cycle = r.ue();
        for (std::uint32_t i = 0; i < cycle && !r.overrun; ++i) r.se();
    }
    r.ue();   // max_num_ref_frames
    r.bit();  // gaps_in_frame_num_value_allowed_flag
    std::uint32_t width_mbs = r.ue() + 1;
    std::uint32_t height_map_units = r.ue() + 1;
    std::uint32_t frame_mbs_only = r.bit();
    if (!frame_mbs_only) r.bit();  // mb_adaptive_frame_field_flag
    r.bit();                       // direct_8x8_inference_flag
    std::uint32_t crop_left = 0, crop_right = 0, crop_top = 0, crop_bottom = 0;
    if (r.bit()) {
        crop_left = r.ue();
        crop_right = r.ue();
        crop_top = r.ue();
        crop_bottom = r.ue();
    }
    if (r.overrun || width_mbs > 1024 || height_map_units > 1024) return std::nullopt;
    // Table 6-1 and equations 7-19..7-22: the cropping unit by chroma format.
    std::uint32_t chroma_array_type = separate_colour_planes ? 0 : chroma_format_idc;
    std::uint32_t sub_width = chroma_array_type == 3 ? 1 : 2;
    std::uint32_t sub_height = chroma_array_type == 1 ? 2 : 1;
    std::uint32_t crop_x = chroma_array_type == 0 ? 1 : sub_width;
    std::uint32_t crop_y = (chroma_array_type == 0 ? 1 : sub_height) * (2 - frame_mbs_only);
    long width = long(width_mbs) * 16 - long(crop_x) * (crop_left + crop_right);
    long height = long(2 - frame_mbs_only) * height_map_units * 16 - long(crop_y) * (crop_top + crop_bottom);
    if (width <= 0 || height <= 0) return std::nullopt;
    return std::pair{int(width), int(height)};
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
