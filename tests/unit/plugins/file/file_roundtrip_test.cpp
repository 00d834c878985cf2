// file.sink writes MKV, MP4 and WebM that ffprobe and file.source read back correctly.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstring>

#include "file_test_util.hpp"

using namespace switchboard;
using namespace std::chrono_literals;
using test::EncodedMedia;
using test::TestNodeContext;

namespace {

/// Two seconds of each, made once: encoding is the slow part of these tests.
const EncodedMedia& h264_media() {
    static const EncodedMedia m = test::encode_media("h264", 2.0);
    return m;
}
const EncodedMedia& vp8_media() {
    static const EncodedMedia m = test::encode_media("vp8", 2.0);
    return m;
}

struct RecordOptions {
    bool video = true;
    bool audio = true;
    bool end_of_stream = true;  ///< false: only stop(), as on a shutdown
    bool strip_codec_config = false;
};

/// Records `m` to `path` through a file.sink, frames interleaved by capture time.
void record(const std::string& path, const EncodedMedia& m, RecordOptions o = {}) {
    TestNodeContext ctx("recorder");
    auto sink = test::make_file_node(ctx, "file.sink", R"({"path":")" + path + R"("})");
    if (o.video) {
        ASSERT_TRUE(sink->set_input_format(0, m.video_format).ok());
    }
    if (o.audio) {
        ASSERT_TRUE(sink->set_input_format(1, m.audio_format).ok());
    }
    ASSERT_TRUE(sink->start().ok());

    std::vector<std::pair<PortIndex, Frame>> all;
    if (o.video)
        for (const auto& f : m.video) all.emplace_back(0, f);
    if (o.audio)
        for (const auto& f : m.audio) all.emplace_back(1, f);
    std::stable_sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
        return a.second.timing.capture_ns < b.second.timing.capture_ns;
    });
    for (auto& [port, frame] : all) {
        if (o.strip_codec_config) frame.codec_config = Buffer{};
        sink->on_frame(port, std::move(frame));
    }
    if (o.end_of_stream) sink->on_end_of_stream();
    sink->stop();
    EXPECT_TRUE(ctx.failures().empty());
}

/// Everything a file.source emits, read as fast as it can.
struct Playback {
    std::vector<PortSpec> ports;
    std::vector<Frame> video;
    std::vector<Frame> audio;
    bool finished = false;
};

Playback play(const std::string& path) {
    TestNodeContext ctx("player");
    auto source = test::make_file_node(ctx, "file.source", R"({"path":")" + path + R"(","realtime":false})");
    Playback p;
    p.ports = source->output_ports();
    ctx.call([&] { EXPECT_TRUE(source->start().ok()); });
    p.finished = ctx.run_until([&] { return ctx.is_finished(); }, 10s);
    ctx.call([&] { source->stop(); });
    for (std::size_t i = 0; i < p.ports.size(); ++i)
        (p.ports[i].name == "video" ? p.video : p.audio) = ctx.frames(PortIndex(i));
    EXPECT_TRUE(ctx.failures().empty());
    return p;
}

/// Decodes video frames and checks their stamps count 0, 1, 2...
void expect_stamps_in_order(const std::vector<Frame>& video) {
    test::Stage decoder("transcode.decoder", R"({"kind":"video"})");
    auto decoded = decoder.push(video, true);
    ASSERT_EQ(decoded.size(), video.size());
    for (std::size_t i = 0; i < decoded.size(); ++i)
        ASSERT_EQ(test::read_stamp(decoded[i]).counter, i) << "frame " << i;
}

bool starts_with_start_code(const Buffer& b) {
    static const std::uint8_t four[] = {0, 0, 0, 1}, three[] = {0, 0, 1};
    return (b.size() > 4 && std::memcmp(b.data(), four, 4) == 0) ||
           (b.size() > 3 && std::memcmp(b.data(), three, 3) == 0);
}

void check_round_trip(const std::string& file, const EncodedMedia& m, const char* video_codec) {
    test::TempDir dir;
    const std::string path = dir.file(file);
    record(path, m);

    auto probe = test::ffprobe(path);
    EXPECT_EQ(probe.video_codec, video_codec) << path;
    EXPECT_EQ(probe.audio_codec, "opus") << path;
    EXPECT_EQ(probe.width, 320);
    EXPECT_EQ(probe.video_frames, 60);
    EXPECT_NEAR(probe.duration, 2.0, 0.15) << path;

    auto p = play(path);
    EXPECT_TRUE(p.finished);
    ASSERT_EQ(p.ports.size(), 2u);
    EXPECT_EQ(p.ports[0].name, "video");
    EXPECT_EQ(p.ports[0].formats.at(0).codec, m.video_format.codec);
    EXPECT_EQ(p.ports[0].formats.at(0).width, 320);
    EXPECT_EQ(p.ports[1].name, "audio");
    EXPECT_EQ(p.ports[1].formats.at(0).codec, Codec::opus);
    EXPECT_EQ(p.ports[1].formats.at(0).sample_rate, 48000);
    ASSERT_EQ(p.video.size(), 60u);
    EXPECT_GE(p.audio.size(), 99u);
    EXPECT_TRUE(p.video[0].keyframe);
    EXPECT_FALSE(p.audio[0].codec_config.empty()) << "OpusHead on the first audio frame";
    EXPECT_EQ(std::memcmp(p.audio[0].codec_config.data(), "OpusHead", 8), 0);
    for (std::size_t i = 1; i < p.video.size(); ++i) {
        EXPECT_GT(p.video[i].pts, p.video[i - 1].pts);
        EXPECT_TRUE(p.video[i].codec_config.empty());
    }
    const double video_seconds = double(p.video.back().pts - p.video.front().pts) * p.video[0].time_base.to_double();
    EXPECT_NEAR(video_seconds, 59.0 / 30, 0.01);
    if (m.video_format.codec == Codec::h264) {
        EXPECT_TRUE(starts_with_start_code(p.video[0].codec_config)) << "Annex-B parameter sets";
        for (const auto& f : p.video) ASSERT_TRUE(starts_with_start_code(f.buffer)) << "Annex-B packets";
    }
    expect_stamps_in_order(p.video);
}

}  // namespace

