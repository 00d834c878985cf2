#include "rtc/rtp/capture_clock.hpp"

#include <gtest/gtest.h>

namespace switchboard::rtc::rtp {
namespace {

constexpr std::int64_t ms = 1'000'000;  // in ns

/// An NTP timestamp `ns` after the NTP epoch.
std::uint64_t ntp_at(std::int64_t ns) {
    const auto secs = std::uint64_t(ns / 1'000'000'000);
    const auto frac = (std::uint64_t(ns % 1'000'000'000) << 32) / 1'000'000'000;
    return (secs << 32) | frac;
}

TEST(SenderClock, MapsRtpTimeThroughTheLastReportAcrossAWrap) {
    SenderClock c;
    EXPECT_FALSE(c.sender_ns(1234, 90000));
    c.on_sender_report(ntp_at(1000 * ms), 0xffffff00u);
    EXPECT_EQ(c.sender_ns(0xffffff00u, 90000), 1000 * ms);
    // 90 ticks past the report, across the 32-bit wrap, in an unwrapped 64-bit pts.
    EXPECT_EQ(c.sender_ns(0x100000000LL + 0x5a - 0x100, 90000), 1001 * ms);
    EXPECT_EQ(c.sender_ns(0xffffff00u - 48, 48000), 999 * ms);  // before the report
    EXPECT_FALSE(c.sender_ns(0, 0)) << "no clock rate, no time";
    c.reset();
    EXPECT_FALSE(c.sender_ns(0xffffff00u, 90000));
}

TEST(CaptureClock, ArrivalBeforeAReportThenOneOffsetForEveryStream) {
    CaptureClock clock;
    SenderClock video, audio;
    // No report yet: the arrival.
    EXPECT_EQ(clock.capture_ns(video, 90000, 90000, 7000 * ms), 7000 * ms);

    // Both streams report the same sender instant (its wall clock 500 ms) at unrelated RTP times.
    video.on_sender_report(ntp_at(500 * ms), 1'000'000);
    audio.on_sender_report(ntp_at(500 * ms), 20'000);
    // Video of sender time 600 ms arrives at 8100 ms: the offset is 7500 ms.
    EXPECT_EQ(clock.capture_ns(video, 1'000'000 + 9000, 90000, 8100 * ms), 8100 * ms);
    // Audio captured at the same sender instant arrives 60 ms later (its encoder's delay):
    // it is placed where it was captured, beside the video, not where it arrived (the
    // offset crept up by 100 ppm of the 60 ms: 6 us).
    EXPECT_NEAR(clock.capture_ns(audio, 20'000 + 4800, 48000, 8160 * ms), 8100 * ms, 10'000);
    // A faster path lowers the offset for both.
    EXPECT_EQ(clock.capture_ns(video, 1'000'000 + 18000, 90000, 8195 * ms), 8195 * ms);
    EXPECT_NEAR(clock.capture_ns(audio, 20'000 + 9600, 48000, 8260 * ms), 8195 * ms, 10'000);
}

TEST(CaptureClock, TheOffsetCreepsUpSoASlowSenderClockIsFollowed) {
    CaptureClock clock;
    EXPECT_EQ(clock.capture_ns(0, 10 * ms), 10 * ms);
    // 10 s later the sender's clock ran 1 ms slow (100 ppm): the offset follows it.
    EXPECT_EQ(clock.capture_ns(9999 * ms, 10'010 * ms), 10'010 * ms);
    // Never after the arrival.
    EXPECT_LE(clock.capture_ns(20'000 * ms, 20'005 * ms), 20'005 * ms);
    clock.new_session();
    EXPECT_EQ(clock.capture_ns(0, 3 * ms), 3 * ms);
}

}  // namespace
}  // namespace switchboard::rtc::rtp
