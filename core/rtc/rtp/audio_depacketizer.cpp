#include "rtc/rtp/audio_depacketizer.hpp"

namespace switchboard::rtc::rtp {

namespace {

Format audio_format(Codec codec, int clock_rate, int channels) {
    Format f;
    f.kind = MediaKind::audio;
    f.codec = codec;
    if (codec == Codec::opus) {
        // As OpusDepacketizer always said: 48 kHz, channel count left to the decoder
        // (the SDP's "/2" is mandatory whatever the stream carries, RFC 7587 §7).
        f.sample_rate = f.clock_rate = 48000;
        return f;
    }
    f.clock_rate = clock_rate > 0 ? clock_rate : 8000;
    f.sample_rate = f.clock_rate;  // G.711: one sample per clock tick
    f.channels = channels > 0 ? channels : 1;
    return f;
}

}  // namespace

AudioDepacketizer::AudioDepacketizer(Codec codec, int clock_rate, int channels) noexcept
    : Depacketizer(audio_format(codec, clock_rate, channels), false, true) {}

Depacketizer::Units AudioDepacketizer::assemble(std::span<const RtpPacket> packets) {
    if (packets.size() != 1 || packets[0].payload().empty()) return {};
    // Shares the packet's bytes: the payload is a view into its Buffer, which the
    // adopted Buffer keeps alive.
    const auto pl = packets[0].payload();
    Buffer owner = packets[0].buffer();
    Assembled a;
    a.data = Buffer::adopt(pl.data(), pl.size(), [owner]() mutable { owner = Buffer(); });
    a.keyframe = true;
    return one(std::move(a));
}

}  // namespace switchboard::rtc::rtp
