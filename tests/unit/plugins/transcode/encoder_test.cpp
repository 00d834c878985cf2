// transcode.encoder with the real libx264, libvpx and libopus; decoded back with
// transcode.decoder to prove the output is what went in.
#include <gtest/gtest.h>

#include <optional>

#include <cstring>

#include "transcode/encoder_settings.hpp"
#include "transcode_test_util.hpp"

using namespace switchboard;
using test::Stage;

namespace {

constexpr int W = 320, H = 240, FPS = 30;

std::vector<Frame> pattern(int count, int first = 0) {
    std::vector<Frame> frames;
    for (int i = first; i < first + count; ++i) frames.push_back(test::make_pattern_frame(W, H, i, FPS));
    return frames;
}

/// Encodes `count` pattern frames with `codec`, decodes them, and checks the stamps.
void round_trip(const std::string& codec) {
    Stage encoder("transcode.encoder", R"({"codec":")" + codec + R"(","bitrate_kbps":800})");
    encoder.settle(test::i420(W, H, FPS));
    auto input = pattern(20);
    std::vector<std::int64_t> captured;
    for (const auto& f : input) captured.push_back(f.timing.capture_ns);

    auto encoded = encoder.push(input, true);
    ASSERT_EQ(encoded.size(), 20u) << codec << ": one packet per picture, no delay";
    EXPECT_TRUE(encoder.ctx.failures().empty());
    for (std::size_t i = 0; i < encoded.size(); ++i) {
        EXPECT_EQ(encoded[i].time_base, (Rational{1, 90000}));
        EXPECT_EQ(encoded[i].pts, std::int64_t(i) * 3000);
        EXPECT_EQ(encoded[i].duration, 3000);
        EXPECT_EQ(encoded[i].keyframe, i == 0) << codec << " frame " << i;
        EXPECT_EQ(encoded[i].timing.capture_ns, captured[i]) << "timing survives encoding";
        EXPECT_EQ(encoded[i].format.width, W);
    }

    Stage decoder("transcode.decoder", R"({"kind":"video"})");
    decoder.settle(encoder.node->output_ports()[0].formats[0]);
    auto decoded = decoder.push(encoded, true);
    ASSERT_EQ(decoded.size(), 20u) << codec;
    for (std::size_t i = 0; i < decoded.size(); ++i) {
        EXPECT_EQ(to_string(decoded[i].format), "video/I420 320x240@30");
        EXPECT_EQ(test::read_stamp(decoded[i]).counter, i) << codec << " frame " << i;
        EXPECT_EQ(decoded[i].timing.capture_ns, captured[i]) << "timing survives decoding";
        EXPECT_EQ(decoded[i].pts, std::int64_t(i) * 3000);
    }
    EXPECT_TRUE(decoder.ctx.failures().empty());
}

}  // namespace

TEST(EncoderConfig, SchemaAndSettings) {
    const std::string schema = transcode::encoder_schema;
    EXPECT_TRUE(test::schema_accepts(schema, R"({"codec":"h264"})"));
    EXPECT_TRUE(
        test::schema_accepts(schema, R"({"codec":"vp8","bitrate_kbps":500,"keyframe_interval_s":1,"cpu_used":4})"));
    EXPECT_FALSE(test::schema_accepts(schema, R"({})"));
    EXPECT_FALSE(test::schema_accepts(schema, R"({"codec":"mpeg2"})"));
    EXPECT_FALSE(test::schema_accepts(schema, R"({"codec":"h264","preset":"slow"})"));

    test::JsonConfig opus(R"({"codec":"opus"})");
    auto s = transcode::EncoderSettings::from(opus.config());
    EXPECT_EQ(s.codec, Codec::opus);
    EXPECT_EQ(s.bitrate_kbps, 32);
}

