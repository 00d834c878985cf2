/// \file audio_depacketizer.hpp
/// \brief Audio formats whose RTP payload is exactly one frame: Opus (RFC 7587 §4.2),
/// PCMU and PCMA (G.711, RFC 3551 §4.5.14). Every RTP packet is one frame.
///
/// One class for all of them because nothing but the Format differs: the payload is
/// handed out as it came, without a copy. Loss is counted but drops nothing else (the
/// decoder conceals); every frame is a "keyframe". Opus always runs a 48 kHz clock
/// (RFC 7587 §4.1) whatever is asked; G.711 defaults to 8 kHz mono (RFC 3551 table 4).
#pragma once

#include "rtc/rtp/depacketizer.hpp"

namespace switchboard::rtc::rtp {

class AudioDepacketizer : public Depacketizer {
public:
    /// `codec`: Codec::opus, Codec::pcmu or Codec::pcma (any other codec whose payload
    /// is one frame works too). `clock_rate` and `channels` 0: the codec's default.
    explicit AudioDepacketizer(Codec codec, int clock_rate = 0, int channels = 0) noexcept;

private:
    Units assemble(std::span<const RtpPacket> packets) override;
};

}  // namespace switchboard::rtc::rtp
