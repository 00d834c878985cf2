/// \file encoder_setup.hpp
/// \brief Opens libx264, libvpx or libopus with the settings a real-time graph needs.
///
/// The codec-specific knobs live here, apart from the node's frame handling:
///  - H264: preset ultrafast, tune zerolatency, baseline profile, no B-frames, SPS/PPS in
///    band before every keyframe (a WebRTC receiver may join at any keyframe) and also as
///    extradata (for Frame::codec_config and containers);
///  - VP8: realtime deadline, cpu-used, no lag, error resilient, CBR;
///  - Opus: 48 kHz, 20 ms frames.
/// All with exactly one thread: the node's executor is the only place it runs.
#pragma once

#include <switchboard/errors.hpp>
#include <switchboard/ffmpeg/handles.hpp>
#include <switchboard/format.hpp>

#include "encoder_settings.hpp"

namespace switchboard::transcode {

/// The time base encoders of `kind` work in: the RTP clock of the media (90 kHz video,
/// 48 kHz Opus), fine enough for any input rate and what a packetizer wants anyway.
Rational encoder_time_base(MediaKind kind) noexcept;

/// An open encoder for `input` (settled I420 or S16 format) with `settings`.
/// Video needs the size; an unset frame rate is taken as 30 fps for rate control.
Result<ffmpeg::CodecContextPtr> open_encoder(const EncoderSettings& settings, const Format& input);

}  // namespace switchboard::transcode
