// Absolute-deadline pacing with skip-ahead.
#include <gtest/gtest.h>

#include <chrono>

#include "testsrc/pacer.hpp"

using switchboard::Rational;
using switchboard::testsrc::Pacer;
using namespace std::chrono_literals;

TEST(Pacer, DeadlinesAreAbsoluteFromTheStart) {
    Pacer pacer(Rational{30, 1});
    const auto t0 = Pacer::Clock::time_point(10s);
    pacer.start(t0);
    EXPECT_EQ(pacer.deadline(), t0);
    for (int i = 0; i < 3; ++i) pacer.advance();
    EXPECT_EQ(pacer.deadline(), t0 + 100ms);
    for (int i = 0; i < 27; ++i) pacer.advance();
    EXPECT_EQ(pacer.deadline(), t0 + 1s);  // no rounding drift after a second of ticks
}

TEST(Pacer, FractionalRates) {
    Pacer pacer(Rational{30000, 1001});
    pacer.start(Pacer::Clock::time_point{});
    for (int i = 0; i < 30; ++i) pacer.advance();  // 30 frames at 29.97 fps
    EXPECT_EQ(pacer.deadline().time_since_epoch(), std::chrono::nanoseconds(1001ms));
}

TEST(Pacer, SmallLatenessIsNotSkipped) {
    Pacer pacer(Rational{50, 1});
    const auto t0 = Pacer::Clock::time_point(1s);
    pacer.start(t0);
    EXPECT_EQ(pacer.catch_up(t0 + 15ms), 0);  // within one 20 ms period
    EXPECT_EQ(pacer.index(), 0);
}

TEST(Pacer, SkipsAheadWhenMoreThanAFrameLate) {
    Pacer pacer(Rational{50, 1});
    const auto t0 = Pacer::Clock::time_point(1s);
    pacer.start(t0);
    pacer.advance();                          // tick 1 due at 20 ms
    EXPECT_EQ(pacer.catch_up(t0 + 75ms), 2);  // ticks 1 and 2 are stale; 3 (60 ms) is due
    EXPECT_EQ(pacer.index(), 3);
    EXPECT_EQ(pacer.deadline(), t0 + 60ms);
}
