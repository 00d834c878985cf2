/// \file extradata.hpp
/// \brief Codec configuration a container needs but a stream may carry only in band.
///
/// H264/H265 in MP4 and Matroska need their parameter sets in the header (avcC/hvcC,
/// which the muxers build from Annex-B SPS/PPS). A stream whose first keyframe came
/// without Frame::codec_config still has them in band: extract_parameter_sets() takes
/// them out with FFmpeg's extract_extradata bitstream filter. Plain functions; any thread.
#pragma once

#include <cstdint>
#include <utility>

#include <switchboard/frame.hpp>

namespace switchboard::file {

/// The parameter sets (Annex B) in an H264 or H265 keyframe; empty when it has none or
/// the codec needs no such thing.
Buffer extract_parameter_sets(const Frame& keyframe);

/// The picture size an encoded keyframe says (FFmpeg's parser for its codec reads the
/// sequence or frame header); {0, 0} when it does not say. For streams whose size no
/// negotiation knew (what a WebRTC publisher sends).
std::pair<int, int> picture_size(const Frame& keyframe);

/// The pre-skip of an OpusHead (RFC 7845 section 5.1): priming samples at 48 kHz the
/// decoder drops. 0 when `config` is not an OpusHead.
int opus_pre_skip(const Buffer& config) noexcept;

}  // namespace switchboard::file
