/// \file h265_depacketizer.hpp
/// \brief H265/HEVC over RTP (RFC 7798): single NAL unit packets (§4.4.1), Aggregation
/// Packets (§4.4.2, type 48) and Fragmentation Units (§4.4.3, type 49). What IP cameras
/// send.
///
/// Only streams without decoding order numbers are read: sprop-max-don-diff absent or 0
/// (§7.1), the common case, where no DONL/DOND fields are present. A stream that has
/// them cannot be told apart from the bytes alone, so whoever reads the SDP must not
/// use this class for it (sdp::make_depacketizer() refuses it). PACI packets (type 50)
/// and the unspecified types 51..63 drop their frame.
///
/// Output is Annex B with a 4-byte start code before every NAL unit, like
/// H264Depacketizer. A frame is a keyframe when it holds an IRAP picture (nal_unit_type
/// 16..21: BLA, IDR, CRA); VPS/SPS/PPS (32/33/34) found in a frame are also handed out
/// as codec_config (Annex B), fragmented ones included.
#pragma once

#include "rtc/rtp/depacketizer.hpp"

namespace switchboard::rtc::rtp {

class H265Depacketizer final : public Depacketizer {
public:
    explicit H265Depacketizer(int clock_rate = 90000) noexcept;

private:
    Units assemble(std::span<const RtpPacket> packets) override;
};

}  // namespace switchboard::rtc::rtp
