/// \file camera_node.hpp
/// \brief testsrc.camera: the embedded default camera, a paced source of video and audio.
///
/// Output 0 "video": I420 at the configured size and rate, a moving pattern with the
/// frame stamp (stamp.hpp); pts = frame index in 1/fps. Output 1 "audio" (unless
/// "audio": false): S16 48 kHz mono, a sine tone in 20 ms frames of 960 samples; pts in
/// 1/48000. Every frame is a keyframe, carries its format, and its capture time.
///
/// Pacing: each output has a steady_timer on the node's executor, armed at absolute
/// deadlines (pacer.hpp), so there is no drift and no thread of our own. Runs until
/// stop(), or until "frames" video frames were sent, when it calls finished().
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include <boost/asio/steady_timer.hpp>

#include <switchboard/config.hpp>
#include <switchboard/node.hpp>

#include "camera_settings.hpp"
#include "pacer.hpp"
#include "tone.hpp"

namespace switchboard::testsrc {

class CameraNode final : public Node {
public:
    static constexpr PortIndex video_port = 0;
    static constexpr PortIndex audio_port = 1;
    static constexpr int sample_rate = 48000;
    static constexpr int samples_per_frame = 960;  ///< 20 ms at 48 kHz

    /// Reads the config; throws std::invalid_argument on a bad one (see node_factory()).
    CameraNode(NodeContext& context, const NodeConfig& config);
    ~CameraNode() override;

    CameraNode(const CameraNode&) = delete;
    CameraNode& operator=(const CameraNode&) = delete;

    std::vector<PortSpec> input_ports() const noexcept override { return {}; }
    std::vector<PortSpec> output_ports() const noexcept override;

    /// Arms both timers; the first frames go out at once.
    Result<void> start() noexcept override;
    /// Cancels both timers. No handler touches the node afterwards.
    void stop() noexcept override;

private:
    void arm_video();
    void arm_audio();
    void on_video_tick();
    void on_audio_tick();
    /// Ends the stream after the configured frame count: timers off, tell the host.
    void finish();

    Frame make_video_frame(std::int64_t index) const;
    Frame make_audio_frame(std::int64_t index);

    NodeContext& m_ctx;
    CameraSettings m_settings;
    Format m_video_format;
    Format m_audio_format;

    boost::asio::steady_timer m_video_timer;
    boost::asio::steady_timer m_audio_timer;
    Pacer m_video_pacer;
    Pacer m_audio_pacer;
    ToneGenerator m_tone;

    /// Timer handlers hold a weak reference; stop() drops this, so a handler that was
    /// already queued when stop() ran returns without touching the node.
    std::shared_ptr<int> m_alive;
    bool m_done = false;               ///< "frames" reached or stopped
    std::int64_t m_video_sent = 0;     ///< video frames emitted
    std::int64_t m_video_skipped = 0;  ///< video ticks skipped because we ran late
    std::int64_t m_audio_skipped = 0;  ///< audio ticks skipped because we ran late
};

}  // namespace switchboard::testsrc
