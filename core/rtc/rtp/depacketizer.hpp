/// \file depacketizer.hpp
/// \brief Turns in-order RTP packets of one stream into encoded Frames; the codec
/// subclasses (H264Depacketizer, H265Depacketizer, Vp8Depacketizer, JpegDepacketizer,
/// AacDepacketizer, AudioDepacketizer) only say how one frame's packets become bytes.
///
/// Input is expected in sequence order (a JitterBuffer in front does that); a packet
/// older than the last one seen is ignored. A frame ends at the marker bit, or when the
/// timestamp changes (senders that never set the marker, lost last packets). Loss shows
/// as a sequence gap (the 65535 -> 0 wrap is not one): the frame that spans the gap is
/// dropped, and for video every following frame too until a keyframe arrives, since
/// they reference what was lost. While that lasts, results say keyframe_needed: the
/// caller sends PLI/FIR, rate-limited (the flag repeats with every dropped frame).
/// Video also starts in that state, so a receiver's first frame is a keyframe.
///
/// Output frames: format as given, pts = the RTP timestamp extended past 32-bit wraps
/// (the first frame's pts equals its RTP timestamp), time_base = 1/clock_rate. Formats
/// that pack several access units under one timestamp (RFC 3640 AAC) yield several
/// frames from one packet group, each with its offset added to that pts.
/// Not thread-safe: one per stream, on the stream's strand.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include <switchboard/frame.hpp>

#include "rtc/rtp/rtp_packet.hpp"
#include "rtc/rtp/unwrapper.hpp"

namespace switchboard::rtc::rtp {

/// What one push() (or flush()) produced.
struct DepacketizerResult {
    std::vector<Frame> frames;       ///< completed frames, in order (usually 0 or 1)
    bool keyframe_needed = false;    ///< send PLI/FIR (see the file comment)
    std::uint32_t packets_lost = 0;  ///< size of the sequence gap before this packet
    std::uint32_t frames_dropped = 0;
};

class Depacketizer {
public:
    /// `format` must carry codec and clock_rate; it is copied into every frame.
    explicit Depacketizer(const Format& format, bool needs_keyframes, bool frame_per_packet) noexcept;
    virtual ~Depacketizer() = default;
    Depacketizer(const Depacketizer&) = delete;
    Depacketizer& operator=(const Depacketizer&) = delete;

    DepacketizerResult push(const RtpPacket& packet);
    /// Completes a frame whose marker never came (end of stream).
    DepacketizerResult flush();

    bool waiting_for_keyframe() const noexcept { return m_waiting_for_keyframe; }
    const Format& format() const noexcept { return m_format; }
    /// Packets older than the last seen (duplicates, late reordering), ignored.
    std::uint64_t late_packets() const noexcept { return m_late; }

protected:
    /// One access unit's bytes.
    struct Assembled {
        Buffer data;
        bool keyframe = false;
        /// Out-of-band configuration found in-band (H264 SPS/PPS as Annex B), or empty.
        Buffer codec_config;
        /// Added to the RTP timestamp for this unit's pts (the i-th AAC access unit of a
        /// packet is i frame durations later); 0 for one-frame-per-timestamp formats.
        std::int64_t pts_offset = 0;
    };
    /// The access units of one frame's packets, in order: one for most formats, several
    /// when a packet carries several (RFC 3640); empty when the packets do not form a
    /// valid frame (a fragment missing, a malformed payload), which drops it.
    using Units = std::vector<Assembled>;
    virtual Units assemble(std::span<const RtpPacket> packets) = 0;
    /// The usual case: exactly one unit.
    static Units one(Assembled a) {
        Units u;
        u.push_back(std::move(a));
        return u;
    }

private:
    void complete(DepacketizerResult& out);
    /// Counts a dropped frame; video then waits for (and asks for) a keyframe.
    void drop(DepacketizerResult& out);

    Format m_format;
    bool m_needs_keyframes;
    bool m_frame_per_packet;
    bool m_waiting_for_keyframe;
    bool m_pending_damaged = false;
    std::vector<RtpPacket> m_pending;
    SequenceUnwrapper m_seq;
    TimestampUnwrapper m_ts;
    std::optional<std::int64_t> m_last_seq;
    std::uint64_t m_late = 0;
};

}  // namespace switchboard::rtc::rtp
