// HlsFeed with real x264 + AAC output wrapped as SDK Frames: parts and segments reach
// the HlsStream (through the io executor), with audio; frames before the first keyframe
// are dropped; the picture size comes from the SPS when the Format has none; avcC
// codec_config is taken like Annex B; a late audio config is waited for, a missing one
// is not; a level above 4.1 fails once; a pts going back ends the stream; audio whose pts
// run on another clock (a call's RTP times) is placed by the frames' capture times.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include <switchboard/ffmpeg/picture_size.hpp>

#include "hls/h264_config.hpp"
#include "hls/hls_feed.hpp"
#include "support/hls_test_media.hpp"

namespace switchboard::hls {
namespace {

using switchboard::test::as_audio_frame;
using switchboard::test::as_video_frame;
using switchboard::test::demux;
using switchboard::test::EncodedFrame;
using switchboard::test::HlsTestMedia;
using switchboard::test::test_aac_format;

class CountingLogger : public Logger {
public:
    bool enabled(LogLevel) const noexcept override { return true; }
    void write(LogLevel level, std::string_view) noexcept override {
        if (level == LogLevel::error) ++errors;
    }
    std::shared_ptr<Logger> with_context(std::string_view) const override { return nullptr; }
    int errors = 0;
};

/// SPS + PPS (Annex B) as an avcC record (ISO 14496-15 §5.3.3), 4-byte lengths.
std::vector<std::uint8_t> avcc_of(const std::vector<std::uint8_t>& annexb) {
    auto sets = H264ParameterSets::find(annexb);
    std::vector<std::uint8_t> out{1, sets->sps[1], sets->sps[2], sets->sps[3], 0xff, 0xe1};
    auto add = [&](const std::vector<std::uint8_t>& unit) {
        out.push_back(std::uint8_t(unit.size() >> 8));
        out.push_back(std::uint8_t(unit.size()));
        out.insert(out.end(), unit.begin(), unit.end());
    };
    add(sets->sps);
    out.push_back(1);
    add(sets->pps);
    return out;
}

class HlsFeedTest : public ::testing::Test {
protected:
    HlsFeedTest()
        : stream(std::make_shared<HlsStream>(io.get_executor(), HlsStreamSettings{}, std::chrono::system_clock::now())),
          media(640, 360, 30) {}

    /// Feeds `frames` video frames (from the media's current position), with audio
    /// unless `audio` is false; codec_config on the first video and audio frame given.
    void push(HlsFeed& f, int frames, bool audio = true, int width = 640, int height = 360) {
        for (int i = 0; i < frames; ++i) {
            auto v = media.next_video();
            auto pushed = f.push_video(
                as_video_frame(v, width, height, first_video ? media.video_extradata() : std::vector<std::uint8_t>{}));
            first_video = false;
            ASSERT_TRUE(pushed.ok()) << pushed.error().message;
            auto sound = media.audio_until(v.pts + 3000);
            if (!audio) continue;
            for (auto& a : sound) {
                auto sent = f.push_audio(
                    as_audio_frame(a, first_audio ? media.audio_specific_config() : std::vector<std::uint8_t>{}));
                first_audio = false;
                ASSERT_TRUE(sent.ok()) << sent.error().message;
            }
        }
    }

