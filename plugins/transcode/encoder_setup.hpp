/// \file encoder_setup.hpp
/// \brief Opens libx264, libvpx, libopus or FFmpeg's AAC encoder with the settings a
/// real-time graph needs.
///
/// The codec-specific knobs live here, apart from the node's frame handling:
///  - H264: preset ultrafast, tune zerolatency, baseline profile, no B-frames, SPS/PPS in
///    band before every keyframe (a WebRTC receiver may join at any keyframe) and also as
///    extradata (for Frame::codec_config and containers);
///  - VP8: realtime deadline, cpu-used, no lag, error resilient, CBR;
///  - Opus: 48 kHz, 20 ms frames;
///  - AAC: AAC-LC from FFmpeg's native encoder (no libfdk in Debian's FFmpeg), planar
///    float in, 1024-sample access units out, the AudioSpecificConfig as extradata; at
///    the input's rate when it is one the encoder takes (so a 44.1 kHz file or 8 kHz
///    G.711 is not resampled on the way), the bitrate capped at what AAC allows there.
/// All with exactly one thread: the node's executor is the only place it runs.
#pragma once

#include <vector>

#include <switchboard/errors.hpp>
#include <switchboard/ffmpeg/handles.hpp>
#include <switchboard/format.hpp>

#include "encoder_settings.hpp"

namespace switchboard::transcode {

/// The time base an encoder works in for raw `input`: the RTP clock of the media (90 kHz
/// video, the sample rate for audio: 48 kHz when unset), fine enough for any input rate
/// and what a packetizer wants anyway.
Rational encoder_time_base(const Format& input) noexcept;

/// The S16 sample rates an encoder of audio `codec` takes, the preferred first (48 kHz,
/// then 44.1 kHz for AAC); empty for video codecs. Opus: 48 kHz only (20 ms of 960
/// samples). AAC: every rate FFmpeg's encoder lists, the MPEG-4 rates 7350 to 96000.
std::vector<int> encoder_sample_rates(Codec codec);

/// An open encoder for `input` (settled I420 or S16 format) with `settings`.
/// Video needs the size; an unset frame rate is taken as 30 fps for rate control.
/// Audio needs the channel count and one of encoder_sample_rates() (unset: 48 kHz).
Result<ffmpeg::CodecContextPtr> open_encoder(const EncoderSettings& settings, const Format& input);

}  // namespace switchboard::transcode
