#include "rtc/rtp/jitter_buffer.hpp"

#include <gtest/gtest.h>

#include "rtc/rtp/h264_depacketizer.hpp"
#include "rtc/rtp/rtp_packet_writer.hpp"
#include "rtp_test_data.hpp"

namespace switchboard::rtc::rtp {
namespace {

RtpPacket packet(std::uint16_t seq) {
    RtpPacketWriter w;
    w.sequence_number = seq;
    return *RtpPacket::parse(w.to_buffer()).packet;
}

std::vector<std::uint16_t> seqs(const JitterBuffer::Released& r) {
    std::vector<std::uint16_t> s;
    for (const auto& p : r.packets) s.push_back(p.sequence_number());
    return s;
}

TEST(JitterBuffer, ReordersAcrossTheWrap) {
    JitterBuffer jb;
    EXPECT_TRUE(jb.insert(packet(65534), 0));
    EXPECT_TRUE(jb.pop(0).packets.empty());  // the start delay
    EXPECT_EQ(jb.next_deadline_ms(), 20);
    EXPECT_EQ(seqs(jb.pop(20)), (std::vector<std::uint16_t>{65534}));
    EXPECT_TRUE(jb.insert(packet(0), 1));
    EXPECT_TRUE(jb.pop(1).packets.empty());  // 65535 is missing, still waiting
    EXPECT_TRUE(jb.insert(packet(65535), 2));
    EXPECT_TRUE(jb.insert(packet(1), 2));
    EXPECT_EQ(seqs(jb.pop(2)), (std::vector<std::uint16_t>{65535, 0, 1}));
    EXPECT_EQ(jb.total_lost(), 0u);
}

TEST(JitterBuffer, GivesUpAHoleAfterMaxWait) {
    JitterBuffer jb({512, 100, 0});
    jb.insert(packet(10), 0);
    jb.pop(0);
    jb.insert(packet(13), 50);
    jb.insert(packet(14), 60);
    EXPECT_TRUE(jb.pop(149).packets.empty());
    EXPECT_EQ(jb.next_deadline_ms(), 150);
    auto r = jb.pop(150);
    EXPECT_EQ(seqs(r), (std::vector<std::uint16_t>{13, 14}));
    EXPECT_EQ(r.lost, 2u);
    EXPECT_FALSE(jb.insert(packet(11), 151));  // too late now
    EXPECT_FALSE(jb.insert(packet(14), 151));  // duplicate of a released one
    EXPECT_EQ(jb.total_late(), 2u);
    EXPECT_FALSE(jb.next_deadline_ms());
}

TEST(JitterBuffer, OverflowForcesRelease) {
    JitterBuffer jb({4, 10'000, 0});
    jb.insert(packet(0), 0);
    jb.pop(0);
    for (std::uint16_t s = 2; s <= 6; ++s) jb.insert(packet(s), 0);  // 5 held, 1 missing
    auto r = jb.pop(0);
    EXPECT_EQ(r.lost, 1u);
    EXPECT_EQ(r.packets.size(), 5u);
    EXPECT_EQ(jb.size(), 0u);
}

TEST(JitterBuffer, ShuffledCaptureDepacketizesLikeTheOriginal) {
    auto packets = test::parse_all(test::read_capture("h264.rtp"));
    auto shuffled = packets;
    for (std::size_t i = 0; i + 2 < shuffled.size(); i += 3) std::swap(shuffled[i], shuffled[i + 2]);
    JitterBuffer jb;
    H264Depacketizer d;
    std::size_t frames = 0;
    std::int64_t t = 0;
    for (const auto& p : shuffled) {
        jb.insert(p, t++);
        for (const auto& q : jb.pop(t).packets) {
            auto out = d.push(q);
            EXPECT_EQ(out.packets_lost, 0u);
            frames += out.frames.size();
        }
    }
    for (const auto& q : jb.pop(t + 1000).packets) frames += d.push(q).frames.size();
    EXPECT_EQ(frames, 15u);
    EXPECT_EQ(jb.total_lost(), 0u);
    EXPECT_EQ(jb.total_late(), 0u);
}

}  // namespace
}  // namespace switchboard::rtc::rtp
