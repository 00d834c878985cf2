/// \file camera_probe.hpp
/// \brief Asks a camera what it sends (OPTIONS, DESCRIBE) before the graph is built, so
/// the node's ports carry the camera's real codecs and `switchboard check` reports a
/// wrong URL, a refused sign-in or an unsupported codec before anything runs.
///
/// Blocking, on a private io_context, bounded by the settings' timeout; the control
/// thread calls it once per node at construction.
#pragma once

#include <switchboard/errors.hpp>

#include "rtsp/client/camera_description.hpp"
#include "rtsp/source/source_settings.hpp"

namespace switchboard::rtsp {

/// The camera's description, or the Error that ended the attempt.
Result<CameraDescription> probe_camera(const SourceSettings& settings);

/// The options of a session for these settings.
SessionOptions session_options(const SourceSettings& settings);

}  // namespace switchboard::rtsp
