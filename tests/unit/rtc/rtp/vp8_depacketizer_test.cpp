#include "rtc/rtp/vp8_depacketizer.hpp"

#include <gtest/gtest.h>

#include "ffmpeg_decoder.hpp"
#include "rtc/rtp/rtp_packet_writer.hpp"
#include "rtc/rtp/vp8_packetizer.hpp"
#include "rtc/rtp/vp8_payload_descriptor.hpp"
#include "rtp_test_data.hpp"

namespace switchboard::rtc::rtp {
namespace {

using test::Bytes;

std::vector<Frame> depacketize(Depacketizer& d, const std::vector<RtpPacket>& packets, int* requests = nullptr) {
    std::vector<Frame> frames;
    for (const auto& p : packets) {
        auto out = d.push(p);
        if (requests) *requests += out.keyframe_needed;
        for (auto& f : out.frames) frames.push_back(std::move(f));
    }
    return frames;
}

TEST(Vp8Depacketizer, FfmpegStreamMatchesTheIvfFramesAcrossTheWrap) {
    const auto packets = test::parse_all(test::read_capture("vp8.rtp"));
    EXPECT_EQ(packets.front().sequence_number(), 65520);
    const auto ivf = test::read_ivf("vp8.ivf");
    ASSERT_EQ(ivf.size(), 15u);
    Vp8Depacketizer d;
    const auto frames = depacketize(d, packets);
    ASSERT_EQ(frames.size(), ivf.size());
    for (std::size_t i = 0; i < frames.size(); ++i) {
        EXPECT_EQ(test::bytes_of(frames[i].buffer), ivf[i]) << "frame " << i;
        EXPECT_EQ(frames[i].keyframe, i % 8 == 0) << "frame " << i;
    }
    std::vector<Bytes> raw;
    for (const auto& f : frames) raw.push_back(test::bytes_of(f.buffer));
    const auto st = test::decode_all(AV_CODEC_ID_VP8, raw);
    EXPECT_EQ(st.errors, 0);
    EXPECT_EQ(st.decoded, 15);
    EXPECT_EQ(st.width, 320);
}

TEST(Vp8Depacketizer, FrameWithoutPartitionStartIsDropped) {
    const auto packets = test::parse_all(test::read_capture("vp8.rtp"));
    // Lose the first packet of the keyframe (it spans several packets at 1200 bytes).
    ASSERT_FALSE(packets[0].marker());
    Vp8Depacketizer d;
    int requests = 0;
    const auto frames = depacketize(d, {packets.begin() + 1, packets.end()}, &requests);
    EXPECT_EQ(frames.size(), 7u);  // only the second GOP
    EXPECT_GE(requests, 1);
}

TEST(Vp8Depacketizer, LaterPartitionStartsAreAccepted) {
    // A keyframe in two packets: S=1 PID=0, then S=1 PID=1 (partition 1 starts).
    const Bytes key = {0x50, 0x2a, 0x00, 0x9d, 0x01, 0x2a, 0x40, 0x01, 0xf0, 0x00};
    Bytes p0 = {0x90, 0x80, 0x01};
    p0.insert(p0.end(), key.begin(), key.end());
    const Bytes p1 = {0x91, 0x80, 0x01, 0xee, 0xff};
    RtpPacketWriter w;
    w.timestamp = 90;
    w.payload = p0;
    auto a = RtpPacket::parse(w.to_buffer());
    w.sequence_number = 1;
    w.marker = true;
    w.payload = p1;
    auto b = RtpPacket::parse(w.to_buffer());
    Vp8Depacketizer d;
    EXPECT_TRUE(d.push(*a.packet).frames.empty());
    auto out = d.push(*b.packet);
    ASSERT_EQ(out.frames.size(), 1u);
    Bytes expected = key;
    expected.insert(expected.end(), {0xee, 0xff});
    EXPECT_EQ(test::bytes_of(out.frames[0].buffer), expected);
    EXPECT_TRUE(out.frames[0].keyframe);
}

TEST(Vp8Packetizer, RoundTripsRealFramesWithPictureIds) {
    Vp8Depacketizer d0;
    const auto frames = depacketize(d0, test::parse_all(test::read_capture("vp8.rtp")));
    ASSERT_EQ(frames.size(), 15u);
    PacketizerConfig cfg;
    cfg.max_payload_size = 300;
    cfg.first_sequence_number = 65530;
    Vp8Packetizer pz(cfg, 0x7ffe);
    Vp8Depacketizer d;
    std::vector<Frame> back;
    std::optional<std::uint16_t> last_id;
    for (const auto& f : frames) {
        const auto packets = pz.packetize(f);
        for (std::size_t i = 0; i < packets.size(); ++i) {
            auto p = RtpPacket::parse(packets[i]);
            ASSERT_TRUE(p);
            EXPECT_LE(p.packet->payload().size(), 300u);
            auto desc = Vp8PayloadDescriptor::parse(p.packet->payload());
            ASSERT_TRUE(desc);
            EXPECT_EQ(desc->start_of_partition, i == 0);
            if (i == 0 && last_id) {
                EXPECT_EQ(*desc->picture_id, (*last_id + 1) & 0x7fff);  // wraps at 15 bits
            }
            if (i == 0) last_id = desc->picture_id;
            for (auto& fr : d.push(*p.packet).frames) back.push_back(fr);
        }
    }
    ASSERT_EQ(back.size(), frames.size());
    for (std::size_t i = 0; i < frames.size(); ++i) {
        EXPECT_EQ(test::bytes_of(back[i].buffer), test::bytes_of(frames[i].buffer));
        EXPECT_EQ(back[i].keyframe, frames[i].keyframe);
    }
}

}  // namespace
}  // namespace switchboard::rtc::rtp
