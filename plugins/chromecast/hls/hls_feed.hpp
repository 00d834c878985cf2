/// \file hls_feed.hpp
/// \brief SDK frames in, an HlsStream fed: the glue between a graph node (H264 + AAC
/// Frames on its strand) and the packager (Fragmenter on that strand, HlsStream on the
/// io executor).
///
/// What it does with the frames:
///  - video before the first keyframe is dropped; the Fragmenter is built at that
///    keyframe, its picture size from the Format or, when that says 0, from the SPS;
///    SPS/PPS from frame.codec_config (Annex B, or avcC: either is taken) or in band;
///  - audio: the AudioSpecificConfig comes as the codec_config of an AAC frame, and
///    sample rate and channels from it (else from set_audio_format()). When the first
///    keyframe comes and audio is expected (set_audio_format() was called, or an AAC
///    frame was seen) but its config is not known yet, video is held for up to
///    `audio_config_wait` of video time; the stream then starts with audio if the
///    config came, video-only if not. Audio before the first keyframe, and all audio of
///    a stream that started video-only, is dropped (counted, logged once);
///  - audio is put on video's timeline by the capture times (Frame::timing.capture_ns)
///    of the first keyframe and of the first audio frame: the pts of two tracks need not
///    share a clock (a call's RTP times start anywhere per track, a camera's tracks each
///    start at 0). Without capture times the pts are taken as they are;
///  - the Fragmenter's init, parts and segment ends are posted, in order, onto the
///    HlsStream on the io executor (which must be serial: an io_context run by one
///    thread, or a strand);
///  - an error (a level above 4.1, a muxer failure) is returned with context, logged
///    once, and is sticky: every later push returns it again and feeds nothing;
///  - a discontinuity, i.e. video pts not increasing (a source restart) or an SPS with
///    another picture size or profile/level (a resolution change), cannot continue in
///    this stream (it has one init segment, and HlsServer serves one EXT-X-MAP). The
///    feed finishes the stream there (its last segment completes, so players play up to
///    it) and fails with ErrorKind::unavailable and restart_needed(): the owner makes a
///    new HlsStream and HlsFeed (a new token) and points the receiver at it. Audio pts
///    that does not increase only drops that frame.
///
/// Not thread-safe: one thread (the node's strand) calls everything.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>

#include <switchboard/errors.hpp>
#include <switchboard/format.hpp>
#include <switchboard/frame.hpp>
#include <switchboard/log.hpp>

#include "hls/fragmenter.hpp"
#include "hls/hls_stream.hpp"

namespace switchboard::hls {

struct HlsFeedOptions {
    /// How long (video time from the first keyframe) to hold video for an audio config
    /// that has not come yet, when audio is expected.
    std::chrono::milliseconds audio_config_wait{1000};
};

class HlsFeed {
public:
    HlsFeed(boost::asio::any_io_executor io, std::shared_ptr<HlsStream> stream, FragmenterSettings settings,
            Logger& log, HlsFeedOptions options = {});
    ~HlsFeed();
    HlsFeed(const HlsFeed&) = delete;
    HlsFeed& operator=(const HlsFeed&) = delete;

    /// The audio input's format (sample rate, channels), before its frames: audio is
    /// then expected, and its config waited for at the first keyframe.
    void set_audio_format(const Format& aac);
    /// One H264 access unit, Annex B.
    Result<void> push_video(const Frame& h264);
    /// One raw AAC frame (no ADTS), 1024 samples.
    Result<void> push_audio(const Frame& aac);
    /// End of stream: the held frame is written and the last part and segment close.
    /// The HlsStream stays open (its owner removes it from the server).
    void finish();

    std::uint64_t frames_in() const noexcept { return m_frames_in; }
    /// Frames that did not go into the stream (before the first keyframe, audio with
    /// nowhere to go, after an error or a discontinuity).
    std::uint64_t frames_dropped() const noexcept { return m_frames_dropped; }
    std::uint64_t parts_out() const noexcept { return m_parts_out; }
    std::uint64_t segments_out() const noexcept { return m_segments_out; }
    /// The Fragmenter exists (the init segment went out).
    bool started() const noexcept { return m_fragmenter != nullptr; }
    /// The stream has audio.
    bool has_audio() const noexcept { return m_with_audio; }
    /// A discontinuity ended this stream: a new one is needed.
    bool restart_needed() const noexcept { return m_restart_needed; }
    /// The sticky error, if any.
    const std::optional<Error>& error() const noexcept { return m_error; }

private:
    class Publisher;
    struct AudioConfig {
        int sample_rate = 0;
        int channels = 0;
        std::vector<std::uint8_t> asc;
    };

    /// Starts the Fragmenter with what is known now and replays the held frames.
    Result<void> start();
    Result<void> feed_video(const Frame& frame);
    Result<void> feed_audio(const Frame& frame);
    /// Stores, logs and returns `error` (the first one only is logged).
    Error fail(Error error);
    /// Checks a keyframe's parameter sets against the running stream's.
    bool same_stream(const Frame& keyframe) const;
    /// Ends the stream at a discontinuity and fails with `why`.
    Error discontinuity(const std::string& why);
    void drop(const char* why);

    boost::asio::any_io_executor m_io;
    std::shared_ptr<HlsStream> m_stream;
    FragmenterSettings m_settings;
    Logger& m_log;
    HlsFeedOptions m_options;
    std::unique_ptr<Publisher> m_publisher;
    std::unique_ptr<Fragmenter> m_fragmenter;

    std::optional<Format> m_audio_format;
    std::optional<AudioConfig> m_audio_config;
    bool m_audio_seen = false;
    bool m_with_audio = false;
    /// Waiting for the audio config: frames since the first keyframe, in arrival order.
    struct Held {
        bool audio;
        Frame frame;
    };
    std::deque<Held> m_held;
    bool m_holding = false;
    std::optional<Micros> m_first_keyframe_at;
    std::int64_t m_first_keyframe_capture_ns = 0;
    /// Added to an audio frame's pts (in µs) to put it on video's timeline; set by the
    /// first audio frame fed.
    std::optional<Micros> m_audio_shift;

    std::vector<std::uint8_t> m_video_config;  ///< Annex B, the newest codec_config
    std::string m_codec_string;                ///< of the running stream's SPS
    std::pair<int, int> m_sps_size{0, 0};      ///< what its SPS states ({0, 0}: cannot tell)
    std::optional<Micros> m_last_video;

    std::optional<Error> m_error;
    bool m_restart_needed = false;
    std::uint64_t m_frames_in = 0;
    std::uint64_t m_frames_dropped = 0;
    std::uint64_t m_parts_out = 0;
    std::uint64_t m_segments_out = 0;
    std::set<std::string> m_logged_drops;  ///< each reason a frame was dropped is logged once
    bool m_finished = false;
};

}  // namespace switchboard::hls
