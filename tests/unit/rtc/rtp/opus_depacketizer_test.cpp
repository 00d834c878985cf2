#include "rtc/rtp/opus_depacketizer.hpp"

#include <gtest/gtest.h>

#include "ffmpeg_decoder.hpp"
#include "rtc/rtp/opus_packetizer.hpp"
#include "rtp_test_data.hpp"

namespace switchboard::rtc::rtp {
namespace {

using test::Bytes;

TEST(OpusDepacketizer, OneFramePerPacketAndDecodes) {
    const auto packets = test::parse_all(test::read_capture("opus.rtp"));
    ASSERT_GT(packets.size(), 40u);
    OpusDepacketizer d;
    std::vector<Frame> frames;
    for (const auto& p : packets)
        for (auto& f : d.push(p).frames) frames.push_back(std::move(f));
    ASSERT_EQ(frames.size(), packets.size());
    std::vector<Bytes> raw;
    for (std::size_t i = 0; i < frames.size(); ++i) {
        EXPECT_TRUE(frames[i].keyframe);
        EXPECT_EQ(frames[i].time_base, (Rational{1, 48000}));
        EXPECT_EQ(frames[i].format.codec, Codec::opus);
        const auto pl = packets[i].payload();
        EXPECT_EQ(test::bytes_of(frames[i].buffer), Bytes(pl.begin(), pl.end()));
        if (i) {
            EXPECT_EQ(frames[i].pts - frames[i - 1].pts, 960);  // 20 ms
        }
        raw.push_back(test::bytes_of(frames[i].buffer));
    }
    const auto st = test::decode_all(AV_CODEC_ID_OPUS, raw);
    EXPECT_EQ(st.errors, 0);
    EXPECT_EQ(st.decoded, int(raw.size()));
}

TEST(OpusDepacketizer, LossIsCountedButNeedsNoKeyframe) {
    auto packets = test::parse_all(test::read_capture("opus.rtp"));
    packets.erase(packets.begin() + 5, packets.begin() + 8);
    OpusDepacketizer d;
    std::uint32_t lost = 0;
    std::size_t n = 0;
    for (const auto& p : packets) {
        auto out = d.push(p);
        EXPECT_FALSE(out.keyframe_needed);
        lost += out.packets_lost;
        n += out.frames.size();
    }
    EXPECT_EQ(lost, 3u);
    EXPECT_EQ(n, packets.size());
}

TEST(OpusPacketizer, RoundTripAndBudget) {
    const auto packets = test::parse_all(test::read_capture("opus.rtp"));
    OpusDepacketizer d0;
    auto frames = d0.push(packets[3]).frames;
    ASSERT_EQ(frames.size(), 1u);
    PacketizerConfig cfg;
    cfg.payload_type = 111;
    cfg.clock_rate = 90000;  // ignored: Opus is 48 kHz
    OpusPacketizer pz(cfg);
    EXPECT_EQ(pz.config().clock_rate, 48000);
    const auto out = pz.packetize(frames[0]);
    ASSERT_EQ(out.size(), 1u);
    auto p = RtpPacket::parse(out[0]);
    ASSERT_TRUE(p);
    EXPECT_FALSE(p.packet->marker());
    EXPECT_EQ(p.packet->payload_type(), 111);
    EXPECT_EQ(p.packet->timestamp(), std::uint32_t(frames[0].pts));
    const auto pl = p.packet->payload();
    EXPECT_EQ(Bytes(pl.begin(), pl.end()), test::bytes_of(frames[0].buffer));
    Frame big;
    Bytes huge(1300, 1);
    big.buffer = Buffer::copy_of(huge.data(), huge.size());
    EXPECT_TRUE(pz.packetize(big).empty());
}

}  // namespace
}  // namespace switchboard::rtc::rtp
