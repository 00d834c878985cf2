/// \file codec_config.hpp
/// \brief Codec configuration a stream's SDP carries out of band, in its fmtp: what a
/// decoder or muxer needs before (or instead of) finding it in the media. IP cameras
/// often send H264/H265 parameter sets only there, and AAC's always is.
///
/// Never throws: a parameter that is absent or cannot be read gives an empty result,
/// so a caller can still try the stream (parameter sets may come in-band).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "rtc/rtp/aac_depacketizer.hpp"
#include "rtc/sdp/rtp_codec.hpp"

namespace switchboard::rtc::sdp {

/// H264 sprop-parameter-sets (RFC 6184 §8.1): comma-separated base64 NAL units (SPS,
/// PPS) as Annex B with 4-byte start codes, what H264Depacketizer hands out as
/// codec_config. Empty when absent or when any unit is not valid base64.
std::vector<std::uint8_t> h264_parameter_sets(const RtpCodec& codec);

/// H265 sprop-vps, sprop-sps, sprop-pps (RFC 7798 §7.1), each comma-separated base64
/// NAL units, as Annex B in that order. Empty when none is present or any is unreadable.
std::vector<std::uint8_t> h265_parameter_sets(const RtpCodec& codec);

/// An mpeg4-generic (RFC 3640 §4.1) stream's fmtp as AacDepacketizer takes it: mode
/// (AAC-hbr and AAC-lbr give their field lengths, §3.3.5/6; explicit sizeLength etc.
/// win), the other field lengths, constantSize, constantDuration, and config= (hex
/// AudioSpecificConfig), from which the frame duration at the codec's clock is taken
/// when constantDuration is absent. nullopt when the stream cannot be read that way:
/// not audio (streamType other than 5), interleaved (maxDisplacement > 0), a length
/// past 32 bits, a malformed number or config.
std::optional<rtp::AacPayloadConfig> aac_payload_config(const RtpCodec& codec);

}  // namespace switchboard::rtc::sdp
