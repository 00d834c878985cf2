/// \file track_receiver.hpp
/// \brief One camera track of one RTSP session: its RTP becomes frames, its RTCP sender
/// reports are read, and our receiver reports are written.
///
/// Packets are taken in arrival order. Over TCP that is the camera's order; over UDP a
/// camera on the LAN reorders next to never, and a late packet counts as lost: the
/// depacketizer drops the frame it belonged to (and video waits for the next keyframe),
/// which costs less than holding every frame for a reorder window. Frames leave at the
/// packet with the marker bit, never later. Parameter sets a camera gives only in its
/// SDP are put in front of each keyframe. Not thread-safe: the node's executor.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include <switchboard/frame.hpp>

#include "rtc/rtp/capture_clock.hpp"
#include "rtc/rtp/depacketizer.hpp"
#include "rtc/rtp/receive_statistics.hpp"
#include "rtsp/client/camera_description.hpp"

namespace switchboard::rtsp {

class TrackReceiver {
public:
    struct Counters {
        std::uint64_t packets = 0;
        std::uint64_t frames = 0;
        std::uint64_t malformed = 0;       ///< not RTP, or another payload type
        std::uint64_t packets_lost = 0;    ///< sequence gaps
        std::uint64_t frames_dropped = 0;  ///< incomplete, or waiting for a keyframe
        std::uint64_t sender_reports = 0;
    };

    explicit TrackReceiver(const CameraTrack& track);

    /// An RTP packet arrived at `now_ns` (monotonic); completed frames are appended to
    /// `out`. Their capture_ns comes from the camera's sender reports through `clock`
    /// (shared by the session's tracks), or is the arrival of their last packet before
    /// the first report.
    void on_rtp(std::span<const std::uint8_t> packet, std::int64_t now_ns, rtc::rtp::CaptureClock& clock,
                std::vector<Frame>& out);
    /// An RTCP compound arrived (sender reports are what matter).
    void on_rtcp(std::span<const std::uint8_t> packet, std::int64_t now_ms);
    /// Our receiver report (RR + SDES) for this track, or nullopt before any packet.
    std::optional<std::vector<std::uint8_t>> receiver_report(std::uint32_t our_ssrc, std::int64_t now_ms);

    /// True while the depacketizer drops frames until a keyframe.
    bool waiting_for_keyframe() const noexcept { return m_depacketizer->waiting_for_keyframe(); }
    const Counters& counters() const noexcept { return m_counters; }
    const CameraTrack& track() const noexcept { return m_track; }

private:
    /// H264/H265: a keyframe without its parameter sets gets the last ones seen (in band,
    /// or the SDP's sprop-*), so it decodes on its own.
    void complete_keyframe(Frame& frame);

    CameraTrack m_track;
    Buffer m_parameter_sets;  ///< Annex B
    std::unique_ptr<rtc::rtp::Depacketizer> m_depacketizer;
    std::optional<rtc::rtp::ReceiveStatistics> m_stats;  ///< from the first packet's SSRC
    rtc::rtp::SenderClock m_sender_clock;
    Counters m_counters;
};

}  // namespace switchboard::rtsp
