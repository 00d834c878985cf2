// testsrc.camera config: schema and parsing; see camera_settings.hpp.
#include "camera_settings.hpp"

#include <stdexcept>
#include <string>

#include "stamp.hpp"

namespace switchboard::testsrc {

const char* const camera_schema = R"({
  "$schema": "http://json-schema.org/draft-04/schema#",
  "title": "testsrc.camera",
  "description": "Test pattern camera: moving I420 video with a frame stamp, and a sine tone.",
  "type": "object",
  "additionalProperties": false,
  "properties": {
    "width":   {"type": "integer", "minimum": 80, "maximum": 7680, "multipleOf": 2, "default": 1280,
                "description": "Picture width in pixels (even)."},
    "height":  {"type": "integer", "minimum": 16, "maximum": 4320, "multipleOf": 2, "default": 720,
                "description": "Picture height in pixels (even; at least 2 stamp blocks of width/40)."},
    "fps":     {"type": "integer", "minimum": 1, "maximum": 120, "default": 30,
                "description": "Frames per second."},
    "tone_hz": {"type": "number", "minimum": 20, "maximum": 20000, "default": 440,
                "description": "Frequency of the audio tone in Hz."},
    "audio":   {"type": "boolean", "default": true,
                "description": "Offer output port 1, \"audio\" (S16, 48 kHz, mono, 20 ms frames)."},
    "frames":  {"type": "integer", "minimum": 1,
                "description": "Emit this many video frames, then finish. Default: run until stopped."}
  }
})";

CameraSettings CameraSettings::from(const NodeConfig& config) {
    CameraSettings s;
    s.width = int(config.integer_or("width", s.width));
    s.height = int(config.integer_or("height", s.height));
    s.fps = int(config.integer_or("fps", s.fps));
    s.tone_hz = config.number_or("tone_hz", s.tone_hz);
    s.audio = config.boolean_or("audio", s.audio);
    s.frames = config.integer("frames");

    // The schema checks ranges; these are the rules it cannot state, checked again
    // here because a node must not trust that every caller validated.
    if (s.width < 80 || s.width % 2 || s.height < 16 || s.height % 2)
        throw std::invalid_argument("width and height must be even, at least 80x16 (got " + std::to_string(s.width) +
                                    "x" + std::to_string(s.height) + ")");
    if (s.height < stamp::rows_needed(s.width))
        throw std::invalid_argument("height " + std::to_string(s.height) + " is too small for the frame stamp of a " +
                                    std::to_string(s.width) + " pixel wide picture (needs " +
                                    std::to_string(stamp::rows_needed(s.width)) + ")");
    if (s.fps < 1 || s.fps > 120) throw std::invalid_argument("fps must be 1..120");
    if (s.tone_hz <= 0 || s.tone_hz >= 24000) throw std::invalid_argument("tone_hz must be below 24000");
    if (s.frames && *s.frames < 1) throw std::invalid_argument("frames must be at least 1");
    return s;
}

}  // namespace switchboard::testsrc
