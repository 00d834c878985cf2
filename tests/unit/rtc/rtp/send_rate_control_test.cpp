#include "rtc/rtp/send_rate_control.hpp"

#include <gtest/gtest.h>

using switchboard::rtc::rtp::SendRateControl;

namespace {

constexpr std::uint8_t percent(int p) {
    return std::uint8_t(p * 256 / 100);
}

TEST(SendRateControl, NothingBeforeTheFirstRemb) {
    SendRateControl c;
    EXPECT_EQ(c.on_loss(percent(50)), 0u);
    EXPECT_EQ(c.target(), 0u);
    EXPECT_EQ(c.on_remb(1'000'000), 1'000'000u);
}

TEST(SendRateControl, HeavyLossLowersTheRateBelowTheRemb) {
    SendRateControl c;
    c.on_remb(900'000);
    // A pinned queue: the REMB stays high while half is lost.
    const auto after = c.on_loss(128);
    EXPECT_EQ(after, 675'000u);  // × (1 − 0.5 / 2)
    EXPECT_EQ(c.on_remb(900'000), 675'000u);
    EXPECT_LT(c.on_loss(128), 675'000u);
}

TEST(SendRateControl, ModerateLossHoldsAndLittleLossClimbsUpToTheRemb) {
    SendRateControl c;
    c.on_remb(1'000'000);
    c.on_loss(percent(20));  // 900 kb/s
    const auto held = c.target();
    EXPECT_EQ(c.on_loss(percent(5)), held);
    EXPECT_EQ(c.on_loss(0), std::uint64_t(held * 1.05));
    for (int i = 0; i < 10; ++i) c.on_loss(0);
    EXPECT_EQ(c.target(), 1'000'000u);  // never above the REMB
}

TEST(SendRateControl, ALowerRembWinsAndAHigherOneIsClimbedTo) {
    SendRateControl c;
    c.on_remb(1'000'000);
    EXPECT_EQ(c.on_remb(400'000), 400'000u);
    EXPECT_EQ(c.on_remb(800'000), 400'000u);  // loss-based climbs back a report at a time
    EXPECT_EQ(c.on_loss(0), 420'000u);
}

TEST(SendRateControl, TotalLossStopsAtTheFloor) {
    SendRateControl c;
    c.on_remb(500'000);
    for (int i = 0; i < 30; ++i) c.on_loss(255);
    EXPECT_EQ(c.target(), SendRateControl::min_bps);
}

}  // namespace
