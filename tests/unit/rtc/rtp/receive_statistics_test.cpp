#include "rtc/rtp/receive_statistics.hpp"

#include <gtest/gtest.h>

namespace switchboard::rtc::rtp {
namespace {

TEST(ReceiveStatistics, LossAcrossTheSequenceWrap) {
    ReceiveStatistics s(7, 90000);
    // 65530 .. 65535, 0 .. 3: ten expected, two (65533, 1) missing.
    std::int64_t t = 0;
    for (int seq : {65530, 65531, 65532, 65534, 65535, 0, 2, 3}) s.on_packet(std::uint16_t(seq), 0, t);
    const auto b = s.report_block(t);
    EXPECT_EQ(b.ssrc, 7u);
    EXPECT_EQ(b.cumulative_lost, 2);
    EXPECT_EQ(b.fraction_lost, 2 * 256 / 10);
    EXPECT_EQ(b.extended_highest_seq, 65536u + 3u);
    // The next interval lost nothing.
    s.on_packet(4, 0, t);
    s.on_packet(5, 0, t);
    const auto b2 = s.report_block(t);
    EXPECT_EQ(b2.fraction_lost, 0);
    EXPECT_EQ(b2.cumulative_lost, 2);
}

TEST(ReceiveStatistics, ARetransmissionRepairsTheCumulativeLoss) {
    ReceiveStatistics s(7, 90000);
    s.on_packet(1, 0, 0);
    s.on_packet(3, 0, 0);
    s.add_retransmitted();
    EXPECT_EQ(s.report_block(0).cumulative_lost, 0);
}

TEST(ReceiveStatistics, JitterIsZeroForPerfectPacingAndGrowsWithVariation) {
    ReceiveStatistics paced(1, 90000);
    for (int i = 0; i < 50; ++i) paced.on_packet(std::uint16_t(i), std::uint32_t(i * 3000), i * 33 + i / 3);
    EXPECT_LE(paced.report_block(0).jitter, 90u);  // only the ms rounding of 33.3 ms frames

    ReceiveStatistics jittery(2, 90000);
    for (int i = 0; i < 50; ++i)
        jittery.on_packet(std::uint16_t(i), std::uint32_t(i * 3000), i * 33 + (i % 2 ? 20 : 0));
    EXPECT_GT(jittery.report_block(0).jitter, 900u);  // about 20 ms of variation, in ticks
}

TEST(ReceiveStatistics, EchoesTheLastSenderReport) {
    ReceiveStatistics s(1, 90000);
    s.on_packet(1, 0, 0);
    EXPECT_EQ(s.report_block(0).last_sr, 0u);
    s.on_sender_report(0x12345678, 1000);
    const auto b = s.report_block(1500);
    EXPECT_EQ(b.last_sr, 0x12345678u);
    EXPECT_EQ(b.delay_since_last_sr, 65536u / 2);  // 500 ms in 1/65536 s
}

}  // namespace
}  // namespace switchboard::rtc::rtp
