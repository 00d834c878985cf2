#include "rtc/rtp/rtx.hpp"

#include <gtest/gtest.h>

#include "rtc/rtp/rtp_packet_writer.hpp"

namespace switchboard::rtc::rtp {
namespace {

RtpPacket media_packet() {
    static const std::uint8_t payload[] = {0x10, 0x20, 0x30, 0x40, 0x50};
    static const std::uint8_t mid[] = {'1'};
    RtpPacketWriter w;
    w.payload_type = 96;
    w.sequence_number = 65535;
    w.timestamp = 123456789;
    w.ssrc = 0x11111111;
    w.marker = true;
    w.set_extension(1, mid);
    w.payload = payload;
    return *RtpPacket::parse(w.to_buffer()).packet;
}

TEST(Rtx, WrapPutsTheOriginalSequenceNumberBeforeThePayload) {
    const auto original = media_packet();
    auto rtx = RtpPacket::parse(wrap_rtx(original, 97, 0x22222222, 7));
    ASSERT_TRUE(rtx);
    EXPECT_EQ(rtx.packet->payload_type(), 97);
    EXPECT_EQ(rtx.packet->ssrc(), 0x22222222u);
    EXPECT_EQ(rtx.packet->sequence_number(), 7);
    // RFC 4588 §4: timestamp and marker as the original's, OSN first.
    EXPECT_EQ(rtx.packet->timestamp(), original.timestamp());
    EXPECT_TRUE(rtx.packet->marker());
    const auto p = rtx.packet->payload();
    ASSERT_EQ(p.size(), original.payload().size() + 2);
    EXPECT_EQ(p[0], 0xff);
    EXPECT_EQ(p[1], 0xff);
    EXPECT_TRUE(std::equal(p.begin() + 2, p.end(), original.payload().begin()));
    EXPECT_TRUE(rtx.packet->extension(1));
}

TEST(Rtx, UnwrapRestoresTheOriginalPacketExactly) {
    const auto original = media_packet();
    auto rtx = RtpPacket::parse(wrap_rtx(original, 97, 0x22222222, 7));
    auto back = unwrap_rtx(*rtx.packet, 96, 0x11111111);
    ASSERT_TRUE(back);
    ASSERT_EQ(back->size(), original.size());
    EXPECT_TRUE(std::equal(original.bytes().begin(), original.bytes().end(), back->bytes().begin()));
}

TEST(Rtx, APaddingOnlyProbeHasNoOriginal) {
    RtpPacketWriter w;
    w.payload_type = 97;
    w.padding = 4;
    auto probe = RtpPacket::parse(w.to_buffer());
    ASSERT_TRUE(probe);
    EXPECT_FALSE(unwrap_rtx(*probe.packet, 96, 1));
}

}  // namespace
}  // namespace switchboard::rtc::rtp
