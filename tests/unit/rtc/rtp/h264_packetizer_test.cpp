#include "rtc/rtp/h264_packetizer.hpp"

#include <gtest/gtest.h>

#include "rtc/rtp/h264_depacketizer.hpp"
#include "rtp_test_data.hpp"

namespace switchboard::rtc::rtp {
namespace {

using test::Bytes;

std::vector<Frame> ffmpeg_frames() {
    H264Depacketizer d;
    std::vector<Frame> frames;
    for (const auto& p : test::parse_all(test::read_capture("h264.rtp")))
        for (auto& f : d.push(p).frames) frames.push_back(std::move(f));
    return frames;
}

TEST(H264Packetizer, SplitsAnnexBWithThreeAndFourByteStartCodes) {
    const Bytes es = {0, 0, 0, 1, 0x67, 1, 2, 0, 0, 1, 0x68, 3, 0, 0, 0, 0, 1, 0x65, 4, 0, 5};
    auto nals = H264Packetizer::split_annex_b(es);
    ASSERT_EQ(nals.size(), 3u);
    EXPECT_EQ(Bytes(nals[0].begin(), nals[0].end()), (Bytes{0x67, 1, 2}));
    EXPECT_EQ(Bytes(nals[1].begin(), nals[1].end()), (Bytes{0x68, 3}));  // trailing zeros dropped
    EXPECT_EQ(Bytes(nals[2].begin(), nals[2].end()), (Bytes{0x65, 4, 0, 5}));
    EXPECT_TRUE(H264Packetizer::split_annex_b(Bytes{1, 2, 3}).empty());
}

TEST(H264Packetizer, AggregatesSmallNalsAndFragmentsLargeOnes) {
    Bytes es = {0, 0, 0, 1, 0x67, 0x42, 0xe0, 0x1f, 0, 0, 0, 1, 0x68, 0xce, 0x3c, 0x80, 0, 0, 1, 0x65};
    es.resize(es.size() + 3000, 0x11);  // IDR of 3001 bytes
    PacketizerConfig cfg;
    cfg.ssrc = 42;
    cfg.first_sequence_number = 65534;
    cfg.timestamp_offset = 1000;
    H264Packetizer pz(cfg);
    Frame f;
    f.buffer = Buffer::copy_of(es.data(), es.size());
    f.pts = 3000;
    f.time_base = {1, 90000};
    const auto out = pz.packetize(f);
    ASSERT_EQ(out.size(), 4u);  // STAP-A + 3 FU-A
    std::vector<std::size_t> sizes;
    for (std::size_t i = 0; i < out.size(); ++i) {
        auto p = RtpPacket::parse(out[i]);
        ASSERT_TRUE(p);
        EXPECT_LE(p.packet->payload().size(), 1200u);
        EXPECT_EQ(p.packet->marker(), i + 1 == out.size());
        EXPECT_EQ(p.packet->sequence_number(), std::uint16_t(65534 + i));
        EXPECT_EQ(p.packet->timestamp(), 4000u);
        EXPECT_EQ(p.packet->ssrc(), 42u);
        sizes.push_back(p.packet->payload().size());
    }
    auto first = RtpPacket::parse(out[0]);
    EXPECT_EQ(first.packet->payload()[0], 0x78);  // STAP-A, NRI 3 from SPS/PPS
    // 3000 bytes: two full fragments, the rest in the last (each + 2 bytes of FU-A headers),
    // so the frame's datagrams but the last share one size (one GSO message).
    EXPECT_EQ(sizes[1], 1200u);
    EXPECT_EQ(sizes[2], 1200u);
    EXPECT_EQ(sizes[3], 606u);
    EXPECT_EQ(pz.next_sequence_number(), 2);
    H264Depacketizer d;
    std::vector<Frame> frames;
    for (const auto& b : out)
        for (auto& fr : d.push(*RtpPacket::parse(b).packet).frames) frames.push_back(fr);
    ASSERT_EQ(frames.size(), 1u);
    EXPECT_EQ(test::bytes_of(frames[0].buffer), test::normalise_annex_b(es));
}

TEST(H264Packetizer, RoundTripsRealFramesAtSeveralMtus) {
    const auto frames = ffmpeg_frames();
    ASSERT_EQ(frames.size(), 15u);
    for (std::size_t mtu : {1200u, 500u, 100u}) {
        PacketizerConfig cfg;
        cfg.max_payload_size = mtu;
        cfg.first_sequence_number = 65000;
        H264Packetizer pz(cfg);
        H264Depacketizer d;
        std::vector<Frame> back;
        for (const auto& f : frames)
            for (const auto& b : pz.packetize(f)) {
                auto p = RtpPacket::parse(b);
                ASSERT_TRUE(p);
                EXPECT_LE(p.packet->payload().size(), mtu);
                for (auto& fr : d.push(*p.packet).frames) back.push_back(fr);
            }
        ASSERT_EQ(back.size(), frames.size()) << "mtu " << mtu;
        for (std::size_t i = 0; i < frames.size(); ++i) {
            EXPECT_EQ(test::bytes_of(back[i].buffer), test::bytes_of(frames[i].buffer));
            EXPECT_EQ(back[i].keyframe, frames[i].keyframe);
            EXPECT_EQ(back[i].pts - back[0].pts, frames[i].pts - frames[0].pts);
        }
    }
}

TEST(H264Packetizer, RtpTimestampFromOtherTimeBases) {
    H264Packetizer pz(PacketizerConfig{});
    EXPECT_EQ(pz.rtp_timestamp(1'000'000, {1, 1000000}), 90000u);  // 1 s in microseconds
    EXPECT_EQ(pz.rtp_timestamp(33, {1, 1000}), 2970u);
    EXPECT_TRUE(pz.packetize(Frame{}).empty());
}

}  // namespace
}  // namespace switchboard::rtc::rtp
