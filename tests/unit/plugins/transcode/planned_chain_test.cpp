// The planner's audio chains carry real media: each node is made from the step the
// planner wrote and settled on the first format both sides admit, as the graph does
// when "convert": "auto" or a call inserts them.
#include <gtest/gtest.h>

#include <memory>

#include "transcode/planner.hpp"
#include "transcode_test_util.hpp"

using namespace switchboard;
using test::Stage;

namespace {

Format audio(Codec codec, int rate = 0, int channels = 0) {
    Format f;
    f.kind = MediaKind::audio;
    f.codec = codec;
    f.sample_rate = rate;
    f.channels = channels;
    return f;
}

/// The nodes plan_conversion() asks for between `from` and `to`, settled one after the
/// other; empty when there is no plan.
std::vector<std::unique_ptr<Stage>> build_chain(const Format& from, const FormatSet& to) {
    std::vector<std::unique_ptr<Stage>> chain;
    auto steps = transcode::plan_conversion(from, to);
    EXPECT_TRUE(steps.has_value());
    if (!steps) return chain;
    FormatSet offered{from};
    for (const auto& step : *steps) {
        chain.push_back(std::make_unique<Stage>(step.type, step.config_json));
        const auto common = intersect(offered, chain.back()->node->input_ports().at(0).formats);
        EXPECT_FALSE(common.empty()) << step.type << " " << step.config_json << " cannot take " << to_string(offered);
        if (common.empty()) return {};
        chain.back()->settle(common.front());
        offered = chain.back()->node->output_ports().at(0).formats;
    }
    EXPECT_FALSE(intersect(offered, to).empty()) << "the chain makes " << to_string(offered);
    return chain;
}

/// `frames` through every node of `chain`, ending the stream.
std::vector<Frame> run(std::vector<std::unique_ptr<Stage>>& chain, std::vector<Frame> frames) {
    for (auto& stage : chain) frames = stage->push(std::move(frames), true);
    return frames;
}

/// One second of PCMU in 20 ms packets, each with its capture time.
std::vector<Frame> pcmu_second() {
    std::vector<Frame> frames;
    for (int i = 0; i < 50; ++i) {
        frames.push_back(test::make_pcmu(160));
        frames.back().pts = i * 160;
        frames.back().timing.capture_ns = 1'000'000'000 + std::int64_t(i) * 20'000'000;
    }
    return frames;
}

/// True when every frame's capture time is one of the input's and never goes back.
bool timing_kept(const std::vector<Frame>& out, const std::vector<std::int64_t>& captured) {
    std::int64_t last = 0;
    for (const auto& f : out) {
        if (f.timing.capture_ns < last) return false;
        if (std::find(captured.begin(), captured.end(), f.timing.capture_ns) == captured.end()) return false;
        last = f.timing.capture_ns;
    }
    return true;
}

std::vector<std::int64_t> captures(const std::vector<Frame>& frames) {
    std::vector<std::int64_t> out;
    for (const auto& f : frames) out.push_back(f.timing.capture_ns);
    return out;
}

long total_samples(const std::vector<Frame>& frames) {
    long n = 0;
    for (const auto& f : frames) n += f.samples;
    return n;
}

/// The leading frames holding at most `samples`: without the padded tail the encoders'
/// flushes add, whose near-silence would add zero crossings of its own.
std::vector<Frame> head(std::vector<Frame> frames, long samples) {
    long n = 0;
    std::size_t keep = 0;
    while (keep < frames.size() && n + frames[keep].samples <= samples) n += frames[keep++].samples;
    frames.resize(keep);
    return frames;
}

}  // namespace

