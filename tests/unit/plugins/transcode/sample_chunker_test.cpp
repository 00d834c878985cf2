// SampleChunker: any input block size in, exact blocks out, with pts and timing.
#include <gtest/gtest.h>

#include "transcode/sample_chunker.hpp"
#include "unit/plugins/plugin_test_util.hpp"

using namespace switchboard;
using switchboard::transcode::SampleChunker;

namespace {
Format s16(int channels) {
    Format f;
    f.kind = MediaKind::audio;
    f.codec = Codec::s16;
    f.sample_rate = 48000;
    f.channels = channels;
    return f;
}
}  // namespace

TEST(SampleChunker, RegroupsIntoExactBlocksKeepingSamplesAndTiming) {
    auto input = test::make_tone_frames(10, 1024, 2);  // 10240 samples in 1024-sample frames
    SampleChunker chunker(960, s16(2));
    std::vector<Frame> blocks;
    for (auto& f : input) {
        chunker.push(f, f.pts);
        while (auto b = chunker.pop()) blocks.push_back(std::move(*b));
    }
    ASSERT_EQ(blocks.size(), 10u);  // 10 * 960 = 9600 of 10240
    EXPECT_EQ(chunker.buffered(), 640);
    for (std::size_t i = 0; i < blocks.size(); ++i) {
        EXPECT_EQ(blocks[i].samples, 960);
        EXPECT_EQ(blocks[i].payload_size(), 960u * 2 * 2);
        EXPECT_EQ(blocks[i].pts, std::int64_t(i) * 960);
        EXPECT_EQ(blocks[i].time_base, (Rational{1, 48000}));
        // The input holding the block's first sample gave it its timing.
        const std::size_t source = std::size_t(blocks[i].pts / 1024);
        EXPECT_EQ(blocks[i].timing.capture_ns, input[source].timing.capture_ns) << "block " << i;
    }
    // Samples pass through unchanged: block 1 starts at input sample 960.
    auto* in = reinterpret_cast<const std::int16_t*>(input[0].payload());
    auto* out = reinterpret_cast<const std::int16_t*>(blocks[1].payload());
    EXPECT_EQ(out[0], in[960 * 2]);
    EXPECT_EQ(out[2 * 63], in[2 * (960 + 63)]);

    auto last = chunker.pop_padded();
    ASSERT_TRUE(last);
    EXPECT_EQ(last->samples, 960);
    EXPECT_EQ(last->pts, 9600);
    EXPECT_FALSE(chunker.pop_padded());
}

TEST(SampleChunker, AGapRestartsAtTheNewPosition) {
    auto input = test::make_tone_frames(3, 500, 1);
    SampleChunker chunker(960, s16(1));
    chunker.push(input[0], 0);
    chunker.push(input[1], 500 + 48000);  // a second-long hole
    EXPECT_EQ(chunker.buffered(), 500);
    chunker.push(input[2], 1000 + 48000);
    auto block = chunker.pop();
    ASSERT_TRUE(block);
    EXPECT_EQ(block->pts, 500 + 48000);
}
