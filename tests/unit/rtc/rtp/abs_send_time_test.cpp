#include "rtc/rtp/abs_send_time.hpp"

#include <gtest/gtest.h>

#include "rtc/rtp/vp8_packetizer.hpp"

namespace switchboard::rtc::rtp {
namespace {

TEST(AbsSendTime, SixPointEighteenFixedPointSeconds) {
    EXPECT_EQ(abs_send_time(0), 0u);
    EXPECT_EQ(abs_send_time(1500000), 0x060000u);  // 1.5 s = 1.5 * 2^18
    EXPECT_EQ(abs_send_time(1), 0u);               // below 1/2^18 s
    EXPECT_EQ(abs_send_time(4), 1u);               // 3.8 us is one unit
    // Wraps every 64 s.
    EXPECT_EQ(abs_send_time(64000000 + 1500000), 0x060000u);
    const auto b = abs_send_time_bytes(1500000);
    EXPECT_EQ(b[0], 0x06);
    EXPECT_EQ(b[1], 0);
    EXPECT_EQ(b[2], 0);
}

TEST(AbsSendTime, StampsTheReservedElementInPlace) {
    PacketizerConfig cfg;
    Vp8Packetizer pz(cfg);
    ASSERT_TRUE(pz.set_extension(3, abs_send_time_bytes(0)));
    Frame f;
    const std::uint8_t vp8[] = {0x10, 0x02, 0x00, 0x9d, 0x01, 0x2a, 1, 2, 3, 4};
    f.buffer = Buffer::copy_of(vp8, sizeof vp8);
    f.keyframe = true;
    auto packets = pz.packetize(f);
    ASSERT_EQ(packets.size(), 1u);
    ASSERT_TRUE(stamp_abs_send_time(packets[0], 3, 1500000));
    auto parsed = RtpPacket::parse(packets[0]);
    const auto e = parsed.packet->extension(3);
    ASSERT_TRUE(e);
    EXPECT_EQ((*e)[0], 0x06);
    EXPECT_FALSE(stamp_abs_send_time(packets[0], 4, 0));  // no such element
}

}  // namespace
}  // namespace switchboard::rtc::rtp
