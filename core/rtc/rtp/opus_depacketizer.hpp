/// \file opus_depacketizer.hpp
/// \brief Opus over RTP (RFC 7587 §4.2): the payload is one Opus packet, so every RTP
/// packet is one frame. Loss is counted but drops nothing else (the decoder conceals);
/// every frame is a "keyframe". The clock is always 48 kHz (§4.1).
#pragma once

#include "rtc/rtp/depacketizer.hpp"

namespace switchboard::rtc::rtp {

class OpusDepacketizer final : public Depacketizer {
public:
    OpusDepacketizer() noexcept;

private:
    std::optional<Assembled> assemble(std::span<const RtpPacket> packets) override;
};

}  // namespace switchboard::rtc::rtp
