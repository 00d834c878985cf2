// The ConverterPlanner behind "convert": "auto".
#include <gtest/gtest.h>

#include "transcode/decoder_settings.hpp"
#include "transcode/encoder_settings.hpp"
#include "transcode/planner.hpp"
#include "transcode_test_util.hpp"

using namespace switchboard;
using transcode::plan_conversion;

namespace {

Format fmt(MediaKind kind, Codec codec) {
    Format f;
    f.kind = kind;
    f.codec = codec;
    return f;
}

/// "type config | type config" for compact expectations.
std::string plan(const Format& from, const FormatSet& to) {
    auto steps = plan_conversion(from, to);
    if (!steps) return "none";
    std::string s;
    for (const auto& step : *steps) {
        if (!s.empty()) s += " | ";
        s += step.type + " " + step.config_json;
        const char* schema = step.type == "transcode.encoder" ? transcode::encoder_schema : transcode::decoder_schema;
        EXPECT_TRUE(test::schema_accepts(schema, step.config_json)) << step.config_json;
    }
    return s;
}

}  // namespace

TEST(Planner, RawToEncodedIsOneEncoder) {
    const Format raw = test::i420(320, 240, 30);
    EXPECT_EQ(plan(raw, {fmt(MediaKind::video, Codec::h264)}), R"(transcode.encoder {"codec":"h264"})");
    EXPECT_EQ(plan(raw, {fmt(MediaKind::video, Codec::vp8)}), R"(transcode.encoder {"codec":"vp8"})");
    EXPECT_EQ(plan(test::s16_48k(1), {fmt(MediaKind::audio, Codec::opus)}), R"(transcode.encoder {"codec":"opus"})");
    EXPECT_EQ(plan(test::s16_48k(2), {fmt(MediaKind::audio, Codec::aac)}), R"(transcode.encoder {"codec":"aac"})");
}

TEST(Planner, S16ToAacKeepsAnyAacRate) {
    Format s16 = test::s16_48k(1);
    for (int rate : {44100, 32000, 16000, 8000}) {
        s16.sample_rate = rate;
        EXPECT_EQ(plan(s16, {fmt(MediaKind::audio, Codec::aac)}), R"(transcode.encoder {"codec":"aac"})") << rate;
    }
    s16.sample_rate = 7000;
    EXPECT_EQ(plan(s16, {fmt(MediaKind::audio, Codec::aac)}), "none")
        << "not an AAC rate; the encoder does not resample";
    Format aac48 = fmt(MediaKind::audio, Codec::aac);
    aac48.sample_rate = 48000;
    s16.sample_rate = 44100;
    EXPECT_EQ(plan(s16, {aac48}), "none") << "the encoder keeps the rate; the consumer wants another";
}

TEST(Planner, TakesTheFirstTargetItCanMake) {
    const Format raw = test::i420(320, 240, 30);
    EXPECT_EQ(plan(raw, {fmt(MediaKind::video, Codec::av1), fmt(MediaKind::video, Codec::vp8),
                         fmt(MediaKind::video, Codec::h264)}),
              R"(transcode.encoder {"codec":"vp8"})");
}

TEST(Planner, EncodedToRawIsOneDecoder) {
    EXPECT_EQ(plan(fmt(MediaKind::video, Codec::h264), {fmt(MediaKind::video, Codec::i420)}),
              R"(transcode.decoder {"kind":"video"})");
    Format opus = fmt(MediaKind::audio, Codec::opus);
    opus.sample_rate = 48000;
    EXPECT_EQ(plan(opus, {test::s16_48k(0)}), R"(transcode.decoder {"kind":"audio"})");
}

