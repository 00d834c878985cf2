#include "rtc/rtp/rtcp_nack.hpp"

#include <gtest/gtest.h>

namespace switchboard::rtc::rtp {
namespace {

using Bytes = std::vector<std::uint8_t>;

// libwebrtc's nack_unittest.cc packet: PID 0, BLP 0x8085 = {0, 1, 3, 8, 16}.
const Bytes webrtc_nack = {0x81, 205,  0x00, 0x03, 0x12, 0x34, 0x56, 0x78,
                           0x23, 0x45, 0x67, 0x89, 0x00, 0x00, 0x80, 0x85};

TEST(RtcpNack, ExpandsPidAndBlp) {
    auto n = RtcpNack::parse(RtcpReader::read_all(webrtc_nack)->front());
    ASSERT_TRUE(n);
    EXPECT_EQ(n->sender_ssrc, 0x12345678u);
    EXPECT_EQ(n->media_ssrc, 0x23456789u);
    EXPECT_EQ(n->sequence_numbers, (std::vector<std::uint16_t>{0, 1, 3, 8, 16}));
}

TEST(RtcpNack, CompressesToTheSameBytes) {
    RtcpNack n{0x12345678, 0x23456789, {0, 1, 3, 8, 16}};
    Bytes out;
    n.write(out);
    EXPECT_EQ(out, webrtc_nack);
}

TEST(RtcpNack, CompressAcrossWrapAndManyItems) {
    // 65534, 65535, 0 (wrap), then 40 which needs a second FCI.
    auto fci = RtcpNack::compress({65534, 65535, 0, 17, 40});
    ASSERT_EQ(fci.size(), 3u);
    EXPECT_EQ(fci[0], (65534u << 16) | 0x0003);  // +1, +2
    EXPECT_EQ(fci[1], (17u << 16));
    EXPECT_EQ(fci[2], (40u << 16));
    RtcpNack n{1, 2, {65534, 65535, 0, 17, 40}};
    Bytes out;
    n.write(out);
    EXPECT_EQ(RtcpNack::parse(RtcpReader::read_all(out)->front())->sequence_numbers, n.sequence_numbers);
}

TEST(RtcpNack, RejectsWithoutFci) {
    const Bytes b = {0x81, 205, 0x00, 0x02, 0, 0, 0, 1, 0, 0, 0, 2};
    EXPECT_FALSE(RtcpNack::parse(RtcpReader::read_all(b)->front()));
}

}  // namespace
}  // namespace switchboard::rtc::rtp
