/// \file sink_node.hpp
/// \brief file.sink: records encoded video and audio into a container file.
///
/// Input 0 "video" accepts H264, VP8, VP9 or AV1 and input 1 "audio" Opus or AAC, each
/// narrowed to what the configured container can hold; either may be left unlinked.
/// The header can only be written once every track's parameters are known, so frames
/// are buffered until each linked input has delivered its first frame (video from its
/// first keyframe; earlier pictures could not be decoded). Tracks start where their
/// first frames were captured relative to each other (Timing::capture_ns), so audio and
/// video stay in sync whatever their sources' pts origins.
///
/// The file is created in start(); on_end_of_stream() or stop() writes the trailer, so
/// the file is complete after either. Errors name the node's config pointer and the path.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include <switchboard/config.hpp>
#include <switchboard/node.hpp>

#include "muxer.hpp"
#include "sink_settings.hpp"

namespace switchboard::file {

class SinkNode final : public Node {
public:
    static constexpr PortIndex video_port = 0;
    static constexpr PortIndex audio_port = 1;
    /// Frames held while waiting for a silent input before giving up on it.
    static constexpr std::size_t max_buffered = 500;

    /// Reads the config and checks the path; throws std::invalid_argument otherwise.
    SinkNode(NodeContext& context, const NodeConfig& config);

    std::vector<PortSpec> input_ports() const noexcept override;
    std::vector<PortSpec> output_ports() const noexcept override { return {}; }

    /// Marks the input linked; refuses a codec the container cannot hold.
    Result<void> set_input_format(PortIndex input, const Format& format) noexcept override;
    /// Creates the file.
    Result<void> start() noexcept override;
    /// Completes the file (trailer) if on_end_of_stream() did not already.
    void stop() noexcept override;

    void on_frame(PortIndex input, Frame&& frame) noexcept override;
    /// Completes the file.
    void on_end_of_stream() noexcept override;

private:
    /// One input and, once the header is written, its track.
    struct Track {
        bool linked = false;
        Format format;               ///< settled format
        std::optional<Frame> first;  ///< first frame received (keyframe for video)
        int stream = -1;             ///< muxer stream index, -1 without a track
        std::int64_t offset = 0;     ///< added to rescaled pts: where the track starts
        std::int64_t last_dts = INT64_MIN;
    };

    void accept(PortIndex input, Frame&& frame);
    bool every_linked_input_started() const noexcept;
    /// Adds the tracks that have data, writes the header and the buffered frames.
    void write_header();
    void write(PortIndex input, const Frame& frame);
    void finish();
    void fail(const std::string& what);

    NodeContext& m_ctx;
    std::string m_pointer;
    SinkSettings m_settings;
    std::array<Track, 2> m_tracks;
    Muxer m_muxer;
    std::vector<std::pair<PortIndex, Frame>> m_pending;  ///< frames before the header
    bool m_finished = false;
    bool m_failed = false;
};

}  // namespace switchboard::file
