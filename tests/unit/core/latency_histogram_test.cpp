#include <gtest/gtest.h>

#include <random>

#include "graph/latency_histogram.hpp"

using switchboard::core::LatencyHistogram;

TEST(LatencyHistogram, EmptyIsZero) {
    LatencyHistogram h;
    EXPECT_EQ(h.count(), 0u);
    EXPECT_EQ(h.quantile(0.99), 0);
}

TEST(LatencyHistogram, QuantilesWithinBucketPrecision) {
    LatencyHistogram h;
    // 1..100000 ns uniformly: p50 ~ 50 us, p99 ~ 99 us.
    for (std::int64_t v = 1; v <= 100000; ++v) h.record(v);
    EXPECT_EQ(h.count(), 100000u);
    auto p50 = double(h.quantile(0.5));
    auto p99 = double(h.quantile(0.99));
    EXPECT_NEAR(p50, 50000, 50000 * 0.07);
    EXPECT_NEAR(p99, 99000, 99000 * 0.07);
    EXPECT_GE(p99, 99000);  // upper bucket edge: never understates
    EXPECT_EQ(h.max(), 100000);
}

TEST(LatencyHistogram, SmallAndHugeValues) {
    LatencyHistogram h;
    h.record(-5);
    h.record(3);
    h.record(std::int64_t(1) << 40);
    EXPECT_EQ(h.quantile(0.0), 0);
    EXPECT_EQ(h.quantile(0.5), 3);
    EXPECT_EQ(h.quantile(1.0), std::int64_t(1) << 40);
}
