#include "rtc/rtp/send_timeline.hpp"

#include <gtest/gtest.h>

namespace switchboard::rtc::rtp {
namespace {

constexpr Rational ms{1, 1000};

TEST(SendTimeline, FollowsPtsWhileTheyAdvanceNormally) {
    SendTimeline t;
    EXPECT_EQ(t.map(0, ms), 0);
    EXPECT_EQ(t.map(33, ms), 2970);
    EXPECT_EQ(t.map(66, ms), 5940);
    EXPECT_EQ(t.map(1066, ms), 95940);  // a 1 s pause is still a normal step
    EXPECT_EQ(t.discontinuities(), 0u);
}

TEST(SendTimeline, AbsorbsPtsGoingBackwards) {
    SendTimeline t;
    t.map(5000, ms);
    const auto before = t.map(5040, ms);  // 40 ms frames
    // The source restarted at 0: the next frame is one interval later, and so on.
    EXPECT_EQ(t.map(0, ms), before + 3600);
    EXPECT_EQ(t.map(40, ms), before + 7200);
    EXPECT_EQ(t.discontinuities(), 1u);
}

TEST(SendTimeline, AbsorbsAJumpForwards) {
    SendTimeline t;
    t.map(0, {1, 90000});
    t.map(3000, {1, 90000});
    EXPECT_EQ(t.map(3000 + 90000 * 3600, {1, 90000}), 6000);  // an hour later: one frame on
    EXPECT_EQ(t.map(3000 + 90000 * 3600 + 3000, {1, 90000}), 9000);
    EXPECT_EQ(t.discontinuities(), 1u);
}

// A hold: the source went on while nothing was sent, so the gap is real time and stays
// (libwebrtc would take a folded one for network delay); only the next step is taken so.
TEST(SendTimeline, KeepsTheGapOfAResumeOnce) {
    SendTimeline t;
    t.map(0, ms);
    t.map(33, ms);
    t.resume();
    EXPECT_EQ(t.map(2533, ms), 2533 * 90);  // 2.5 s held
    EXPECT_EQ(t.map(2566, ms), 2566 * 90);
    EXPECT_EQ(t.map(9566, ms), 2566 * 90 + 2970);  // a later jump is absorbed again
    EXPECT_EQ(t.discontinuities(), 1u);
    t.resume();
    EXPECT_EQ(t.map(0, ms), 2566 * 90 + 2 * 2970);  // backwards: absorbed even after resume()
    EXPECT_EQ(t.discontinuities(), 2u);
}

TEST(SendTimeline, ACodecChangeWithAnotherTimeBaseStaysContinuous) {
    SendTimeline t;
    t.map(0, {1, 30});
    const auto last = t.map(1, {1, 30});  // 3000
    // A new encoder counting in microseconds from a large origin.
    EXPECT_EQ(t.map(7'000'000'000, {1, 1000000}), last + 3000);
    EXPECT_EQ(t.map(7'000'033'333, {1, 1000000}), last + 3000 + 2999);
}

}  // namespace
}  // namespace switchboard::rtc::rtp
