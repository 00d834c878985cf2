#include "rtc/rtp/nack_generator.hpp"

#include <gtest/gtest.h>

#include "rtc/rtp/rtcp_nack.hpp"

namespace switchboard::rtc::rtp {
namespace {

using Seqs = std::vector<std::uint16_t>;

TEST(NackGenerator, ReportsHolesAcrossTheWrapOnce) {
    NackGenerator g;
    g.on_packet(65533, 0);
    g.on_packet(1, 0);  // 65534, 65535, 0 missing
    EXPECT_EQ(g.due(0), (Seqs{65534, 65535, 0}));
    EXPECT_TRUE(g.due(50).empty());  // within the retry interval
    g.on_packet(65535, 60);          // a retransmission arrives
    EXPECT_EQ(g.due(100), (Seqs{65534, 0}));
    RtcpNack n{1, 2, g.due(200)};
    std::vector<std::uint8_t> out;
    n.write(out);
    EXPECT_EQ(RtcpNack::compress(n.sequence_numbers), (std::vector<std::uint32_t>{(65534u << 16) | 0x2}));
}

TEST(NackGenerator, GivesUpAfterRetriesOrAge) {
    NackGenerator g({10, 3, 1000, 10'000});
    g.on_packet(1, 0);
    g.on_packet(3, 0);
    for (int i = 0; i < 3; ++i) EXPECT_EQ(g.due(i * 10), (Seqs{2}));
    EXPECT_TRUE(g.due(40).empty());
    EXPECT_EQ(g.given_up(), 1u);
    EXPECT_EQ(g.missing(), 0u);

    NackGenerator h({10, 100, 1000, 500});
    h.on_packet(1, 0);
    h.on_packet(3, 0);
    EXPECT_EQ(h.due(0), (Seqs{2}));
    EXPECT_TRUE(h.due(501).empty());
    EXPECT_EQ(h.given_up(), 1u);
}

TEST(NackGenerator, HugeGapAsksForAKeyframeInstead) {
    NackGenerator g({100, 10, 50, 1000});
    EXPECT_TRUE(g.on_packet(0, 0));
    EXPECT_TRUE(g.on_packet(40, 0));
    EXPECT_EQ(g.missing(), 39u);
    EXPECT_FALSE(g.on_packet(1000, 0));
    EXPECT_EQ(g.missing(), 0u);
    EXPECT_TRUE(g.on_packet(1005, 0));
    EXPECT_EQ(g.due(0).size(), 4u);
}

TEST(NackGenerator, ListIsBounded) {
    NackGenerator g({100, 10, 10, 1000});
    g.on_packet(0, 0);
    g.on_packet(8, 0);   // 7 missing
    g.on_packet(16, 0);  // 7 more: the oldest 4 fall off
    EXPECT_EQ(g.missing(), 10u);
    EXPECT_EQ(g.due(0).front(), 5);
    EXPECT_EQ(g.given_up(), 4u);
}

}  // namespace
}  // namespace switchboard::rtc::rtp
