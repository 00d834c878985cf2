// transcode.encoder config: schema and parsing; see encoder_settings.hpp.
#include "encoder_settings.hpp"

#include <stdexcept>
#include <string>

namespace switchboard::transcode {

const char* const encoder_schema = R"({
  "$schema": "http://json-schema.org/draft-04/schema#",
  "title": "transcode.encoder",
  "description": "Encodes raw I420 video to H264 (libx264) or VP8 (libvpx), or raw S16 audio to Opus (libopus, 48 kHz) or AAC-LC (FFmpeg's aac, 7.35 to 96 kHz), for real-time use.",
  "type": "object",
  "additionalProperties": false,
  "required": ["codec"],
  "properties": {
    "codec":        {"type": "string", "enum": ["h264", "vp8", "opus", "aac"],
                     "description": "Output codec. H264 is constrained baseline with SPS/PPS before every keyframe, packetization-mode 1. Opus takes S16 at 48 kHz. AAC is AAC-LC at the input's rate (one of the MPEG-4 rates; the planner resamples others to 48 kHz), raw access units of 1024 samples with the AudioSpecificConfig as codec_config."},
    "bitrate_kbps": {"type": "integer", "minimum": 6, "maximum": 100000,
                     "description": "Target bitrate in kbit/s. Default: 1000 for video, 32 for opus, 128 for aac (at most 6 kbit/s per channel per kHz of sample rate: AAC's limit)."},
    "keyframe_interval_s": {"type": "number", "minimum": 0.1, "maximum": 600, "default": 2,
                     "description": "Video: longest time between keyframes, in seconds."},
    "cpu_used":     {"type": "integer", "minimum": 0, "maximum": 16, "default": 8,
                     "description": "VP8: libvpx speed setting; higher is faster."},
    "application":  {"type": "string", "enum": ["voip", "audio", "lowdelay"], "default": "voip",
                     "description": "Opus: the encoder's tuning."}
  }
})";

EncoderSettings EncoderSettings::from(const NodeConfig& config) {
    EncoderSettings s;
    const std::string codec = config.string_or("codec", "");
    if (codec == "h264")
        s.codec = Codec::h264;
    else if (codec == "vp8")
        s.codec = Codec::vp8;
    else if (codec == "opus")
        s.codec = Codec::opus;
    else if (codec == "aac")
        s.codec = Codec::aac;
    else
        throw std::invalid_argument("codec: expected \"h264\", \"vp8\", \"opus\" or \"aac\", found \"" + codec + "\"");

    s.bitrate_kbps = int(config.integer_or("bitrate_kbps", default_bitrate_kbps(s.codec)));
    s.keyframe_interval_s = config.number_or("keyframe_interval_s", s.keyframe_interval_s);
    s.cpu_used = int(config.integer_or("cpu_used", s.cpu_used));
    s.opus_application = config.string_or("application", s.opus_application);
    if (s.bitrate_kbps < 6) throw std::invalid_argument("bitrate_kbps: must be at least 6");
    if (s.keyframe_interval_s < 0.1) throw std::invalid_argument("keyframe_interval_s: must be at least 0.1");
    return s;
}

}  // namespace switchboard::transcode