TEST(Encoder, H264PortsFollowTheInputAndTheRealSps) {
    Stage encoder("transcode.encoder", R"({"codec":"h264"})");
    auto in = encoder.node->input_ports();
    ASSERT_EQ(in.size(), 1u);
    EXPECT_EQ(in[0].name, "in");
    EXPECT_EQ(in[0].formats[0].codec, Codec::i420);
    EXPECT_EQ(to_string(encoder.node->output_ports()[0].formats), "{video/H264 packetization-mode=1}");

    encoder.settle(test::i420(W, H, FPS));
    auto out = encoder.node->output_ports()[0].formats.at(0);
    EXPECT_EQ(out.width, W);
    EXPECT_EQ(out.height, H);
    EXPECT_EQ(out.frame_rate, (Rational{FPS, 1}));
    EXPECT_EQ(out.packetization_mode, 1);
    EXPECT_EQ(out.profile_level_id >> 8, 0x42e0u) << "constrained baseline";
    EXPECT_GT(out.profile_level_id & 0xff, 0u) << "the SPS's level";
}

TEST(Encoder, H264At720pIsTheUsualWebRtcProfileLevel) {
    Stage encoder("transcode.encoder", R"({"codec":"h264"})");
    encoder.settle(test::i420(1280, 720, 30));
    EXPECT_EQ(encoder.node->output_ports()[0].formats.at(0).profile_level_id, 0x42e01fu);  // level 3.1
}

TEST(Encoder, H264CarriesParameterSetsInBandAndAsCodecConfig) {
    Stage encoder("transcode.encoder", R"({"codec":"h264","keyframe_interval_s":0.2})");  // a keyframe every 6
    encoder.settle(test::i420(W, H, FPS));
    auto encoded = encoder.push(pattern(13));
    ASSERT_EQ(encoded.size(), 13u);
    const Frame& first = encoded[0];
    ASSERT_FALSE(first.codec_config.empty());
    const std::uint8_t start[] = {0, 0, 0, 1};
    EXPECT_EQ(std::memcmp(first.codec_config.data(), start, 4), 0) << "Annex-B SPS/PPS";
    for (std::size_t i = 1; i < encoded.size(); ++i) EXPECT_TRUE(encoded[i].codec_config.empty()) << "unchanged config";
    int keyframes = 0;
    for (const auto& f : encoded) {
        if (!f.keyframe) continue;
        ++keyframes;
        EXPECT_TRUE(test::has_nal(f, 7)) << "SPS before every keyframe";
        EXPECT_TRUE(test::has_nal(f, 8)) << "PPS before every keyframe";
        EXPECT_TRUE(test::has_nal(f, 5)) << "IDR";
    }
    EXPECT_EQ(keyframes, 3);  // frames 0, 6, 12
}

TEST(Encoder, H264RoundTripKeepsStampsAndTiming) {
    round_trip("h264");
}

TEST(Encoder, Vp8RoundTripKeepsStampsAndTiming) {
    round_trip("vp8");
}

