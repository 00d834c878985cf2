#include "rtc/rtp/packet_demux.hpp"

namespace switchboard::rtc::rtp {

namespace {
// RFC 5761 §4: RTCP packet types 192..223 read as marker + PT 64..95 in RTP terms.
bool rtcp_range(std::uint8_t second) noexcept {
    const std::uint8_t pt = second & 0x7f;
    return pt >= 64 && pt <= 95;
}
}  // namespace

bool is_rtp(std::span<const std::uint8_t> d) noexcept {
    return d.size() >= 12 && (d[0] >> 6) == 2 && !rtcp_range(d[1]);
}

bool is_rtcp(std::span<const std::uint8_t> d) noexcept {
    // The smallest RTCP packet is an empty RR: 8 bytes (header + SSRC).
    return d.size() >= 8 && (d[0] >> 6) == 2 && rtcp_range(d[1]);
}

PacketKind classify(std::span<const std::uint8_t> d) noexcept {
    if (d.empty()) return PacketKind::unknown;
    const std::uint8_t b = d[0];
    // RFC 7983 §7: [0..3] STUN, [16..19] ZRTP, [20..63] DTLS, [64..79] TURN channel,
    // [128..191] RTP/RTCP. Anything else is dropped.
    if (b <= 3) return PacketKind::stun;
    if (b >= 16 && b <= 19) return PacketKind::zrtp;
    if (b >= 20 && b <= 63) return PacketKind::dtls;
    if (b >= 64 && b <= 79) return PacketKind::turn_channel;
    if (b >= 128 && b <= 191) {
        if (is_rtcp(d)) return PacketKind::rtcp;
        if (is_rtp(d)) return PacketKind::rtp;
    }
    return PacketKind::unknown;
}

std::string_view to_string(PacketKind kind) noexcept {
    switch (kind) {
        case PacketKind::unknown:
            return "unknown";
        case PacketKind::stun:
            return "stun";
        case PacketKind::zrtp:
            return "zrtp";
        case PacketKind::dtls:
            return "dtls";
        case PacketKind::turn_channel:
            return "turn-channel";
        case PacketKind::rtp:
            return "rtp";
        case PacketKind::rtcp:
            return "rtcp";
    }
    return "?";
}

}  // namespace switchboard::rtc::rtp
