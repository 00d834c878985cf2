/// \file media_playlist.hpp
/// \brief The LL-HLS playlists as text: the media playlist of one live stream (a sliding
/// window of segments, the parts of the recent ones, a preload hint for the next part)
/// and the multivariant playlist that points at it.
///
/// Tags and rules from RFC 8216bis (draft-pantos-hls-rfc8216bis) §4.4 and Apple's LL-HLS
/// spec: EXT-X-PART-INF and EXT-X-SERVER-CONTROL (§4.4.3.7-8), EXT-X-PART (§4.4.4.9),
/// EXT-X-PRELOAD-HINT (§4.4.5.3); PART-HOLD-BACK at least three part targets (§4.4.3.8);
/// parts are listed for segments within three target durations of the end (§4.4.4.9).
/// URIs are relative to the playlist: init.mp4, seg<msn>.m4s, part<msn>.<index>.m4s.
/// A pure model: no I/O, no clock (the program date time origin is given).
///
/// With `low_latency` off the same stream is described as plain HLS (RFC 8216): whole
/// segments only, no EXT-X-PART-INF, -SERVER-CONTROL, -PART or -PRELOAD-HINT, version 6
/// (the lowest for EXT-X-MAP without I-frames); the segment in progress is not listed.
/// That is what a player of ordinary HLS (and Home Assistant's stream) sees: the
/// comparison the latency benchmark makes.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

namespace switchboard::hls {

using Micros = std::chrono::microseconds;

struct PlaylistSettings {
    /// LL-HLS (parts, blocking reload, preload hints); false: plain RFC 8216 segments.
    bool low_latency = true;
    Micros part_target{334'000};
    int target_duration_s = 2;        ///< EXT-X-TARGETDURATION: no segment may round above it
    std::size_t window_segments = 6;  ///< complete segments listed
};

/// The URIs, one place for the playlist and the server's router.
std::string part_uri(std::uint64_t msn, std::uint32_t index);
std::string segment_uri(std::uint64_t msn);
inline constexpr const char* init_uri = "init.mp4";
inline constexpr const char* media_playlist_uri = "media.m3u8";

/// Seconds with millisecond precision, as playlists write durations ("0.334", "2.000").
std::string format_seconds(Micros duration);
/// ISO 8601 in UTC with milliseconds ("2026-11-26T18:00:00.000Z"), for PROGRAM-DATE-TIME.
std::string format_date_time(std::chrono::system_clock::time_point at);

class MediaPlaylist {
public:
    MediaPlaylist(PlaylistSettings settings, std::chrono::system_clock::time_point origin);

    /// Adds the next part of the segment in progress (or of the next segment, after
    /// end_segment()). `start` is on the stream's timeline, as the fragmenter counts.
    void add_part(std::uint64_t msn, std::uint32_t index, Micros start, Micros duration, bool independent);
    /// Segment `msn` is complete; the oldest complete segment leaves once more than the
    /// window are listed.
    void end_segment(std::uint64_t msn, Micros duration);

    /// The playlist text.
    std::string render() const;

    /// Media sequence number of the segment in progress (the one the next part joins).
    std::uint64_t next_msn() const noexcept { return m_next_msn; }
    /// Parts of the segment in progress so far.
    std::uint32_t parts_in_progress() const noexcept;
    /// Media sequence number of the oldest segment listed.
    std::uint64_t first_msn() const noexcept;
    /// True when segment `msn` is complete and still listed.
    bool has_segment(std::uint64_t msn) const noexcept;
    /// True when that part is listed (of a complete segment or the one in progress).
    bool has_part(std::uint64_t msn, std::uint32_t index) const noexcept;
    const PlaylistSettings& settings() const noexcept { return m_settings; }

private:
    struct Part {
        Micros duration;
        bool independent;
    };
    struct Segment {
        std::uint64_t msn;
        Micros start;
        Micros duration{0};
        bool complete = false;
        std::vector<Part> parts;
    };

    const Segment* find(std::uint64_t msn) const noexcept;

    PlaylistSettings m_settings;
    std::chrono::system_clock::time_point m_origin;
    std::deque<Segment> m_segments;
    std::uint64_t m_next_msn = 0;
};

/// EXT-X-VERSION of the playlists: 9 for LL-HLS (its tags), 6 for plain fMP4 HLS.
int playlist_version(bool low_latency) noexcept;

/// The multivariant playlist: one variant, `media_uri`, with its peak BANDWIDTH
/// (bits/s), CODECS and RESOLUTION (§4.4.6.2); `version` as its media playlist's.
std::string render_multivariant(int bandwidth_bps, const std::string& codecs, int width, int height,
                                const std::string& media_uri = media_playlist_uri, int version = 9);

}  // namespace switchboard::hls
