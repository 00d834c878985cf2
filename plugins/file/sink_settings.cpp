// file.sink config: schema, parsing and the early writability check; see sink_settings.hpp.
#include "sink_settings.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <system_error>

#include <unistd.h>

namespace switchboard::file {

const char* const sink_schema = R"({
  "$schema": "http://json-schema.org/draft-04/schema#",
  "title": "file.sink",
  "description": "Records encoded video (H264, VP8, VP9, AV1) and audio (Opus, AAC) into a Matroska, MP4 or WebM file.",
  "type": "object",
  "additionalProperties": false,
  "required": ["path"],
  "properties": {
    "path":      {"type": "string", "minLength": 1,
                  "description": "The file to write; it is replaced if it exists."},
    "container": {"type": "string", "enum": ["auto", "matroska", "mp4", "webm"], "default": "auto",
                  "description": "auto: from the extension of path (.mkv, .mp4, .webm)."}
  }
})";

namespace {

/// Why `path` cannot be written, or an empty string when it can. Checks what it can
/// without creating the file: `switchboard check` must not leave files behind.
std::string unwritable_reason(const std::filesystem::path& path) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (fs::is_directory(path, ec)) return "it is a directory";
    const fs::path folder = path.has_parent_path() ? path.parent_path() : fs::path(".");
    if (!fs::is_directory(folder, ec)) return "folder '" + folder.string() + "' does not exist";
    if (fs::exists(path, ec)) {
        if (::access(path.c_str(), W_OK) != 0) return std::strerror(errno);
    } else if (::access(folder.c_str(), W_OK) != 0) {
        return "folder '" + folder.string() + "' is not writable: " + std::strerror(errno);
    }
    return {};
}

}  // namespace

SinkSettings SinkSettings::from(const NodeConfig& config) {
    SinkSettings s;
    s.path = config.string_or("path", "");
    if (s.path.empty()) throw std::invalid_argument("path: required, the file to write");
    s.container = choose_container(config.string_or("container", "auto"), s.path);
    if (auto reason = unwritable_reason(s.path); !reason.empty())
        throw std::invalid_argument("path: cannot write '" + s.path + "': " + reason);
    return s;
}

}  // namespace switchboard::file
