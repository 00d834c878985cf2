#include "rtc/rtp/sender_statistics.hpp"

#include <gtest/gtest.h>

namespace switchboard::rtc::rtp {
namespace {

TEST(SenderStatistics, NothingToReportBeforeTheFirstPacket) {
    SenderStatistics s(1, 90000);
    EXPECT_FALSE(s.report(1, 0));
}

TEST(SenderStatistics, CountsAndExtrapolatesTheRtpTime) {
    SenderStatistics s(0xabc, 90000);
    s.on_sent(1000, 1200, 100);
    s.on_sent(1000, 800, 100);
    s.on_sent(4000, 500, 133);
    const auto sr = s.report(0x1122334455667788ull, 233);  // 100 ms after the last packet
    ASSERT_TRUE(sr);
    EXPECT_EQ(sr->sender_ssrc, 0xabcu);
    EXPECT_EQ(sr->packet_count, 3u);
    EXPECT_EQ(sr->octet_count, 2500u);
    EXPECT_EQ(sr->rtp_timestamp, 4000u + 9000u);
    EXPECT_EQ(sr->ntp_timestamp, 0x1122334455667788ull);
}

}  // namespace
}  // namespace switchboard::rtc::rtp
