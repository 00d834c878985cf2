/// \file h264_depacketizer.hpp
/// \brief H264 over RTP (RFC 6184), packetization-mode 0 and 1: single NAL unit
/// packets (§5.6), STAP-A (§5.7.1) and FU-A (§5.8). Interleaved mode (STAP-B, MTAP,
/// FU-B) is refused, as browsers do.
///
/// Output is Annex B with a 4-byte start code (00 00 00 01) before every NAL unit: what
/// decoders and muxers accept without out-of-band parameters, and one fixed form so a
/// round trip is byte-comparable. A frame is a keyframe when it holds an IDR slice
/// (nal_unit_type 5); SPS/PPS found in a frame are also handed out as codec_config.
#pragma once

#include "rtc/rtp/depacketizer.hpp"

namespace switchboard::rtc::rtp {

class H264Depacketizer final : public Depacketizer {
public:
    explicit H264Depacketizer(int clock_rate = 90000) noexcept;

private:
    Units assemble(std::span<const RtpPacket> packets) override;
};

}  // namespace switchboard::rtc::rtp
