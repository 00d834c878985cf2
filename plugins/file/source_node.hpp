/// \file source_node.hpp
/// \brief file.source: plays a media file's video and audio as encoded frames.
///
/// The file is opened in the constructor, so output_ports() reports what it really
/// holds: "video" and/or "audio" (in that order), each with the stream's format. Frames
/// carry pts and time_base from the file, the keyframe flag, codec_config on each
/// stream's first frame, and the time they were sent as capture time.
///
/// Demuxing runs on the node's executor one packet per step, each step posted after the
/// last, so stop() is never stuck behind a long loop. With "realtime" a steady_timer holds
/// each packet until its pts is due against the monotonic clock; with "loop" the file
/// starts over with pts continuing, otherwise finished() is called at the end.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include <boost/asio/steady_timer.hpp>

#include <switchboard/config.hpp>
#include <switchboard/node.hpp>

#include "demuxer.hpp"
#include "source_settings.hpp"

namespace switchboard::file {

class SourceNode final : public Node {
public:
    /// Opens the file; throws std::invalid_argument naming the path when it cannot.
    SourceNode(NodeContext& context, const NodeConfig& config);
    ~SourceNode() override;

    SourceNode(const SourceNode&) = delete;
    SourceNode& operator=(const SourceNode&) = delete;

    std::vector<PortSpec> input_ports() const noexcept override { return {}; }
    std::vector<PortSpec> output_ports() const noexcept override;

    /// Starts reading; the first frame goes out at once.
    Result<void> start() noexcept override;
    /// Stops reading. No handler touches the node afterwards.
    void stop() noexcept override;

private:
    /// Reads (if needed), waits for (if realtime) and emits one packet, then schedules
    /// the next step.
    void step();
    void schedule_step();
    /// Nanoseconds on the file's timeline (loop offset included) of a frame.
    std::int64_t timeline_ns(const Demuxer::Packet& packet) const noexcept;
    /// End of file: loop or finish. False when the node is done.
    bool at_end();
    void emit(Demuxer::Packet&& packet);

    NodeContext& m_ctx;
    SourceSettings m_settings;
    Demuxer m_demuxer;
    boost::asio::steady_timer m_timer;

    /// Handlers hold a weak reference; stop() drops this (see CameraNode for the reason).
    std::shared_ptr<int> m_alive;
    std::optional<Demuxer::Packet> m_pending;               ///< read, waiting for its time
    std::vector<bool> m_config_sent;                        ///< per stream: codec_config went out
    std::optional<std::int64_t> m_first_ns;                 ///< timeline time of the first frame
    std::chrono::steady_clock::time_point m_clock_start{};  ///< when the first frame went out
    std::int64_t m_loop_offset_ns = 0;                      ///< added to file time after each loop
    std::int64_t m_pass_end_ns = 0;                         ///< end of the latest frame in this pass (file time)
    std::int64_t m_pass_start_ns = 0;                       ///< first frame of the file (file time)
    std::int64_t m_pass_frames = 0;                         ///< frames read in this pass
    bool m_done = false;
};

}  // namespace switchboard::file
