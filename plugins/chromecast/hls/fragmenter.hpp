/// \file fragmenter.hpp
/// \brief Cuts a live H264 (+ AAC) stream into LL-HLS parts and segments, as CMAF.
///
/// Where the cuts go (RFC 8216bis §4.4.4.9 and Apple's LL-HLS rules):
///  - the stream starts at the first keyframe; anything before it is dropped;
///  - a segment ends at the first keyframe at least `segment_target` after its start,
///    so every segment starts with a keyframe;
///  - a part ends at the last video frame time that keeps it within `part_target`
///    (judged with the last frame's duration as the next one's), or at a segment end.
///    The default target, 0.334 s, holds ten 30 fps frames (0.3333 s); 0.333 would not,
///    and would cut every nine. A part that starts with a keyframe is independent.
/// Video samples are held until the next one arrives, so each gets its true duration
/// (the muxer writes it into the trun); AAC frames are always 1024 samples long and go
/// to the muxer at once. Part and segment times are on one microsecond timeline from the
/// first keyframe, and each duration is a difference of two boundaries, so the parts of
/// a segment add up to exactly its duration.
///
/// Not thread-safe: one caller thread, and the listener runs on it.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <switchboard/errors.hpp>
#include <switchboard/format.hpp>

#include "hls/cmaf_muxer.hpp"

namespace switchboard::hls {

using Micros = std::chrono::microseconds;

struct FragmenterSettings {
    Micros part_target{334'000};       ///< ≤ 0.5 s for a Chromecast (issue 6)
    Micros segment_target{2'000'000};  ///< segments end at the first keyframe past this
};

/// What the fragmenter is fed, besides the frames.
struct StreamDescription {
    int width = 0;
    int height = 0;
    /// SPS + PPS as Annex B; empty: taken from the first keyframe.
    std::vector<std::uint8_t> parameter_sets;
    /// AAC, when the stream has audio.
    std::optional<CmafTracks::Audio> audio;
};

/// One H264 access unit, Annex B.
struct VideoSample {
    std::span<const std::uint8_t> annexb;
    std::int64_t pts = 0;
    Rational time_base{1, 90000};
    bool keyframe = false;
};

/// One raw AAC frame (1024 samples, no ADTS header).
struct AudioSample {
    std::span<const std::uint8_t> data;
    std::int64_t pts = 0;
    Rational time_base{1, 48000};
};

/// What the init segment describes, for the multivariant playlist.
struct StreamInfo {
    int width = 0;
    int height = 0;
    std::string codecs;  ///< "avc1.42e01f,mp4a.40.2"
};

/// One finished part: msn is its segment's media sequence number, index its place in it.
struct CmafPart {
    std::uint64_t msn = 0;
    std::uint32_t index = 0;
    Micros start{0};  ///< from the first keyframe
    Micros duration{0};
    bool independent = false;
    std::string bytes;  ///< moof + mdat
};

class Fragmenter {
public:
    /// Told of each step as it happens, on the thread that pushes.
    class Listener {
    public:
        virtual ~Listener() = default;
        /// Once, at the first keyframe, before any part.
        virtual void on_init(std::string init_segment, const StreamInfo& info) = 0;
        virtual void on_part(CmafPart part) = 0;
        /// Segment `msn` is complete: its parts, in order, are all of it.
        virtual void on_segment_end(std::uint64_t msn, Micros duration) = 0;
    };

    Fragmenter(FragmenterSettings settings, StreamDescription description, Listener& listener);
    ~Fragmenter();
    Fragmenter(const Fragmenter&) = delete;
    Fragmenter& operator=(const Fragmenter&) = delete;

    /// invalid: a level above 4.1, no SPS/PPS, a pts that does not increase;
    /// runtime: the muxer failed.
    Result<void> push_video(const VideoSample& sample);
    /// Dropped (ok) before the first keyframe; invalid for a pts that does not increase.
    Result<void> push_audio(const AudioSample& sample);
    /// End of stream: writes the held frame (with the previous frame's duration) and
    /// closes the last part and segment.
    Result<void> finish();

    /// Frames dropped before the first keyframe.
    std::uint64_t dropped_before_keyframe() const noexcept { return m_dropped; }

private:
    struct HeldFrame {
        std::vector<std::uint8_t> bytes;
        std::int64_t pts = 0;
        Rational time_base;
        bool keyframe = false;
        Micros at{0};  ///< on the stream timeline
    };

    Result<void> start(const VideoSample& first);
    /// Writes the held frame, lasting until `next_pts` (its own time base).
    Result<void> write_held(std::int64_t next_pts);
    /// Ends the current part at `at` (and the segment too when `segment_end`).
    Result<void> cut(Micros at, bool segment_end, bool next_is_keyframe);
    Micros to_micros(std::int64_t pts, Rational time_base) const;

    FragmenterSettings m_settings;
    StreamDescription m_description;
    Listener& m_listener;
    std::unique_ptr<CmafMuxer> m_muxer;
    std::optional<HeldFrame> m_held;
    std::int64_t m_last_duration = 0;  ///< of the last written video frame, its time base
    Micros m_origin{0};                ///< first keyframe's time, absolute
    std::optional<Micros> m_last_audio;
    std::uint64_t m_msn = 0;
    std::uint32_t m_part_index = 0;
    Micros m_part_start{0};
    Micros m_segment_start{0};
    bool m_part_independent = true;
    std::uint64_t m_dropped = 0;
    bool m_finished = false;
};

}  // namespace switchboard::hls
