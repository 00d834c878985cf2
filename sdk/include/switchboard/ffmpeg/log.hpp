/// \file log.hpp
/// \brief Keeps FFmpeg's own chatter (libx264's statistics at close, codec banners) out
/// of Switchboard's log, which has one line per event.
///
/// FFmpeg's log level is process-wide; every plugin that links FFmpeg calls this from
/// its descriptor, and the result is the same whichever loads first. Warnings and errors
/// still reach stderr.
#pragma once

extern "C" {
#include <libavutil/log.h>
}

namespace switchboard::ffmpeg {

inline void keep_library_log_to_warnings() noexcept {
    if (av_log_get_level() > AV_LOG_WARNING) av_log_set_level(AV_LOG_WARNING);
}

}  // namespace switchboard::ffmpeg
