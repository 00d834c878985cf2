#include "rtc/rtp/rtp_packet_writer.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "rtp_test_data.hpp"

namespace switchboard::rtc::rtp {
namespace {

using Bytes = std::vector<std::uint8_t>;

TEST(RtpPacketWriter, RoundTripsCapturedPacketsByteExactly) {
    for (const auto& d : test::read_capture("vp8.rtp")) {
        auto r = RtpPacket::parse(std::span<const std::uint8_t>(d));
        ASSERT_TRUE(r);
        EXPECT_EQ(test::bytes_of(RtpPacketWriter::from(*r.packet).to_buffer()), d);
    }
}

TEST(RtpPacketWriter, WritesFieldsPaddingAndCsrcs) {
    const Bytes payload = {1, 2, 3};
    RtpPacketWriter w;
    w.marker = true;
    w.payload_type = 111;
    w.sequence_number = 65535;
    w.timestamp = 0x01020304;
    w.ssrc = 0xcafebabe;
    w.csrcs = {7, 8};
    w.payload = payload;
    w.padding = 4;
    EXPECT_EQ(w.size(), 12u + 8 + 3 + 4);
    auto r = RtpPacket::parse(w.to_buffer());
    ASSERT_TRUE(r) << to_string(r.error);
    const auto& p = *r.packet;
    EXPECT_TRUE(p.marker());
    EXPECT_EQ(p.payload_type(), 111);
    EXPECT_EQ(p.sequence_number(), 65535);
    EXPECT_EQ(p.timestamp(), 0x01020304u);
    EXPECT_EQ(p.ssrc(), 0xcafebabeu);
    EXPECT_EQ(p.csrc(1), 8u);
    EXPECT_EQ(p.padding_size(), 4u);
    EXPECT_EQ(Bytes(p.payload().begin(), p.payload().end()), payload);
}

TEST(RtpPacketWriter, OneByteFormWhileItFits) {
    RtpPacketWriter w;
    const Bytes mid = {'0'}, abs_send = {1, 2, 3};
    EXPECT_TRUE(w.set_extension(1, mid));
    EXPECT_TRUE(w.set_extension(3, abs_send));
    EXPECT_FALSE(w.needs_two_byte_extensions());
    const Bytes expected_ext = {0x10, '0', 0x32, 1, 2, 3, 0, 0};  // padded to 2 words
    auto r = RtpPacket::parse(w.to_buffer());
    ASSERT_TRUE(r);
    EXPECT_EQ(r.packet->extension_profile_id(), 0xBEDE);
    EXPECT_EQ(Bytes(r.packet->extension_data().begin(), r.packet->extension_data().end()), expected_ext);
    // Replace and remove.
    const Bytes mid2 = {'a', 'b'};
    EXPECT_TRUE(w.set_extension(1, mid2));
    w.remove_extension(3);
    r = RtpPacket::parse(w.to_buffer());
    ASSERT_TRUE(r);
    EXPECT_EQ(r.packet->extension(1)->size(), 2u);
    EXPECT_FALSE(r.packet->extension(3));
}

TEST(RtpPacketWriter, TwoByteFormForHighIdsEmptyOrLongValues) {
    RtpPacketWriter w;
    const Bytes small = {9}, big(20, 0x5a);
    w.set_extension(2, small);
    w.set_extension(15, big);
    EXPECT_TRUE(w.needs_two_byte_extensions());
    auto r = RtpPacket::parse(w.to_buffer());
    ASSERT_TRUE(r);
    EXPECT_EQ(r.packet->extension_profile(), ExtensionProfile::two_byte);
    EXPECT_EQ(r.packet->extension(15)->size(), 20u);
    EXPECT_EQ((*r.packet->extension(2))[0], 9);
    EXPECT_FALSE(w.set_extension(0, small));
    EXPECT_FALSE(w.set_extension(4, Bytes(256, 0)));
}

TEST(RtpPacketWriter, WriteIntoCallerBuffer) {
    RtpPacketWriter w;
    const Bytes payload(100, 1);
    w.payload = payload;
    std::vector<std::uint8_t> out(50);
    EXPECT_EQ(w.write(out), 0u);  // too small
    out.resize(200);
    EXPECT_EQ(w.write(out), 112u);
    EXPECT_TRUE(RtpPacket::parse(std::span<const std::uint8_t>(out.data(), 112)));
}

TEST(RtpPacketWriter, FromKeepsAnOpaqueExtensionProfile) {
    const Bytes b = {0x90, 96, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0x12, 0x34, 0x00, 0x01, 9, 8, 7, 6, 0x42};
    auto r = RtpPacket::parse(std::span<const std::uint8_t>(b));
    ASSERT_TRUE(r);
    EXPECT_EQ(r.packet->extension_profile(), ExtensionProfile::other);
    EXPECT_EQ(test::bytes_of(RtpPacketWriter::from(*r.packet).to_buffer()), b);
}

}  // namespace
}  // namespace switchboard::rtc::rtp
