#include "rtc/rtp/vp8_payload_descriptor.hpp"

namespace switchboard::rtc::rtp {

std::optional<Vp8PayloadDescriptor> Vp8PayloadDescriptor::parse(std::span<const std::uint8_t> p) noexcept {
    Vp8PayloadDescriptor d;
    std::size_t i = 0;
    if (p.empty()) return std::nullopt;
    const std::uint8_t b0 = p[i++];
    d.non_reference = b0 & 0x20;
    d.start_of_partition = b0 & 0x10;
    d.partition_index = b0 & 0x07;
    if (b0 & 0x80) {  // X
        if (i >= p.size()) return std::nullopt;
        const std::uint8_t x = p[i++];
        if (x & 0x80) {  // I
            if (i >= p.size()) return std::nullopt;
            if (p[i] & 0x80) {  // M: 15-bit PictureID
                if (i + 2 > p.size()) return std::nullopt;
                d.picture_id = std::uint16_t(((p[i] & 0x7f) << 8) | p[i + 1]);
                d.picture_id_15bit = true;
                i += 2;
            } else {
                d.picture_id = p[i++] & 0x7f;
            }
        }
        if (x & 0x40) {  // L
            if (i >= p.size()) return std::nullopt;
            d.tl0_pic_idx = p[i++];
        }
        if (x & 0x30) {  // T or K: one shared byte
            if (i >= p.size()) return std::nullopt;
            const std::uint8_t t = p[i++];
            if (x & 0x20) {
                d.tid = std::uint8_t(t >> 6);
                d.layer_sync = t & 0x20;
            }
            if (x & 0x10) d.key_idx = t & 0x1f;
        }
    }
    if (i >= p.size()) return std::nullopt;  // no VP8 data
    d.size = i;
    return d;
}

void Vp8PayloadDescriptor::write(std::vector<std::uint8_t>& out) const {
    const bool x = picture_id || tl0_pic_idx || tid || key_idx;
    out.push_back(std::uint8_t((x ? 0x80 : 0) | (non_reference ? 0x20 : 0) | (start_of_partition ? 0x10 : 0) |
                               (partition_index & 0x07)));
    if (!x) return;
    out.push_back(
        std::uint8_t((picture_id ? 0x80 : 0) | (tl0_pic_idx ? 0x40 : 0) | (tid ? 0x20 : 0) | (key_idx ? 0x10 : 0)));
    if (picture_id) {
        if (picture_id_15bit) {
            out.push_back(std::uint8_t(0x80 | ((*picture_id >> 8) & 0x7f)));
            out.push_back(std::uint8_t(*picture_id));
        } else {
            out.push_back(std::uint8_t(*picture_id & 0x7f));
        }
    }
    if (tl0_pic_idx) out.push_back(*tl0_pic_idx);
    if (tid || key_idx)
        out.push_back(
            std::uint8_t((tid ? (*tid & 3) << 6 : 0) | (layer_sync ? 0x20 : 0) | (key_idx ? *key_idx & 0x1f : 0)));
}

bool Vp8PayloadDescriptor::is_keyframe(std::span<const std::uint8_t> v) noexcept {
    // Frame tag (RFC 6386 §9.1): 3 bytes, bit 0 = !key_frame; then 9d 01 2a on key frames.
    return v.size() >= 10 && (v[0] & 0x01) == 0 && v[3] == 0x9d && v[4] == 0x01 && v[5] == 0x2a;
}

}  // namespace switchboard::rtc::rtp
