/// \file vp8_depacketizer.hpp
/// \brief VP8 over RTP (RFC 7741): strips each packet's payload descriptor and joins the
/// rest into one VP8 frame.
///
/// A frame must begin with S=1, PID=0 (§4.2: the start of partition 0); otherwise its
/// head was lost and it is dropped. Later packets may start other partitions (S=1,
/// PID>0) or continue one. A PictureID, when present, must stay the same across the
/// frame. The keyframe flag comes from the VP8 payload header's P bit (§4.3).
#pragma once

#include "rtc/rtp/depacketizer.hpp"

namespace switchboard::rtc::rtp {

class Vp8Depacketizer final : public Depacketizer {
public:
    explicit Vp8Depacketizer(int clock_rate = 90000) noexcept;

private:
    Units assemble(std::span<const RtpPacket> packets) override;
};

}  // namespace switchboard::rtc::rtp
