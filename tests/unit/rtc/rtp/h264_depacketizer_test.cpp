#include "rtc/rtp/h264_depacketizer.hpp"

#include <gtest/gtest.h>

#include "ffmpeg_decoder.hpp"
#include "rtc/rtp/rtp_packet_writer.hpp"
#include "rtp_test_data.hpp"

namespace switchboard::rtc::rtp {
namespace {

using test::Bytes;

struct Outcome {
    std::vector<Frame> frames;
    int keyframe_requests = 0;
    std::uint32_t lost = 0;
    std::uint32_t dropped = 0;
};

Outcome run(Depacketizer& d, const std::vector<RtpPacket>& packets) {
    Outcome r;
    for (const auto& p : packets) {
        auto out = d.push(p);
        for (auto& f : out.frames) r.frames.push_back(std::move(f));
        r.keyframe_requests += out.keyframe_needed;
        r.lost += out.packets_lost;
        r.dropped += out.frames_dropped;
    }
    return r;
}

TEST(H264Depacketizer, FfmpegStreamRoundTripsByteExactlyAcrossTheWrap) {
    const auto packets = test::parse_all(test::read_capture("h264.rtp"));
    ASSERT_EQ(packets.size(), 28u);
    EXPECT_EQ(packets.front().sequence_number(), 65520);
    EXPECT_LT(packets.back().sequence_number(), 100);  // wrapped
    H264Depacketizer d;
    const Outcome r = run(d, packets);
    EXPECT_EQ(r.lost, 0u);
    EXPECT_EQ(r.keyframe_requests, 0);
    ASSERT_EQ(r.frames.size(), 15u);
    Bytes joined;
    int keyframes = 0;
    for (std::size_t i = 0; i < r.frames.size(); ++i) {
        const auto& f = r.frames[i];
        joined.insert(joined.end(), f.payload(), f.payload() + f.payload_size());
        keyframes += f.keyframe;
        EXPECT_EQ(f.format.codec, Codec::h264);
        EXPECT_EQ(f.time_base, (Rational{1, 90000}));
        if (i) {
            EXPECT_EQ(f.pts - r.frames[i - 1].pts, 6000);  // 15 fps
        }
    }
    EXPECT_EQ(r.frames.front().pts, packets.front().timestamp());
    EXPECT_TRUE(r.frames[0].keyframe);
    EXPECT_TRUE(r.frames[8].keyframe);  // -g 8
    EXPECT_EQ(keyframes, 2);
    EXPECT_FALSE(r.frames[0].codec_config.empty());  // SPS + PPS
    EXPECT_EQ(joined, test::normalise_annex_b(test::read_file("h264.264")));
}

TEST(H264Depacketizer, OutputDecodesWithLibavcodec) {
    H264Depacketizer d;
    const Outcome r = run(d, test::parse_all(test::read_capture("h264.rtp")));
    std::vector<Bytes> frames;
    for (const auto& f : r.frames) frames.push_back(test::bytes_of(f.buffer));
    const auto st = test::decode_all(AV_CODEC_ID_H264, frames);
    EXPECT_EQ(st.errors, 0);
    EXPECT_EQ(st.decoded, 15);
    EXPECT_EQ(st.width, 320);
    EXPECT_EQ(st.height, 240);
}

TEST(H264Depacketizer, LostFuAFragmentDropsUntilNextKeyframe) {
    auto packets = test::parse_all(test::read_capture("h264.rtp"));
    // Find a middle FU-A fragment (neither S nor E) and lose it.
    std::size_t lost = 0;
    for (std::size_t i = 0; i < packets.size(); ++i) {
        const auto pl = packets[i].payload();
        if ((pl[0] & 0x1f) == 28 && !(pl[1] & 0xc0)) {
            lost = i;
            break;
        }
    }
    ASSERT_NE(lost, 0u);
    packets.erase(packets.begin() + std::ptrdiff_t(lost));
    H264Depacketizer d;
    const Outcome r = run(d, packets);
    EXPECT_EQ(r.lost, 1u);
    EXPECT_GE(r.keyframe_requests, 1);
    // The damaged keyframe and the 7 frames that depend on it are gone; the second GOP plays.
    EXPECT_EQ(r.frames.size(), 7u);
    EXPECT_TRUE(r.frames.front().keyframe);
    EXPECT_FALSE(d.waiting_for_keyframe());
}

TEST(H264Depacketizer, FuAWithoutEndIsBrokenEvenWithoutAGap) {
    // Rewrite the packets: an FU-A start then, with the next sequence number and the
    // marker, a single NAL: the FU never ended.
    const Bytes fu_start = {0x7c, 0x85, 1, 2, 3};
    const Bytes single = {0x65, 9, 9};
    RtpPacketWriter w;
    w.payload_type = 96;
    w.sequence_number = 65535;
    w.payload = fu_start;
    auto a = RtpPacket::parse(w.to_buffer());
    w.sequence_number = 0;
    w.marker = true;
    w.payload = single;
    auto b = RtpPacket::parse(w.to_buffer());
    H264Depacketizer d;
    EXPECT_TRUE(d.push(*a.packet).frames.empty());
    auto out = d.push(*b.packet);
    EXPECT_TRUE(out.frames.empty());
    EXPECT_EQ(out.packets_lost, 0u);  // 65535 -> 0 is no gap
    EXPECT_TRUE(out.keyframe_needed);
}

TEST(H264Depacketizer, StapASplitsIntoNalUnitsWithFourByteStartCodes) {
    // STAP-A: SPS (3 bytes), PPS (2 bytes), IDR slice (4 bytes).
    const Bytes stap = {0x78, 0x00, 0x03, 0x67, 0x42, 0xe0, 0x00, 0x02, 0x68, 0xce, 0x00, 0x04, 0x65, 0x88, 0x80, 0x40};
    RtpPacketWriter w;
    w.marker = true;
    w.payload = stap;
    auto p = RtpPacket::parse(w.to_buffer());
    H264Depacketizer d;
    auto out = d.push(*p.packet);
    ASSERT_EQ(out.frames.size(), 1u);
    const Bytes expected = {0, 0, 0, 1, 0x67, 0x42, 0xe0, 0, 0, 0, 1, 0x68, 0xce, 0, 0, 0, 1, 0x65, 0x88, 0x80, 0x40};
    EXPECT_EQ(test::bytes_of(out.frames[0].buffer), expected);
    EXPECT_TRUE(out.frames[0].keyframe);
    const Bytes config = {0, 0, 0, 1, 0x67, 0x42, 0xe0, 0, 0, 0, 1, 0x68, 0xce};
    EXPECT_EQ(test::bytes_of(out.frames[0].codec_config), config);
    // A STAP-A whose size field overruns is refused.
    Bytes bad = stap;
    bad[2] = 0x30;
    w.payload = bad;
    w.sequence_number = 1;
    EXPECT_TRUE(d.push(*RtpPacket::parse(w.to_buffer()).packet).frames.empty());
}

TEST(H264Depacketizer, StartsOnlyAtAKeyframeAndIgnoresLatePackets) {
    const auto packets = test::parse_all(test::read_capture("h264.rtp"));
    // Skip the first GOP's packets up to the first P frame start.
    std::size_t first_p = 0;
    for (std::size_t i = 1; i < packets.size(); ++i)
        if (packets[i - 1].marker()) {
            first_p = i;
            break;
        }
    H264Depacketizer d;
    const Outcome r = run(d, {packets.begin() + std::ptrdiff_t(first_p), packets.end()});
    EXPECT_EQ(r.frames.size(), 7u);  // frames 8..14
    EXPECT_GE(r.keyframe_requests, 1);
    EXPECT_TRUE(d.push(packets[first_p]).frames.empty());  // a duplicate
    EXPECT_EQ(d.late_packets(), 1u);
}

}  // namespace
}  // namespace switchboard::rtc::rtp
