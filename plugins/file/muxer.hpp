/// \file muxer.hpp
/// \brief Writes encoded Frames into a container file with libavformat.
///
/// The life of a file: open() creates it, add_stream() once per track, write_header(),
/// write() packets (interleaved by libavformat), finish() writes the trailer and closes
/// it, so the file is complete. abandon() closes and deletes a file that never got a
/// header. Errors name the path. Used on one node's executor.
#pragma once

#include <cstdint>
#include <string>

#include <switchboard/errors.hpp>
#include <switchboard/ffmpeg/handles.hpp>
#include <switchboard/format.hpp>
#include <switchboard/frame.hpp>

#include "container.hpp"

namespace switchboard::file {

class Muxer {
public:
    Muxer() = default;
    Muxer(const Muxer&) = delete;
    Muxer& operator=(const Muxer&) = delete;
    ~Muxer();

    /// Creates (truncates) `path` for a `container` file.
    Result<void> open(const std::string& path, Container container);

    /// Adds a track for `format` with `codec_config` as its extradata; returns its index.
    /// `audio_frame_size`: samples per audio packet, when known (MP4 wants it).
    Result<int> add_stream(const Format& format, const Buffer& codec_config, int audio_frame_size = 0);

    /// Writes the header; after this the streams' time bases are final.
    Result<void> write_header();

    /// The time base the muxer chose for a stream (valid after write_header()).
    Rational time_base(int stream) const noexcept;

    /// Writes one packet at `pts` (stream time base; also its dts: no reordering) for
    /// `duration`. The packet references the Frame's bytes, no copy.
    Result<void> write(int stream, const Frame& frame, std::int64_t pts, std::int64_t duration);

    /// Writes the trailer and closes the file. Safe to call twice.
    Result<void> finish();

    /// Closes and deletes a file that got no header (there is nothing valid to keep).
    void abandon() noexcept;

    bool is_open() const noexcept { return bool(m_context); }
    bool header_written() const noexcept { return m_header_written; }
    const std::string& path() const noexcept { return m_path; }

private:
    ffmpeg::OutputFormatPtr m_context;
    std::string m_path;
    bool m_header_written = false;
};

}  // namespace switchboard::file
