#include "rtc/rtp/retransmission_buffer.hpp"

#include <gtest/gtest.h>

#include "rtc/rtp/h264_packetizer.hpp"
#include "rtc/rtp/rtcp_nack.hpp"
#include "rtc/rtp/rtp_packet.hpp"

namespace switchboard::rtc::rtp {
namespace {

TEST(RetransmissionBuffer, ServesANackFromSentPackets) {
    PacketizerConfig cfg;
    cfg.first_sequence_number = 65530;
    cfg.max_payload_size = 100;
    H264Packetizer pz(cfg);
    std::vector<std::uint8_t> es = {0, 0, 0, 1, 0x65};
    es.resize(1000, 0x42);
    Frame f;
    f.buffer = Buffer::copy_of(es.data(), es.size());
    RetransmissionBuffer rtx(64, 1000);
    for (const auto& b : pz.packetize(f)) rtx.store(RtpPacket::parse(b).packet->sequence_number(), b, 0);

    std::vector<std::uint8_t> wire;
    RtcpNack{1, 0, {65534, 65535, 0, 2}}.write(wire);
    auto nack = RtcpNack::parse(RtcpReader::read_all(wire)->front());
    const auto again = rtx.resend(nack->sequence_numbers, 10);
    ASSERT_EQ(again.size(), 4u);
    EXPECT_EQ(RtpPacket::parse(again[2]).packet->sequence_number(), 0);
    EXPECT_FALSE(rtx.get(100, 10));
    EXPECT_TRUE(rtx.resend(nack->sequence_numbers, 1001).empty());  // too old
}

TEST(RetransmissionBuffer, CapacityIsAPowerOfTwoAndOldSlotsAreOverwritten) {
    RetransmissionBuffer rtx(100, 1000);
    EXPECT_EQ(rtx.capacity(), 128u);
    const std::uint8_t byte = 7;
    for (int s = 0; s < 200; ++s) rtx.store(std::uint16_t(s), Buffer::copy_of(&byte, 1), 0);
    EXPECT_FALSE(rtx.get(10, 0));  // overwritten by 138
    EXPECT_TRUE(rtx.get(138, 0));
    EXPECT_TRUE(rtx.get(72, 0));
    EXPECT_FALSE(rtx.get(71, 0));
}

}  // namespace
}  // namespace switchboard::rtc::rtp
