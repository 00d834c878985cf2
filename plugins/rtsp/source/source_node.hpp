/// \file source_node.hpp
/// \brief rtsp.source: an IP camera's video and audio, as they come (no decoding).
///
/// Output "video" carries the camera's video codec and "audio" its audio, both read
/// from the camera's SDP when the node is made (camera_probe.hpp), video first. A port
/// the camera does not have is left out (a link to it is a config error naming it). Frames are encoded, as the camera
/// sent them, with pts in the RTP clock (1/clock_rate), capture_ns the arrival of their last packet.
///
/// The session is kept: keep-alives at half the camera's timeout, receiver reports
/// every few seconds. When it ends (the camera drops, refuses, goes silent for
/// no_media_timeout_ms) the node logs why and reconnects after a capped, doubling wait;
/// downstream sees a pause, never an end. Across a reconnect each port's pts carries on
/// from where it stopped plus the real time in between, so a call's RTP timestamps stay
/// continuous and its receivers' playout clocks right. Video resumes at a keyframe.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include <boost/asio/steady_timer.hpp>

#include <switchboard/backoff.hpp>
#include <switchboard/node.hpp>

#include "rtc/rtp/capture_clock.hpp"
#include "rtsp/client/rtsp_session.hpp"
#include "rtsp/source/pts_continuity.hpp"
#include "rtsp/source/source_settings.hpp"
#include "rtsp/source/track_receiver.hpp"

namespace switchboard::rtsp {

class SourceNode final : public Node {
public:
    /// Probes the camera; throws std::runtime_error with the probe's error when it cannot
    /// be described (see the factory in describe.cpp).
    SourceNode(NodeContext& context, SourceSettings settings);
    ~SourceNode() override;
    SourceNode(const SourceNode&) = delete;
    SourceNode& operator=(const SourceNode&) = delete;

    std::vector<PortSpec> input_ports() const noexcept override { return {}; }
    std::vector<PortSpec> output_ports() const noexcept override;

    Result<void> start() noexcept override;
    void stop() noexcept override;

private:
    struct Output {
        explicit Output(CameraTrack t) : track(std::move(t)) {}
        CameraTrack track;  ///< as probed (or expected); a later session must match it
        PtsContinuity pts;
        bool resumed = false;  ///< a frame went out since the last (re)connect
    };

    void connect();
    void on_described(const CameraDescription& description);
    void on_playing();
    void on_packet(std::size_t track, bool rtcp, std::span<const std::uint8_t> packet);
    void on_ended(const Error& error);
    void arm_watchdog();
    void arm_reports();
    void send_reports();

    NodeContext& m_ctx;
    SourceSettings m_settings;
    /// Indexed by port.
    std::vector<Output> m_outputs;

    std::shared_ptr<RtspSession> m_session;
    /// This session's tracks, by the camera's track index, and the port each feeds.
    std::vector<std::unique_ptr<TrackReceiver>> m_receivers;
    std::vector<std::optional<PortIndex>> m_track_ports;
    std::vector<Frame> m_frames;  ///< reused between packets
    rtc::rtp::CaptureClock m_clock;

    Backoff m_backoff;
    boost::asio::steady_timer m_retry;
    boost::asio::steady_timer m_watchdog;
    boost::asio::steady_timer m_reports;
    std::int64_t m_last_packet_ns = 0;
    std::uint32_t m_report_ssrc;
    std::uint64_t m_sessions = 0;  ///< sessions that reached PLAY
    std::uint64_t m_reconnects = 0;
    bool m_stopped = false;
};

}  // namespace switchboard::rtsp