TEST(FileRoundTrip, MatroskaWithH264AndOpus) {
    check_round_trip("call.mkv", h264_media(), "h264");
}

TEST(FileRoundTrip, Mp4WithH264AndOpus) {
    check_round_trip("call.mp4", h264_media(), "h264");
}

TEST(FileRoundTrip, WebmWithVp8AndOpus) {
    check_round_trip("call.webm", vp8_media(), "vp8");
}

TEST(FileSink, ExtractsH264ParameterSetsWhenCodecConfigIsMissing) {
    test::TempDir dir;
    const std::string path = dir.file("inband.mp4");
    record(path, h264_media(), {.audio = false, .strip_codec_config = true});
    auto probe = test::ffprobe(path);
    EXPECT_EQ(probe.video_codec, "h264");
    EXPECT_EQ(probe.width, 320);
    EXPECT_EQ(probe.video_frames, 60);
    expect_stamps_in_order(play(path).video);
}

TEST(FileSink, StopAloneLeavesACompleteFile) {
    test::TempDir dir;
    const std::string path = dir.file("shutdown.mkv");
    record(path, h264_media(), {.end_of_stream = false});
    auto probe = test::ffprobe(path);
    EXPECT_EQ(probe.video_codec, "h264");
    EXPECT_NEAR(probe.duration, 2.0, 0.15);
}

TEST(FileSink, AnUnlinkedInputIsLeftOut) {
    test::TempDir dir;
    const std::string path = dir.file("silent.webm");
    record(path, vp8_media(), {.audio = false});
    auto probe = test::ffprobe(path);
    EXPECT_EQ(probe.video_codec, "vp8");
    EXPECT_EQ(probe.audio_codec, "");
    auto p = play(path);
    ASSERT_EQ(p.ports.size(), 1u);
    EXPECT_EQ(p.ports[0].name, "video");

    const std::string audio_only = dir.file("voice.mkv");
    record(audio_only, vp8_media(), {.video = false});
    EXPECT_EQ(test::ffprobe(audio_only).audio_codec, "opus");
}

TEST(FileSink, StartsAtAKeyframeAndAsksForOne) {
    test::TempDir dir;
    TestNodeContext ctx;
    auto sink = test::make_file_node(ctx, "file.sink", R"({"path":")" + dir.file("late.mkv") + R"("})");
    ASSERT_TRUE(sink->set_input_format(0, h264_media().video_format).ok());
    ASSERT_TRUE(sink->start().ok());
    sink->on_frame(0, Frame(h264_media().video[5]));  // joined mid-stream
    EXPECT_EQ(ctx.keyframe_requests(0), 1);
    sink->stop();
    EXPECT_FALSE(std::filesystem::exists(dir.file("late.mkv"))) << "nothing recorded, nothing left behind";
}

TEST(FileSource, RealtimePacesByPts) {
    test::TempDir dir;
    const std::string path = dir.file("paced.mkv");
    EncodedMedia half = h264_media();
    half.video.resize(15);  // 0.5 s
    record(path, half, {.audio = false});

    TestNodeContext ctx;
    auto source = test::make_file_node(ctx, "file.source", R"({"path":")" + path + R"("})");
    const auto t0 = std::chrono::steady_clock::now();
    ctx.call([&] { ASSERT_TRUE(source->start().ok()); });
    ASSERT_TRUE(ctx.run_until([&] { return ctx.is_finished(); }, 5s));
    const auto elapsed = std::chrono::steady_clock::now() - t0;
    auto frames = ctx.frames(0);
    ASSERT_EQ(frames.size(), 15u);
    EXPECT_GE(elapsed, 400ms) << "14 frame intervals at 30 fps";
    EXPECT_LT(elapsed, 2s);
    const double span = double(frames.back().timing.capture_ns - frames.front().timing.capture_ns) / 1e9;
    EXPECT_NEAR(span, 14.0 / 30, 0.1);
    ctx.call([&] { source->stop(); });
}

TEST(FileSource, LoopsWithIncreasingPts) {
    test::TempDir dir;
    const std::string path = dir.file("loop.webm");
    EncodedMedia short_media = vp8_media();
    short_media.video.resize(10);
    record(path, short_media, {.audio = false});

    TestNodeContext ctx;
    auto source =
        test::make_file_node(ctx, "file.source", R"({"path":")" + path + R"(","realtime":false,"loop":true})");
    ctx.call([&] { ASSERT_TRUE(source->start().ok()); });
    ASSERT_TRUE(ctx.run_until([&] { return ctx.frame_count(0) >= 25; }, 5s));
    ctx.call([&] { source->stop(); });
    auto frames = ctx.frames(0);
    for (std::size_t i = 1; i < frames.size(); ++i) EXPECT_GT(frames[i].pts, frames[i - 1].pts) << "frame " << i;
    EXPECT_TRUE(frames[10].keyframe) << "the second pass starts at the first keyframe again";
    EXPECT_FALSE(ctx.is_finished());
    source.reset();
    ctx.drain();
}
