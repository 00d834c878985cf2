/// \file decoder_settings.hpp
/// \brief The transcode.decoder config: its JSON Schema and the typed settings read from it.
#pragma once

#include <switchboard/config.hpp>
#include <switchboard/format.hpp>

namespace switchboard::transcode {

/// The JSON Schema (draft-04) of a transcode.decoder "config" object.
extern const char* const decoder_schema;

struct DecoderSettings {
    MediaKind kind = MediaKind::video;  ///< which codecs the input accepts
    int sample_rate = 0;                ///< audio: resample to this rate (0: keep the stream's)
    int channels = 0;                   ///< audio: mix to this many channels (0: keep)
    int width = 0;                      ///< video: scale to this size (0: keep the stream's)
    int height = 0;

    /// Reads a validated config; throws std::invalid_argument naming the key otherwise.
    static DecoderSettings from(const NodeConfig& config);
};

}  // namespace switchboard::transcode
