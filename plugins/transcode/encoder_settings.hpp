/// \file encoder_settings.hpp
/// \brief The transcode.encoder config: its JSON Schema and the typed settings read from it.
#pragma once

#include <string>

#include <switchboard/config.hpp>
#include <switchboard/format.hpp>

namespace switchboard::transcode {

/// The JSON Schema (draft-04) of a transcode.encoder "config" object.
extern const char* const encoder_schema;

/// How to encode. Defaults depend on the codec and are applied by from().
struct EncoderSettings {
    Codec codec = Codec::h264;              ///< h264, vp8, opus or aac
    int bitrate_kbps = 0;                   ///< target bitrate
    double keyframe_interval_s = 2;         ///< video: at most this long between keyframes
    int cpu_used = 8;                       ///< vp8: speed (higher is faster and coarser)
    std::string opus_application = "voip";  ///< opus: voip, audio or lowdelay

    /// Default target bitrate for `codec` in kbit/s: 32 for Opus (speech), 128 for AAC
    /// (FFmpeg's AAC encoder needs more than Opus for the same quality), 1000 for video.
    static int default_bitrate_kbps(Codec codec) noexcept {
        return codec == Codec::opus ? 32 : codec == Codec::aac ? 128 : 1000;
    }

    /// Audio for Opus and AAC, video for the others.
    MediaKind kind() const noexcept {
        return codec == Codec::opus || codec == Codec::aac ? MediaKind::audio : MediaKind::video;
    }

    /// Reads a validated config; throws std::invalid_argument naming the key otherwise.
    static EncoderSettings from(const NodeConfig& config);
};

}  // namespace switchboard::transcode
