#include "rtc/rtp/rtcp_remb.hpp"

#include <gtest/gtest.h>

namespace switchboard::rtc::rtp {
namespace {

using Bytes = std::vector<std::uint8_t>;

TEST(RtcpRemb, LibwebrtcPacket) {
    // remb_unittest.cc: exp 1, mantissa 0x3fb93 -> 522022 b/s, three SSRCs.
    const Bytes b = {0x8f, 206,  0x00, 0x07, 0x12, 0x34, 0x56, 0x78, 0x00, 0x00, 0x00, 0x00, 'R',  'E',  'M',  'B',
                     0x03, 0x07, 0xfb, 0x93, 0x23, 0x45, 0x67, 0x89, 0x23, 0x45, 0x67, 0x8a, 0x23, 0x45, 0x67, 0x8b};
    auto r = RtcpRemb::parse(RtcpReader::read_all(b)->front());
    ASSERT_TRUE(r);
    EXPECT_EQ(r->sender_ssrc, 0x12345678u);
    EXPECT_EQ(r->bitrate_bps, 522022u);
    EXPECT_EQ(r->ssrcs, (std::vector<std::uint32_t>{0x23456789, 0x2345678a, 0x2345678b}));
    Bytes out;
    r->write(out);
    EXPECT_EQ(out, b);
}

TEST(RtcpRemb, OnePointFiveMegabitIsExact) {
    // 1500000 = 187500 << 3: exponent 3, mantissa 187500 (0x2dc6c).
    EXPECT_EQ(RtcpRemb::encode_bitrate(1'500'000), (3u << 18) | 187500u);
    RtcpRemb r{1, 1'500'000, {0xabcdef01}};
    Bytes out;
    r.write(out);
    EXPECT_EQ(out[17], 0x0e);  // exp 3 << 2 | mantissa bits 17..16 (0b10)
    EXPECT_EQ(out[18], 0xdc);
    EXPECT_EQ(out[19], 0x6c);
    auto back = RtcpRemb::parse(RtcpReader::read_all(out)->front());
    ASSERT_TRUE(back);
    EXPECT_EQ(back->bitrate_bps, 1'500'000u);
}

TEST(RtcpRemb, LargeRatesRoundDownAndOverflowIsRejected) {
    RtcpRemb r{1, 1'000'000'007, {}};
    Bytes out;
    r.write(out);
    auto back = RtcpRemb::parse(RtcpReader::read_all(out)->front());
    ASSERT_TRUE(back);
    EXPECT_LE(back->bitrate_bps, 1'000'000'007u);
    EXPECT_GT(back->bitrate_bps, 1'000'000'007u - (1u << 12));
    // exponent 63 with a mantissa over 1 overflows 64 bits.
    Bytes bad = out;
    bad[17] = 0xfc | 0x03;
    EXPECT_FALSE(RtcpRemb::parse(RtcpReader::read_all(bad)->front()));
    Bytes tag = out;
    tag[12] = 'X';
    EXPECT_FALSE(RtcpRemb::parse(RtcpReader::read_all(tag)->front()));
}

}  // namespace
}  // namespace switchboard::rtc::rtp