TEST(Encoder, KeyframeRequestIsHonouredOnTheNextFrame) {
    for (const char* codec : {"h264", "vp8"}) {
        Stage encoder("transcode.encoder", std::string(R"({"codec":")") + codec + R"("})");
        encoder.settle(test::i420(W, H, FPS));
        auto before = encoder.push(pattern(5));
        ASSERT_EQ(before.size(), 5u);
        for (std::size_t i = 1; i < before.size(); ++i) EXPECT_FALSE(before[i].keyframe) << codec;
        EXPECT_TRUE(encoder.node->on_keyframe_request(0));
        auto next = encoder.push(pattern(2, 5));
        ASSERT_EQ(next.size(), 2u);
        EXPECT_TRUE(next[0].keyframe) << codec << ": the very next frame";
        EXPECT_FALSE(next[1].keyframe) << codec;
        if (std::string(codec) == "h264") {
            EXPECT_TRUE(test::has_nal(next[0], 7)) << "with its SPS";
        }
    }
}

TEST(Encoder, PicturesOfAnotherSizeAreScaledToTheSettledOne) {
    Stage encoder("transcode.encoder", R"({"codec":"vp8"})");
    encoder.settle(test::i420(W, H, FPS));
    std::vector<Frame> big;
    for (int i = 0; i < 3; ++i) big.push_back(test::make_pattern_frame(640, 480, i, FPS));
    auto encoded = encoder.push(std::move(big));
    ASSERT_EQ(encoded.size(), 3u);
    Stage decoder("transcode.decoder", R"({"kind":"video"})");
    auto decoded = decoder.push(encoded);
    ASSERT_EQ(decoded.size(), 3u);
    EXPECT_EQ(decoded[0].format.width, W);
    EXPECT_EQ(decoded[2].format.height, H);
    EXPECT_EQ(test::read_stamp(decoded[2]).counter, 2);  // the stamp scales with the picture
}

TEST(Encoder, OpensOnTheFirstFrameWhenTheSizeWasLeftOpen) {
    Stage encoder("transcode.encoder", R"({"codec":"h264"})");
    Format any_size;
    any_size.kind = MediaKind::video;
    any_size.codec = Codec::i420;
    encoder.settle(any_size);
    EXPECT_EQ(encoder.node->output_ports()[0].formats.at(0).width, 0);
    auto out = encoder.push(pattern(2));
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(out[0].format.width, W);
    EXPECT_NE(out[0].format.profile_level_id, 0u);
}

TEST(Encoder, RefusesWhatItCannotEncodeNamingItsPointer) {
    Stage encoder("transcode.encoder", R"({"codec":"h264"})");
    auto r = encoder.node->set_input_format(0, test::s16_48k(1));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, ErrorKind::invalid);
    EXPECT_NE(r.error().message.find("/nodes/1/config"), std::string::npos) << r.error().message;

    Stage opus("transcode.encoder", R"({"codec":"opus"})");
    Format s16_8k = test::s16_48k(1);
    s16_8k.sample_rate = 8000;
    EXPECT_FALSE(opus.node->set_input_format(0, s16_8k));
}

TEST(Encoder, OpusEncodes20msFramesWithOpusHeadAndTiming) {
    Stage encoder("transcode.encoder", R"({"codec":"opus"})");
    encoder.settle(test::s16_48k(1));
    auto out_format = encoder.node->output_ports()[0].formats.at(0);
    EXPECT_EQ(to_string(out_format), "audio/opus 48000Hz 1ch");

    auto input = test::make_tone_frames(50);  // one second
    auto encoded = encoder.push(input, true);
    ASSERT_GE(encoded.size(), 50u);
    ASSERT_LE(encoded.size(), 51u);  // the flush may add the priming tail
    ASSERT_GE(encoded[0].codec_config.size(), 19u);
    EXPECT_EQ(std::memcmp(encoded[0].codec_config.data(), "OpusHead", 8), 0);
    for (std::size_t i = 0; i < encoded.size(); ++i) {
        if (i < 50) {
            EXPECT_EQ(encoded[i].duration, 960) << "20 ms";  // a flushed tail may be shorter
        }
        EXPECT_EQ(encoded[i].time_base, (Rational{1, 48000}));
        EXPECT_TRUE(encoded[i].keyframe);
        if (i > 0) {
            EXPECT_EQ(encoded[i].pts - encoded[i - 1].pts, 960);
        }
        if (i < 50) {
            EXPECT_EQ(encoded[i].timing.capture_ns, input[i].timing.capture_ns) << "packet " << i;
        }
    }

    Stage decoder("transcode.decoder", R"({"kind":"audio"})");
    decoder.settle(out_format);
    EXPECT_EQ(to_string(decoder.node->output_ports()[0].formats), "{audio/S16 48000Hz 1ch}");
    auto decoded = decoder.push(encoded, true);
    long samples = 0;
    for (const auto& f : decoded) samples += f.samples;
    EXPECT_NEAR(double(samples), 48000.0, 1000.0);
    EXPECT_NEAR(test::tone_hz(decoded, 48000, 2000), 440.0, 10.0);
    EXPECT_TRUE(decoder.ctx.failures().empty());
}

