#include "rtc/rtp/abs_send_time.hpp"

#include <algorithm>

namespace switchboard::rtc::rtp {

std::uint32_t abs_send_time(std::int64_t time_us) noexcept {
    // 6.18 fixed point seconds, low 24 bits; whole seconds and the fraction apart so
    // the shift cannot overflow.
    const auto us = std::uint64_t(time_us);
    const std::uint64_t fixed = ((us / 1000000u) << 18) + ((us % 1000000u) << 18) / 1000000u;
    return std::uint32_t(fixed) & 0xFFFFFFu;
}

std::array<std::uint8_t, 3> abs_send_time_bytes(std::int64_t time_us) noexcept {
    const auto v = abs_send_time(time_us);
    return {std::uint8_t(v >> 16), std::uint8_t(v >> 8), std::uint8_t(v)};
}

bool stamp_abs_send_time(Buffer& packet, std::uint8_t id, std::int64_t time_us) noexcept {
    std::size_t offset = 0;
    {
        // Scoped: the parsed view shares the buffer, and mutable_data() needs it alone.
        auto parsed = RtpPacket::parse(packet);
        if (!parsed) return false;
        const auto element = parsed.packet->extension(id);
        if (!element || element->size() != 3) return false;
        offset = std::size_t(element->data() - parsed.packet->data());
    }
    std::uint8_t* bytes = packet.mutable_data();
    if (!bytes) return false;
    const auto value = abs_send_time_bytes(time_us);
    std::copy(value.begin(), value.end(), bytes + offset);
    return true;
}

}  // namespace switchboard::rtc::rtp
