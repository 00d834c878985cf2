/// \file source_settings.hpp
/// \brief The rtsp.source config: its JSON Schema and the typed settings read from it.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <switchboard/config.hpp>
#include <switchboard/errors.hpp>
#include <switchboard/format.hpp>

#include "rtsp/client/rtsp_session.hpp"
#include "rtsp/protocol/rtsp_url.hpp"

namespace switchboard::rtsp {

/// The JSON Schema (draft-04) of an rtsp.source "config" object.
extern const char* const source_schema;

struct SourceSettings {
    RtspUrl url;  ///< credentials from "user"/"password" (or the URL) inside
    MediaTransport transport = MediaTransport::tcp;
    TlsOptions tls;
    bool audio = true;                          ///< offer the camera's audio
    std::chrono::milliseconds timeout{10'000};  ///< connect, and each request's answer
    std::chrono::milliseconds no_media{5'000};  ///< silence after which we reconnect
    std::chrono::milliseconds reconnect_min{250};
    std::chrono::milliseconds reconnect_max{30'000};
    /// What the camera sends, for starting while it cannot be reached ("expect"); empty
    /// when not configured: the node then needs the camera at start.
    std::vector<Format> expect;

    /// Reads a validated config; Error::invalid naming the JSON pointer for what the
    /// schema cannot express (a malformed URL, a password in two places).
    static Result<SourceSettings> from(const NodeConfig& config);
};

}  // namespace switchboard::rtsp
