// transcode.decoder config: schema and parsing; see decoder_settings.hpp.
#include "decoder_settings.hpp"

#include <stdexcept>
#include <string>

namespace switchboard::transcode {

const char* const decoder_schema = R"({
  "$schema": "http://json-schema.org/draft-04/schema#",
  "title": "transcode.decoder",
  "description": "Decodes H264, H265, VP8, VP9 or MJPEG to I420, or Opus, AAC, PCMU or PCMA to S16.",
  "type": "object",
  "additionalProperties": false,
  "required": ["kind"],
  "properties": {
    "kind":        {"type": "string", "enum": ["video", "audio"],
                    "description": "Which media the input carries."},
    "sample_rate": {"type": "integer", "enum": [7350, 8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000, 64000, 88200, 96000],
                    "description": "Audio: resample the output to this rate (one of the MPEG-4 audio rates, so any rate an AAC encoder may be asked for). Default: the stream's rate."},
    "channels":    {"type": "integer", "minimum": 1, "maximum": 8,
                    "description": "Audio: mix the output to this many channels. Default: the stream's."},
    "width":       {"type": "integer", "minimum": 16, "maximum": 7680, "multipleOf": 2,
                    "description": "Video: scale the output to this width (with height). Default: the stream's size."},
    "height":      {"type": "integer", "minimum": 16, "maximum": 4320, "multipleOf": 2,
                    "description": "Video: scale the output to this height (with width)."}
  }
})";

DecoderSettings DecoderSettings::from(const NodeConfig& config) {
    DecoderSettings s;
    const std::string kind = config.string_or("kind", "");
    if (kind == "video")
        s.kind = MediaKind::video;
    else if (kind == "audio")
        s.kind = MediaKind::audio;
    else
        throw std::invalid_argument("kind: expected \"video\" or \"audio\", found \"" + kind + "\"");
    s.sample_rate = int(config.integer_or("sample_rate", 0));
    s.channels = int(config.integer_or("channels", 0));
    if (s.kind == MediaKind::video && (s.sample_rate || s.channels))
        throw std::invalid_argument("sample_rate and channels apply to audio only");
    if (s.sample_rate < 0 || s.channels < 0) throw std::invalid_argument("sample_rate and channels must be positive");
    s.width = int(config.integer_or("width", 0));
    s.height = int(config.integer_or("height", 0));
    if (s.kind == MediaKind::audio && (s.width || s.height))
        throw std::invalid_argument("width and height apply to video only");
    if (bool(s.width) != bool(s.height) || s.width % 2 || s.height % 2 || s.width < 0 || s.height < 0)
        throw std::invalid_argument("width and height come together, even and positive");
    return s;
}

}  // namespace switchboard::transcode
