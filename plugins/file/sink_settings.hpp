/// \file sink_settings.hpp
/// \brief The file.sink config: its JSON Schema and the typed settings read from it.
#pragma once

#include <string>

#include <switchboard/config.hpp>

#include "container.hpp"

namespace switchboard::file {

/// The JSON Schema (draft-04) of a file.sink "config" object.
extern const char* const sink_schema;

struct SinkSettings {
    std::string path;                           ///< the file to write
    Container container = Container::matroska;  ///< resolved from "container" and the path

    /// Reads a validated config and checks, without creating anything, that the file can
    /// be written: its folder exists and is writable. Throws std::invalid_argument naming
    /// the key and the path otherwise.
    static SinkSettings from(const NodeConfig& config);
};

}  // namespace switchboard::file
