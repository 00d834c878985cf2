#include "rtc/rtp/rtp_receive_stream.hpp"

#include <gtest/gtest.h>

#include "rtc/rtp/rtp_packet_writer.hpp"

namespace switchboard::rtc::rtp {
namespace {

RtpPacket packet(std::uint16_t seq) {
    static const std::uint8_t payload[] = {1, 2, 3};
    RtpPacketWriter w;
    w.payload_type = 96;
    w.sequence_number = seq;
    w.timestamp = seq * 3000u;
    w.ssrc = 9;
    w.payload = payload;
    return *RtpPacket::parse(w.to_buffer()).packet;
}

std::vector<std::uint16_t> seqs(const std::vector<RtpPacket>& ps) {
    std::vector<std::uint16_t> out;
    for (const auto& p : ps) out.push_back(p.sequence_number());
    return out;
}

ReceiveStreamOptions video() {
    ReceiveStreamOptions o;
    o.jitter.start_delay_ms = 0;
    o.jitter.max_wait_ms = 150;
    o.nack_config.retry_interval_ms = 50;
    return o;
}

TEST(RtpReceiveStream, AHoleIsNackedAndARetransmissionFillsItInOrder) {
    RtpReceiveStream s(9, video());
    s.on_packet(packet(10), false, 0);
    s.on_packet(packet(11), false, 0);
    EXPECT_EQ(seqs(s.release(0)), (std::vector<std::uint16_t>{10, 11}));
    s.on_packet(packet(13), false, 5);
    s.on_packet(packet(14), false, 6);
    EXPECT_TRUE(s.release(6).empty());  // waits for 12
    EXPECT_EQ(s.nacks_due(6), (std::vector<std::uint16_t>{12}));
    EXPECT_TRUE(s.nacks_due(20).empty());                          // not again before the retry interval
    EXPECT_EQ(s.nacks_due(60), (std::vector<std::uint16_t>{12}));  // retried
    s.on_packet(packet(12), true, 70);
    EXPECT_EQ(seqs(s.release(70)), (std::vector<std::uint16_t>{12, 13, 14}));
    EXPECT_TRUE(s.nacks_due(200).empty());
    EXPECT_EQ(s.statistics().report_block(70).cumulative_lost, 0);
    EXPECT_EQ(s.packets_lost(), 0u);
}

TEST(RtpReceiveStream, AHoleNeverRepairedIsGivenUpAfterTheWait) {
    RtpReceiveStream s(9, video());
    s.on_packet(packet(1), false, 0);
    s.release(0);
    s.on_packet(packet(3), false, 10);
    EXPECT_TRUE(s.release(100).empty());
    EXPECT_EQ(seqs(s.release(160)), (std::vector<std::uint16_t>{3}));
    EXPECT_EQ(s.packets_lost(), 1u);
}

TEST(RtpReceiveStream, AKnownShortRoundTripShortensTheWaitButNeverLengthensIt) {
    RtpReceiveStream s(9, video());  // 150 ms configured
    s.set_rtt_ms(2);
    s.on_packet(packet(1), false, 0);
    s.release(0);
    s.on_packet(packet(3), false, 10);
    EXPECT_TRUE(s.release(30).empty());
    EXPECT_EQ(seqs(s.release(46)), (std::vector<std::uint16_t>{3}));  // 10 + 3 x 2 + 30 ms

    RtpReceiveStream slow(9, video());
    slow.set_rtt_ms(400);
    slow.on_packet(packet(1), false, 0);
    slow.release(0);
    slow.on_packet(packet(3), false, 10);
    EXPECT_TRUE(slow.release(150).empty());
    EXPECT_EQ(seqs(slow.release(160)), (std::vector<std::uint16_t>{3}));  // capped at 150 ms
}

TEST(RtpReceiveStream, AGapTooLargeToNackAsksForAKeyframe) {
    auto o = video();
    o.nack_config.max_missing = 10;
    RtpReceiveStream s(9, o);
    s.on_packet(packet(1), false, 0);
    EXPECT_FALSE(s.take_keyframe_needed());
    s.on_packet(packet(100), false, 0);
    EXPECT_TRUE(s.take_keyframe_needed());
    EXPECT_FALSE(s.take_keyframe_needed());  // once
}

TEST(RtpReceiveStream, WithoutReorderingPacketsPassStraightThrough) {
    ReceiveStreamOptions o;
    o.reorder = false;
    RtpReceiveStream s(9, o);
    s.on_packet(packet(5), false, 0);
    s.on_packet(packet(3), false, 0);
    EXPECT_EQ(seqs(s.release(0)), (std::vector<std::uint16_t>{5, 3}));
    EXPECT_TRUE(s.nacks_due(1000).empty());
}

}  // namespace
}  // namespace switchboard::rtc::rtp
