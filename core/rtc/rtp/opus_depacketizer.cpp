#include "rtc/rtp/opus_depacketizer.hpp"

namespace switchboard::rtc::rtp {

OpusDepacketizer::OpusDepacketizer() noexcept
    : Depacketizer(Format{MediaKind::audio, Codec::opus, 0, 0, {}, 48000, 0, 48000}, false, true) {}

std::optional<Depacketizer::Assembled> OpusDepacketizer::assemble(std::span<const RtpPacket> packets) {
    if (packets.size() != 1 || packets[0].payload().empty()) return std::nullopt;
    // Shares the packet's bytes: the payload is a view into its Buffer, which the
    // adopted Buffer keeps alive.
    const auto pl = packets[0].payload();
    Buffer owner = packets[0].buffer();
    Assembled a;
    a.data = Buffer::adopt(pl.data(), pl.size(), [owner]() mutable { owner = Buffer(); });
    a.keyframe = true;
    return a;
}

}  // namespace switchboard::rtc::rtp