// A camera's G.711 to a browser: resampled to 48 kHz by the decoder, then Opus.
TEST(PlannedChain, Pcmu8kReachesABrowserAsOpus) {
    auto chain = build_chain(audio(Codec::pcmu, 8000, 1), {audio(Codec::opus)});
    ASSERT_EQ(chain.size(), 2u);
    EXPECT_EQ(to_string(chain[0]->node->output_ports()[0].formats), "{audio/S16 48000Hz 1ch}");
    EXPECT_EQ(to_string(chain[1]->node->output_ports()[0].formats), "{audio/opus 48000Hz 1ch}");

    const auto input = pcmu_second();
    auto opus = run(chain, input);
    EXPECT_GE(opus.size(), 49u);
    for (std::size_t i = 1; i < opus.size(); ++i) EXPECT_EQ(opus[i].pts - opus[i - 1].pts, 960);
    EXPECT_TRUE(timing_kept(opus, captures(input)));
    for (const auto& stage : chain) EXPECT_TRUE(stage->ctx.failures().empty());

    Stage decoder("transcode.decoder", R"({"kind":"audio"})");
    decoder.settle(opus.at(0).format);
    auto back = decoder.push(opus, true);
    EXPECT_NEAR(double(total_samples(back)), 48000.0, 1500.0);
    EXPECT_NEAR(test::tone_hz(head(back, 44000), 48000, 2000), 1000.0, 10.0);
}

// A caller's Opus voice to an LL-HLS player: decoded at 48 kHz, then AAC at that rate.
TEST(PlannedChain, OpusBecomesAacAndDecodesBack) {
    Stage source("transcode.encoder", R"({"codec":"opus"})");
    source.settle(test::s16_48k(1));
    const auto tone = test::make_tone_frames(50);
    auto opus = source.push(tone, true);
    ASSERT_FALSE(opus.empty());

    auto chain = build_chain(source.node->output_ports()[0].formats.at(0), {audio(Codec::aac)});
    ASSERT_EQ(chain.size(), 2u);
    EXPECT_EQ(to_string(chain[1]->node->output_ports()[0].formats), "{audio/AAC 48000Hz 1ch}");
    auto aac = run(chain, opus);
    ASSERT_GE(aac.size(), 47u);
    ASSERT_FALSE(aac[0].codec_config.empty()) << "the AudioSpecificConfig";
    for (std::size_t i = 1; i < aac.size(); ++i) EXPECT_EQ(aac[i].pts - aac[i - 1].pts, 1024);
    EXPECT_TRUE(timing_kept(aac, captures(tone)));
    for (const auto& stage : chain) EXPECT_TRUE(stage->ctx.failures().empty());

    Stage decoder("transcode.decoder", R"({"kind":"audio"})");
    decoder.settle(aac.at(0).format);
    auto back = decoder.push(aac, true);
    EXPECT_NEAR(double(total_samples(back)), 48000.0, 2500.0);
    EXPECT_NEAR(test::tone_hz(head(back, 44000), 48000, 4000), 440.0, 5.0);
}

// G.711 to AAC keeps 8 kHz unless the consumer names a rate.
TEST(PlannedChain, Pcmu8kBecomesAacAtItsOwnRateOrTheConsumers) {
    for (int wanted : {0, 48000}) {
        auto chain = build_chain(audio(Codec::pcmu, 8000, 1), {audio(Codec::aac, wanted)});
        ASSERT_EQ(chain.size(), 2u);
        const int rate = wanted ? wanted : 8000;
        auto aac = run(chain, pcmu_second());
        ASSERT_FALSE(aac.empty());
        EXPECT_EQ(aac[0].format.sample_rate, rate);
        EXPECT_EQ(aac[0].time_base, (Rational{1, rate}));
        for (const auto& stage : chain) EXPECT_TRUE(stage->ctx.failures().empty());

        Stage decoder("transcode.decoder", R"({"kind":"audio"})");
        decoder.settle(aac.at(0).format);
        auto back = decoder.push(aac, true);
        // A wrong rate would be off by a factor; a square wave coded at 8 kHz crosses zero
        // a little unevenly.
        EXPECT_NEAR(test::tone_hz(head(back, rate * 9 / 10), rate, rate / 10), 1000.0, 30.0) << rate;
    }
}
