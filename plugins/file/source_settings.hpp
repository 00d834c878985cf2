/// \file source_settings.hpp
/// \brief The file.source config: its JSON Schema and the typed settings read from it.
#pragma once

#include <string>

#include <switchboard/config.hpp>

namespace switchboard::file {

/// The JSON Schema (draft-04) of a file.source "config" object.
extern const char* const source_schema;

struct SourceSettings {
    std::string path;      ///< the file to play
    bool realtime = true;  ///< pace frames by their pts against the monotonic clock
    bool loop = false;     ///< start over at the end instead of finishing

    /// Reads a validated config; throws std::invalid_argument naming the key otherwise.
    static SourceSettings from(const NodeConfig& config);
};

}  // namespace switchboard::file
