// GopCache: what a consumer joining a running camera is replayed.
#include <gtest/gtest.h>

#include "graph/gop_cache.hpp"

using switchboard::Buffer;
using switchboard::Frame;
using switchboard::core::GopCache;

namespace {

Frame frame(std::int64_t pts, bool keyframe, std::size_t bytes = 100) {
    Frame f;
    f.pts = pts;
    f.keyframe = keyframe;
    f.buffer = Buffer::allocate(bytes);
    return f;
}

std::vector<std::int64_t> pts_of(const GopCache& cache) {
    std::vector<std::int64_t> out;
    for (const auto& f : cache.frames()) out.push_back(f.pts);
    return out;
}

}  // namespace

TEST(GopCache, HoldsTheLastKeyframeAndWhatFollowedIt) {
    GopCache cache;
    cache.on_frame(frame(1, false));  // nothing to start from yet
    EXPECT_TRUE(cache.frames().empty());
    cache.on_frame(frame(2, true));
    cache.on_frame(frame(3, false));
    cache.on_frame(frame(4, false));
    EXPECT_EQ(pts_of(cache), (std::vector<std::int64_t>{2, 3, 4}));
    cache.on_frame(frame(5, true));
    cache.on_frame(frame(6, false));
    EXPECT_EQ(pts_of(cache), (std::vector<std::int64_t>{5, 6}));
}

TEST(GopCache, AGroupOverTheLimitsIsDroppedUntilTheNextKeyframe) {
    GopCache by_count({3, 1 << 20});
    for (int i = 0; i < 5; ++i) by_count.on_frame(frame(i, i == 0));
    EXPECT_TRUE(by_count.frames().empty()) << "a partial group cannot be decoded";
    by_count.on_frame(frame(9, true));
    EXPECT_EQ(pts_of(by_count), (std::vector<std::int64_t>{9}));

    GopCache by_bytes({100, 250});
    by_bytes.on_frame(frame(1, true, 100));
    by_bytes.on_frame(frame(2, false, 100));
    by_bytes.on_frame(frame(3, false, 100));
    EXPECT_TRUE(by_bytes.frames().empty());
}

TEST(GopCache, SharesTheBytesItHolds) {
    GopCache cache;
    Frame key = frame(1, true);
    cache.on_frame(key);
    EXPECT_EQ(cache.frames().front().buffer.data(), key.buffer.data());
}
