/// \file depacketizer_factory.hpp
/// \brief The one way to get the depacketizer for a negotiated or announced payload type:
/// PeerConnection uses it for what a peer sends, the RTSP source for a camera's tracks.
///
/// Reads the codec's fmtp where the payload format depends on it (RFC 3640 field
/// lengths, RFC 7798 DONL), and refuses what the depacketizers cannot read rather than
/// hand out one that would drop every frame.
#pragma once

#include <memory>

#include "rtc/rtp/depacketizer.hpp"
#include "rtc/sdp/rtp_codec.hpp"

namespace switchboard::rtc::sdp {

/// H264, H265, VP8, JPEG, AAC (mpeg4-generic), Opus, PCMU, PCMA; nullptr for anything
/// else (RTX, FEC, DTMF, codecs without a depacketizer) and for H264 interleaved mode
/// (packetization-mode=2), H265 with decoding order numbers (sprop-max-don-diff or
/// sprop-depack-buf-nalus above 0) and mpeg4-generic streams aac_payload_config()
/// refuses.
std::unique_ptr<rtp::Depacketizer> make_depacketizer(const RtpCodec& codec);

}  // namespace switchboard::rtc::sdp
