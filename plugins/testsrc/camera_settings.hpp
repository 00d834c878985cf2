/// \file camera_settings.hpp
/// \brief The testsrc.camera config: its JSON Schema and the typed settings read from it.
#pragma once

#include <cstdint>
#include <optional>

#include <switchboard/config.hpp>

namespace switchboard::testsrc {

/// The JSON Schema (draft-04) of a testsrc.camera "config" object.
extern const char* const camera_schema;

/// What a testsrc.camera node makes. The member initialisers are the defaults the
/// schema documents (a unit test keeps the two in step).
struct CameraSettings {
    int width = 1280;                    ///< pixels, even
    int height = 720;                    ///< pixels, even
    int fps = 30;                        ///< frames per second
    double tone_hz = 440.0;              ///< audio tone frequency
    bool audio = true;                   ///< offer the "audio" port
    std::optional<std::int64_t> frames;  ///< stop after this many video frames

    /// Reads and checks a validated config. Throws std::invalid_argument naming the key
    /// for what the schema cannot express (the stamp must fit in the picture).
    static CameraSettings from(const NodeConfig& config);
};

}  // namespace switchboard::testsrc