    boost::asio::io_context io;
    std::shared_ptr<HlsStream> stream;
    HlsTestMedia media;
    CountingLogger log;
    bool first_video = true;
    bool first_audio = true;
};

TEST_F(HlsFeedTest, PartsAndSegmentsReachTheStreamWithAudio) {
    HlsFeed feed(io.get_executor(), stream, FragmenterSettings{}, log);
    feed.set_audio_format(test_aac_format());
    push(feed, 150);  // 5 s: segments 0 and 1 complete (keyframe each second, 2 s target)
    feed.finish();
    EXPECT_FALSE(stream->has_init());  // nothing reaches the stream but through the io executor
    io.poll();
    ASSERT_TRUE(stream->has_init());
    EXPECT_TRUE(feed.has_audio());
    EXPECT_TRUE(feed.started());
    EXPECT_FALSE(feed.error());
    EXPECT_EQ(feed.segments_out(), 3u);  // 2 s, 2 s, and the last second at finish()
    EXPECT_GE(feed.parts_out(), 15u);
    EXPECT_EQ(feed.frames_dropped(), 0u);
    EXPECT_NE(stream->segment(0), nullptr);
    EXPECT_NE(stream->segment(2), nullptr);
    EXPECT_NE(stream->multivariant_playlist().find("mp4a.40.2"), std::string::npos);
    EXPECT_NE(stream->multivariant_playlist().find("RESOLUTION=640x360"), std::string::npos);
    EXPECT_NE(stream->media_playlist().find("#EXTINF:2.000,\nseg0.m4s"), std::string::npos);
}

TEST_F(HlsFeedTest, FramesBeforeTheFirstKeyframeAreDropped) {
    HlsFeed feed(io.get_executor(), stream, FragmenterSettings{}, log);
    feed.set_audio_format(test_aac_format());
    (void)media.next_video();  // the stream's first keyframe is lost
    (void)media.audio_until(3000);
    push(feed, 29);  // frames 1..29: no keyframe; audio with them too
    EXPECT_FALSE(feed.started());
    EXPECT_EQ(feed.frames_dropped(), feed.frames_in());
    push(feed, 31);  // frame 30 is a keyframe
    EXPECT_TRUE(feed.started());
    EXPECT_TRUE(feed.has_audio());  // the config came on a dropped frame, and is kept
    feed.finish();
    io.poll();
    EXPECT_TRUE(stream->has_init());
    EXPECT_EQ(feed.segments_out(), 1u);
}

TEST_F(HlsFeedTest, SizeFromTheSpsAndAvccConfig) {
    HlsFeed feed(io.get_executor(), stream, FragmenterSettings{}, log);
    auto v = media.next_video();
    // The frame says no size; its codec_config is avcC, and the in-band sets are removed.
    std::vector<std::uint8_t> slices;
    for (auto unit : annexb_nal_units(v.bytes)) {
        if ((unit[0] & 0x1f) == 7 || (unit[0] & 0x1f) == 8) continue;
        slices.insert(slices.end(), {0, 0, 0, 1});
        slices.insert(slices.end(), unit.begin(), unit.end());
    }
    v.bytes = slices;
    ASSERT_TRUE(feed.push_video(as_video_frame(v, 0, 0, avcc_of(media.video_extradata()))).ok());
    first_video = false;
    push(feed, 40, false, 0, 0);
    feed.finish();
    io.poll();
    EXPECT_FALSE(feed.has_audio());
    EXPECT_NE(stream->multivariant_playlist().find("RESOLUTION=640x360"), std::string::npos);
    EXPECT_EQ(stream->multivariant_playlist().find("mp4a"), std::string::npos);
    EXPECT_EQ(feed.segments_out(), 1u);
}

TEST_F(HlsFeedTest, PictureSizeFromSps) {
    // What the feed asks of FFmpeg's parser: the SPS's size, from the parameter sets and a keyframe.
    for (auto [w, h] : {std::pair{640, 360}, {1280, 720}, {1920, 1080}, {426, 240}}) {
        HlsTestMedia m(w, h, 30);
        auto bytes = m.video_extradata();
        const auto key = m.next_video();
        bytes.insert(bytes.end(), key.bytes.begin(), key.bytes.end());
        EXPECT_EQ(ffmpeg::picture_size(Codec::h264, bytes), (std::pair{w, h}));
    }
    EXPECT_EQ(ffmpeg::picture_size(Codec::h264, {}), (std::pair{0, 0}));
}

TEST_F(HlsFeedTest, ALateAudioConfigIsWaitedFor) {
    HlsFeed feed(io.get_executor(), stream, FragmenterSettings{}, log);
    feed.set_audio_format(test_aac_format());
    push(feed, 9, false);  // 0.3 s of video, no audio yet: held
    EXPECT_FALSE(feed.started());
    push(feed, 60);  // then audio with its config: starts with audio, nothing lost
    EXPECT_TRUE(feed.started());
    EXPECT_TRUE(feed.has_audio());
    feed.finish();
    io.poll();
    EXPECT_NE(stream->multivariant_playlist().find("mp4a.40.2"), std::string::npos);
    EXPECT_EQ(feed.segments_out(), 2u);  // 2.3 s of video: the first segment began at frame 0
    EXPECT_EQ(feed.frames_dropped(), 0u);
}

TEST_F(HlsFeedTest, NoAudioConfigInTimeStartsVideoOnly) {
    HlsFeed feed(io.get_executor(), stream, FragmenterSettings{}, log, HlsFeedOptions{std::chrono::milliseconds(500)});
    feed.set_audio_format(test_aac_format());
    push(feed, 15, false);  // 0.467 s: still waiting
    EXPECT_FALSE(feed.started());
    push(feed, 1, false);  // 0.5 s
    EXPECT_TRUE(feed.started());
    EXPECT_FALSE(feed.has_audio());
    auto before = feed.frames_dropped();
    push(feed, 30);  // audio now has nowhere to go: dropped
    EXPECT_GT(feed.frames_dropped(), before);
    EXPECT_FALSE(feed.error());
    feed.finish();
    io.poll();
    EXPECT_EQ(stream->multivariant_playlist().find("mp4a"), std::string::npos);
}

TEST_F(HlsFeedTest, ALevelAbove41FailsOnceAndStays) {
    HlsFeed feed(io.get_executor(), stream, FragmenterSettings{}, log);
    auto v = media.next_video();
    auto config = media.video_extradata();
    // level_idc is the SPS's fourth byte (after the NAL header, profile, constraints).
    auto patch = [](std::vector<std::uint8_t>& annexb) {
        for (std::size_t i = 0; i + 4 < annexb.size(); ++i)
            if (annexb[i] == 0 && annexb[i + 1] == 0 && annexb[i + 2] == 1 && (annexb[i + 3] & 0x1f) == 7)
                annexb[i + 6] = 51;
    };
    patch(v.bytes);
    patch(config);
    auto pushed = feed.push_video(as_video_frame(v, 640, 360, config));
    ASSERT_FALSE(pushed.ok());
    EXPECT_EQ(pushed.error().kind, ErrorKind::invalid);
    EXPECT_NE(pushed.error().message.find("4.1"), std::string::npos) << pushed.error().message;
    auto again = feed.push_video(as_video_frame(media.next_video(), 640, 360));
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().message, pushed.error().message);
    EXPECT_EQ(log.errors, 1);
    EXPECT_FALSE(feed.restart_needed());
    io.poll();
    EXPECT_FALSE(stream->has_init());
}

TEST_F(HlsFeedTest, PtsGoingBackEndsTheStream) {
    HlsFeed feed(io.get_executor(), stream, FragmenterSettings{}, log);
    feed.set_audio_format(test_aac_format());
    push(feed, 45);
    auto v = media.next_video();
    v.pts -= 90000;  // a source restart
    auto pushed = feed.push_video(as_video_frame(v, 640, 360));
    ASSERT_FALSE(pushed.ok());
    EXPECT_EQ(pushed.error().kind, ErrorKind::unavailable);
    EXPECT_TRUE(feed.restart_needed());
    EXPECT_EQ(log.errors, 1);
    io.poll();
    // What came before is a complete stream: its last segment ended at the jump.
    EXPECT_EQ(feed.segments_out(), 1u);
    EXPECT_NE(stream->segment(0), nullptr);
    feed.finish();  // nothing more to do, and no second error
    EXPECT_EQ(log.errors, 1);
}

/// A call's tracks: video and audio pts start at unrelated RTP times (here audio behind
/// video by hours, or ahead), and the capture times (our clock) tell how they line up.
class HlsFeedClockTest : public HlsFeedTest, public ::testing::WithParamInterface<std::int64_t> {};

TEST_P(HlsFeedClockTest, AudioOnAnotherClockIsPlacedByCaptureTimes) {
    const std::int64_t video_base = 90000LL * 40'000;  // RTP time 40000 s
    const std::int64_t audio_base = GetParam();        // in 1/48000
    const std::int64_t captured_at = 5'000'000'000;    // our clock at media time 0
    HlsFeed feed(io.get_executor(), stream, FragmenterSettings{}, log);
    feed.set_audio_format(test_aac_format());
    for (int i = 0; i < 75; ++i) {
        auto v = media.next_video();
        Frame video = as_video_frame(v, 640, 360, i == 0 ? media.video_extradata() : std::vector<std::uint8_t>{});
        video.timing.capture_ns = captured_at + v.pts * 1'000'000'000 / 90000;
        video.pts += video_base;
        ASSERT_TRUE(feed.push_video(video).ok());
        for (auto& a : media.audio_until(v.pts + 3000)) {
            Frame audio = as_audio_frame(a, first_audio ? media.audio_specific_config() : std::vector<std::uint8_t>{});
            first_audio = false;
            audio.timing.capture_ns = captured_at + a.pts * 1'000'000'000 / HlsTestMedia::sample_rate;
            audio.pts += audio_base;
            ASSERT_TRUE(feed.push_audio(audio).ok());
        }
    }
    feed.finish();
    io.poll();
    ASSERT_TRUE(stream->has_init());
    ASSERT_TRUE(feed.has_audio());
    ASSERT_NE(stream->segment(0), nullptr);
    const auto d = demux(*stream->init(), *stream->segment(0));
    EXPECT_GE(d.audio_packets, 90);  // 2 s of 1024-sample frames is 93
    ASSERT_TRUE(d.first_video_s && d.first_audio_s);
    EXPECT_NEAR(*d.first_audio_s, *d.first_video_s, 0.025) << "audio and video start together, as captured";
}

INSTANTIATE_TEST_SUITE_P(Call, HlsFeedClockTest, ::testing::Values(48000LL * 3'000, 48000LL * 90'000));

}  // namespace
}  // namespace switchboard::hls
