// TimingMap: outputs find the timing of the input they came from.
#include <gtest/gtest.h>

#include "transcode/timing_map.hpp"

using switchboard::Timing;
using switchboard::transcode::TimingMap;

namespace {
Timing at(std::int64_t ns) {
    Timing t;
    t.capture_ns = ns;
    return t;
}
}  // namespace

TEST(TimingMap, ExactMatchesAndForgetsOlderEntries) {
    TimingMap map;
    map.remember(0, at(100), 3000);
    map.remember(3000, at(200), 3000);
    map.remember(6000, at(300), 3000);
    auto second = map.take(3000);
    ASSERT_TRUE(second);
    EXPECT_EQ(second->timing.capture_ns, 200);
    EXPECT_EQ(second->duration, 3000);
    EXPECT_EQ(map.size(), 1u);  // 0 was older than what came out: gone
    EXPECT_EQ(map.take(6000)->timing.capture_ns, 300);
    EXPECT_FALSE(map.take(9000));
}

TEST(TimingMap, NearestOlderThenOldestAsFallbacks) {
    TimingMap map;
    map.remember(960, at(1), 960);
    map.remember(1920, at(2), 960);
    EXPECT_EQ(map.take(1000)->timing.capture_ns, 1);  // between inputs: the older one
    map.remember(2880, at(3), 960);
    EXPECT_EQ(map.take(-312)->timing.capture_ns, 2);  // before any input (priming): the oldest
}

TEST(TimingMap, IsBounded) {
    TimingMap map(4);
    for (int i = 0; i < 10; ++i) map.remember(i, at(i), 1);
    EXPECT_EQ(map.size(), 4u);
    EXPECT_EQ(map.take(0)->timing.capture_ns, 6);
}
