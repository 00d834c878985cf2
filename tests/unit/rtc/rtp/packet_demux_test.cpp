#include "rtc/rtp/packet_demux.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "rtp_test_data.hpp"

namespace switchboard::rtc::rtp {
namespace {

PacketKind kind(std::vector<std::uint8_t> b) {
    return classify(b);
}

TEST(PacketDemux, FirstByteRangesOfRfc7983) {
    EXPECT_EQ(kind({0x00, 0x01, 0x00, 0x00}), PacketKind::stun);  // binding request
    EXPECT_EQ(kind({0x01, 0x01}), PacketKind::stun);              // binding success
    EXPECT_EQ(kind({0x10}), PacketKind::zrtp);
    EXPECT_EQ(kind({22, 0xfe, 0xfd}), PacketKind::dtls);  // handshake, DTLS 1.2
    EXPECT_EQ(kind({23, 0xfe, 0xfd}), PacketKind::dtls);  // application data
    EXPECT_EQ(kind({0x40, 0x00}), PacketKind::turn_channel);
    EXPECT_EQ(kind({0x08}), PacketKind::unknown);
    EXPECT_EQ(kind({0xff}), PacketKind::unknown);
    EXPECT_EQ(kind({}), PacketKind::unknown);
}

TEST(PacketDemux, RtpAgainstRtcpBySecondByte) {
    // RR (PT 201) with rtcp-mux: second byte 0xc9 -> 0x49 = 73, inside 64..95.
    std::vector<std::uint8_t> rr = {0x80, 201, 0x00, 0x01, 1, 2, 3, 4};
    EXPECT_EQ(classify(rr), PacketKind::rtcp);
    EXPECT_TRUE(is_rtcp(rr));
    EXPECT_FALSE(is_rtp(rr));
    // PT 96 with the marker set (0xe0) and without.
    std::vector<std::uint8_t> rtp(12, 0);
    rtp[0] = 0x80;
    rtp[1] = 0xe0;
    EXPECT_EQ(classify(rtp), PacketKind::rtp);
    rtp[1] = 96;
    EXPECT_TRUE(is_rtp(rtp));
    // PT 72 (a conflicting payload type) reads as RTCP, as RFC 5761 §4 warns.
    rtp[1] = 72;
    EXPECT_EQ(classify(rtp), PacketKind::rtcp);
    // Too short for an RTP header.
    EXPECT_EQ(kind({0x80, 96, 0, 1}), PacketKind::unknown);
}

TEST(PacketDemux, EveryCapturedPacketIsRtp) {
    for (const auto& d : test::read_capture("h264.rtp")) EXPECT_EQ(classify(d), PacketKind::rtp);
}

}  // namespace
}  // namespace switchboard::rtc::rtp
