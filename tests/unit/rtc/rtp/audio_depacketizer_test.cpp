#include "rtc/rtp/audio_depacketizer.hpp"

#include <gtest/gtest.h>

#include "ffmpeg_decoder.hpp"
#include "rtc/rtp/opus_packetizer.hpp"
#include "rtc/rtp/rtp_packet_writer.hpp"
#include "rtp_test_data.hpp"

namespace switchboard::rtc::rtp {
namespace {

using test::Bytes;

TEST(AudioDepacketizer, OpusOneFramePerPacketAndDecodes) {
    const auto packets = test::parse_all(test::read_capture("opus.rtp"));
    ASSERT_GT(packets.size(), 40u);
    AudioDepacketizer d(Codec::opus);
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

TEST(AudioDepacketizer, OpusLossIsCountedButNeedsNoKeyframe) {
    auto packets = test::parse_all(test::read_capture("opus.rtp"));
    packets.erase(packets.begin() + 5, packets.begin() + 8);
    AudioDepacketizer d(Codec::opus);
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

/// A G.711 stream: 20 ms packets of 160 samples, one byte each.
std::vector<Buffer> g711_packets(std::size_t n, std::uint8_t payload_type) {
    std::vector<Buffer> out;
    Bytes payload(160);
    RtpPacketWriter w;
    w.payload_type = payload_type;
    w.ssrc = 7;
    for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t k = 0; k < payload.size(); ++k) payload[k] = std::uint8_t(i + k);
        w.sequence_number = std::uint16_t(65530 + i);
        w.timestamp = std::uint32_t(1000 + 160 * i);
        w.payload = payload;
        out.push_back(w.to_buffer());
    }
    return out;
}

TEST(AudioDepacketizer, PcmuAndPcmaOneFramePerPacketAt8kHz) {
    for (const auto codec : {Codec::pcmu, Codec::pcma}) {
        AudioDepacketizer d(codec);
        EXPECT_EQ(d.format().clock_rate, 8000);
        EXPECT_EQ(d.format().channels, 1);
        EXPECT_EQ(d.format().kind, MediaKind::audio);
        std::vector<Frame> frames;
        std::vector<RtpPacket> packets;
        for (const auto& b : g711_packets(10, codec == Codec::pcmu ? 0 : 8)) {
            packets.push_back(*RtpPacket::parse(b).packet);
            auto out = d.push(packets.back());
            EXPECT_EQ(out.packets_lost, 0u);  // across the sequence wrap
            for (auto& f : out.frames) frames.push_back(std::move(f));
        }
        ASSERT_EQ(frames.size(), 10u);
        for (std::size_t i = 0; i < frames.size(); ++i) {
            EXPECT_EQ(frames[i].format.codec, codec);
            EXPECT_TRUE(frames[i].keyframe);
            EXPECT_EQ(frames[i].time_base, (Rational{1, 8000}));
            EXPECT_EQ(frames[i].pts, std::int64_t(1000 + 160 * i));
            const auto pl = packets[i].payload();
            EXPECT_EQ(test::bytes_of(frames[i].buffer), Bytes(pl.begin(), pl.end()));
        }
    }
}

TEST(AudioDepacketizer, ClockAndChannelsAsGivenExceptForOpus) {
    AudioDepacketizer wide(Codec::pcma, 16000, 2);
    EXPECT_EQ(wide.format().clock_rate, 16000);
    EXPECT_EQ(wide.format().channels, 2);
    AudioDepacketizer opus(Codec::opus, 90000, 1);  // RFC 7587 §4.1: always 48 kHz
    EXPECT_EQ(opus.format().clock_rate, 48000);
    EXPECT_EQ(opus.format().sample_rate, 48000);
}

TEST(AudioDepacketizer, EmptyPayloadIsADroppedFrameAndLossDropsNothingElse) {
    AudioDepacketizer d(Codec::pcmu);
    RtpPacketWriter w;
    w.sequence_number = 1;
    auto out = d.push(*RtpPacket::parse(w.to_buffer()).packet);
    EXPECT_TRUE(out.frames.empty());
    EXPECT_EQ(out.frames_dropped, 1u);
    EXPECT_FALSE(out.keyframe_needed);
    const Bytes one = {0xff};
    w.payload = one;
    w.sequence_number = 5;
    out = d.push(*RtpPacket::parse(w.to_buffer()).packet);
    EXPECT_EQ(out.packets_lost, 3u);
    EXPECT_EQ(out.frames.size(), 1u);
}

TEST(OpusPacketizer, RoundTripAndBudget) {
    const auto packets = test::parse_all(test::read_capture("opus.rtp"));
    AudioDepacketizer d0(Codec::opus);
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
