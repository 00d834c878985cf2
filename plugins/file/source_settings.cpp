// file.source config: schema and parsing; see source_settings.hpp.
#include "source_settings.hpp"

#include <stdexcept>

namespace switchboard::file {

const char* const source_schema = R"({
  "$schema": "http://json-schema.org/draft-04/schema#",
  "title": "file.source",
  "description": "Plays the best video and audio streams of a media file as encoded frames.",
  "type": "object",
  "additionalProperties": false,
  "required": ["path"],
  "properties": {
    "path":     {"type": "string", "minLength": 1, "description": "The file to play."},
    "realtime": {"type": "boolean", "default": true,
                 "description": "Send frames at the pace of their timestamps; false sends them as fast as they are read."},
    "loop":     {"type": "boolean", "default": false,
                 "description": "Start over at the end of the file instead of finishing."}
  }
})";

SourceSettings SourceSettings::from(const NodeConfig& config) {
    SourceSettings s;
    s.path = config.string_or("path", "");
    if (s.path.empty()) throw std::invalid_argument("path: required, the file to play");
    s.realtime = config.boolean_or("realtime", s.realtime);
    s.loop = config.boolean_or("loop", s.loop);
    return s;
}

}  // namespace switchboard::file