TEST(Planner, EncodedToEncodedDecodesThenEncodes) {
    EXPECT_EQ(plan(fmt(MediaKind::video, Codec::h264), {fmt(MediaKind::video, Codec::vp8)}),
              R"(transcode.decoder {"kind":"video"} | transcode.encoder {"codec":"vp8"})");
    Format pcmu = fmt(MediaKind::audio, Codec::pcmu);
    pcmu.sample_rate = 8000;
    pcmu.channels = 1;
    EXPECT_EQ(plan(pcmu, {fmt(MediaKind::audio, Codec::opus)}),
              R"(transcode.decoder {"kind":"audio","sample_rate":48000} | transcode.encoder {"codec":"opus"})");
}

TEST(Planner, EncodedToAacResamplesOnlyWhenItMust) {
    Format opus = fmt(MediaKind::audio, Codec::opus);
    opus.sample_rate = 48000;
    opus.channels = 2;
    EXPECT_EQ(plan(opus, {fmt(MediaKind::audio, Codec::aac)}),
              R"(transcode.decoder {"kind":"audio"} | transcode.encoder {"codec":"aac"})");
    Format pcmu = fmt(MediaKind::audio, Codec::pcmu);
    pcmu.sample_rate = 8000;
    EXPECT_EQ(plan(pcmu, {fmt(MediaKind::audio, Codec::aac)}),
              R"(transcode.decoder {"kind":"audio"} | transcode.encoder {"codec":"aac"})")
        << "8 kHz is an AAC rate";

    Format aac48 = fmt(MediaKind::audio, Codec::aac);
    aac48.sample_rate = 48000;
    EXPECT_EQ(plan(pcmu, {aac48}),
              R"(transcode.decoder {"kind":"audio","sample_rate":48000} | transcode.encoder {"codec":"aac"})")
        << "the consumer names its rate";
    Format aac22k = fmt(MediaKind::audio, Codec::aac);
    aac22k.sample_rate = 22050;
    EXPECT_EQ(plan(opus, {aac22k}),
              R"(transcode.decoder {"kind":"audio","sample_rate":22050} | transcode.encoder {"codec":"aac"})");
    EXPECT_EQ(plan(fmt(MediaKind::audio, Codec::opus), {fmt(MediaKind::audio, Codec::aac)}),
              R"(transcode.decoder {"kind":"audio"} | transcode.encoder {"codec":"aac"})")
        << "Opus always decodes at 48 kHz";
    Format pcma = fmt(MediaKind::audio, Codec::pcma);
    EXPECT_EQ(plan(pcma, {fmt(MediaKind::audio, Codec::aac)}),
              R"(transcode.decoder {"kind":"audio"} | transcode.encoder {"codec":"aac"})");
}

TEST(Planner, SaysNoWhenItCannot) {
    const Format raw = test::i420(640, 480, 30);
    EXPECT_EQ(plan(raw, {test::i420(320, 240, 30)}), "none");            // no scaler node
    EXPECT_EQ(plan(raw, {fmt(MediaKind::video, Codec::h265)}), "none");  // no H265 encoder
    EXPECT_EQ(plan(raw, {fmt(MediaKind::audio, Codec::opus)}), "none");  // another kind
    Format s16_8k = test::s16_48k(1);
    s16_8k.sample_rate = 8000;
    EXPECT_EQ(plan(s16_8k, {fmt(MediaKind::audio, Codec::opus)}), "none");  // the encoder takes 48 kHz
    Format sized = fmt(MediaKind::video, Codec::h264);
    sized.width = 320;
    EXPECT_EQ(plan(raw, {sized}), "none");  // sizes disagree
    EXPECT_EQ(plan(fmt(MediaKind::video, Codec::av1), {fmt(MediaKind::video, Codec::i420)}), "none");
}

TEST(Planner, IsRegisteredOnBothTypes) {
    auto info = transcode::describe();
    ASSERT_EQ(info.node_types.size(), 2u);
    for (const auto& t : info.node_types) {
        ASSERT_TRUE(bool(t.convert)) << t.type;
        EXPECT_TRUE(t.convert(test::i420(320, 240, 30), {fmt(MediaKind::video, Codec::h264)}).has_value());
    }
}