TEST(Encoder, OpusRegroupsOtherBlockSizes) {
    Stage encoder("transcode.encoder", R"({"codec":"opus","bitrate_kbps":64})");
    encoder.settle(test::s16_48k(2));
    auto encoded = encoder.push(test::make_tone_frames(15, 1024, 2), true);  // 15360 samples = 16 blocks
    ASSERT_GE(encoded.size(), 16u);
    EXPECT_EQ(encoded[0].format.channels, 2);
    for (std::size_t i = 1; i < encoded.size(); ++i) EXPECT_EQ(encoded[i].pts - encoded[i - 1].pts, 960);
}

TEST(Encoder, Vp8ReopensForCongestionAtOnceAndForGrowthAtItsNextKeyframe) {
    // FFmpeg's libvpx wrapper must be reopened for a new rate, which makes a keyframe.
    // `requests`: (before frame n, bits per second).
    auto keyframes_of = [](std::vector<std::pair<int, std::uint64_t>> requests) {
        Stage encoder("transcode.encoder", R"({"codec":"vp8","bitrate_kbps":2000,"keyframe_interval_s":1})");
        encoder.settle(test::i420(W, H, FPS));
        std::vector<Frame> out;
        int next = 0;
        for (const auto& [at, bps] : requests) {
            for (auto& f : encoder.push(pattern(at - next, next))) out.push_back(std::move(f));
            next = at;
            EXPECT_TRUE(encoder.node->on_bitrate_request(0, bps));
        }
        for (auto& f : encoder.push(pattern(90 - next, next))) out.push_back(std::move(f));
        EXPECT_TRUE(encoder.ctx.failures().empty());
        std::vector<std::int64_t> frames;  // as frame numbers
        for (const auto& f : out)
            if (f.keyframe) frames.push_back(f.pts * FPS * f.time_base.num / f.time_base.den);
        return frames;
    };
    const auto scheduled = keyframes_of({});
    ASSERT_GE(scheduled.size(), 3u);
    // An estimate near what we send (x 0.85: 19 % less) changes nothing.
    EXPECT_EQ(keyframes_of({{10, 1'900'000}}), scheduled);
    // Congestion (to 850 kb/s) reopens at once; room again (back to 2 Mb/s, at frame 15)
    // waits for the encoder's own next keyframe: none in between.
    const auto changed = keyframes_of({{10, 1'000'000}, {15, 3'000'000}});
    ASSERT_GE(changed.size(), 3u);
    EXPECT_EQ(changed[1], 10) << "congestion is taken at once";
    EXPECT_GE(changed[2], 10 + 25) << "growth waited for the next scheduled keyframe";
}

TEST(Encoder, BitrateRequestBringsTheVideoRateDownAndAudioIgnoresIt) {
    for (const char* codec : {"h264", "vp8"}) {
        Stage encoder("transcode.encoder", std::string(R"({"codec":")") + codec + R"(","bitrate_kbps":2000})");
        encoder.settle(test::i420(W, H, FPS));
        auto bytes = [](const std::vector<Frame>& frames) {
            std::size_t n = 0;
            for (const auto& f : frames) n += f.payload_size();
            return n;
        };
        encoder.push(pattern(30));
        const auto before = bytes(encoder.push(pattern(60, 30)));
        EXPECT_TRUE(encoder.node->on_bitrate_request(0, 200'000));
        encoder.push(pattern(30, 90));  // the rate control settles
        const auto after = bytes(encoder.push(pattern(60, 120)));
        const double kbps_before = before * 8.0 / 2 / 1000, kbps_after = after * 8.0 / 2 / 1000;
        std::printf("%s: %.0f kb/s before, %.0f kb/s after a 200 kb/s request\n", codec, kbps_before, kbps_after);
        EXPECT_LT(kbps_after, 200) << codec;
        EXPECT_LT(kbps_after, kbps_before * 0.5) << codec;
        EXPECT_TRUE(encoder.ctx.failures().empty());
    }
    Stage opus("transcode.encoder", R"({"codec":"opus"})");
    EXPECT_TRUE(opus.node->on_bitrate_request(0, 10'000)) << "audio keeps its rate; the request stops there";
}
