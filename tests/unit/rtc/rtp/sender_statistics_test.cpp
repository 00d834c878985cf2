#include "rtc/rtp/sender_statistics.hpp"

#include <gtest/gtest.h>

#include "rtc/rtp/ntp_time.hpp"

namespace switchboard::rtc::rtp {
namespace {

TEST(SenderStatistics, NothingToReportBeforeTheFirstPacket) {
    SenderStatistics s(1, 90000);
    EXPECT_FALSE(s.report(1, 0));
}

TEST(SenderStatistics, CountsAndExtrapolatesTheRtpTime) {
    SenderStatistics s(0xabc, 90000);
    s.on_sent(1000, 1200, 100, 100);
    s.on_sent(1000, 800, 100, 100);
    s.on_sent(4000, 500, 133, 133);
    const auto sr = s.report(0x1122334455667788ull, 233);  // 100 ms after the last packet
    ASSERT_TRUE(sr);
    EXPECT_EQ(sr->sender_ssrc, 0xabcu);
    EXPECT_EQ(sr->packet_count, 3u);
    EXPECT_EQ(sr->octet_count, 2500u);
    EXPECT_EQ(sr->rtp_timestamp, 4000u + 9000u);
    EXPECT_EQ(sr->ntp_timestamp, 0x1122334455667788ull);
}

TEST(SenderStatistics, TheRtpTimeFollowsCaptureNotSending) {
    // Two streams of one camera, captured at 1000 ms: video left at once, audio 60 ms
    // later (through a transcoder). Their reports at 1100 ms must both say "captured
    // 100 ms ago", or a receiver plays the audio 60 ms late.
    SenderStatistics video(1, 90000), audio(2, 48000);
    video.on_sent(90000, 1000, 1000, 1000);
    audio.on_sent(48000, 100, 1060, 1000);
    EXPECT_EQ(video.report(1, 1100)->rtp_timestamp, 90000u + 9000u);
    EXPECT_EQ(audio.report(1, 1100)->rtp_timestamp, 48000u + 4800u);
}

TEST(SenderStatistics, TheReportBlockEchoGivesTheRoundTrip) {
    // Our SR left at compact time 0x10000 (1 s); the peer held it 0.25 s; back at 1.3 s.
    EXPECT_EQ(round_trip_ms(0x10000, 0x4000, 0x10000 + 0x4CCD), 50);
    EXPECT_FALSE(round_trip_ms(0, 0, 0x20000));                // no SR echoed yet
    EXPECT_FALSE(round_trip_ms(0x10000, 0x8000, 0x10000));     // negative: stale
    EXPECT_EQ(round_trip_ms(0xFFFFF000, 0, 0x00000FFF), 124);  // across the wrap
    const auto ntp = to_ntp(std::chrono::system_clock::time_point{} + std::chrono::seconds(1));
    EXPECT_EQ(ntp >> 32, ntp_unix_offset_s + 1);
    EXPECT_EQ(compact_ntp(ntp), std::uint32_t(((ntp_unix_offset_s + 1) & 0xFFFF) << 16));
}

}  // namespace
}  // namespace switchboard::rtc::rtp
