#include "rtc/rtp/vp8_depacketizer.hpp"

#include <cstring>

#include "rtc/rtp/vp8_payload_descriptor.hpp"

namespace switchboard::rtc::rtp {

Vp8Depacketizer::Vp8Depacketizer(int clock_rate) noexcept
    : Depacketizer(Format{MediaKind::video, Codec::vp8, 0, 0, {}, 0, 0, clock_rate}, true, false) {}

Depacketizer::Units Vp8Depacketizer::assemble(std::span<const RtpPacket> packets) {
    std::size_t total = 0;
    std::vector<std::span<const std::uint8_t>> parts;
    parts.reserve(packets.size());
    std::optional<std::uint16_t> picture_id;
    for (std::size_t i = 0; i < packets.size(); ++i) {
        const auto pl = packets[i].payload();
        const auto d = Vp8PayloadDescriptor::parse(pl);
        if (!d) return {};
        if (i == 0) {
            if (!d->start_of_partition || d->partition_index != 0) return {};
            picture_id = d->picture_id;
        } else if (d->picture_id != picture_id) {
            return {};  // packets of two pictures under one timestamp
        }
        parts.push_back(pl.subspan(d->size));
        total += parts.back().size();
    }
    if (parts.empty()) return {};
    Assembled a;
    a.keyframe = Vp8PayloadDescriptor::is_keyframe(parts.front());
    a.data = Buffer::allocate(total);
    std::uint8_t* w = a.data.mutable_data();
    if (!w) return {};
    for (const auto& s : parts) {
        std::memcpy(w, s.data(), s.size());
        w += s.size();
    }
    return one(std::move(a));
}

}  // namespace switchboard::rtc::rtp
