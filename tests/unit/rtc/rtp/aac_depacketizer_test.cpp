#include "rtc/rtp/aac_depacketizer.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "ffmpeg_decoder.hpp"
#include "rtc/rtp/rtp_packet_writer.hpp"
#include "rtp_test_data.hpp"

namespace switchboard::rtc::rtp {
namespace {

using test::Bytes;

/// The fmtp of both captures (data/README.md): AAC-LC, 48 kHz, stereo, AAC-hbr.
AacPayloadConfig ffmpeg_config() {
    AacPayloadConfig c;  // sizelength=13;indexlength=3;indexdeltalength=3
    c.audio_specific_config = {0x11, 0x90, 0x56, 0xe5, 0x00};
    return c;
}

struct Outcome {
    std::vector<Frame> frames;
    std::uint32_t dropped = 0;
    std::uint32_t lost = 0;
    int keyframe_requests = 0;
};

Outcome run(Depacketizer& d, const std::vector<RtpPacket>& packets) {
    Outcome r;
    for (const auto& p : packets) {
        auto out = d.push(p);
        for (auto& f : out.frames) r.frames.push_back(std::move(f));
        r.dropped += out.frames_dropped;
        r.lost += out.packets_lost;
        r.keyframe_requests += out.keyframe_needed;
    }
    return r;
}

std::vector<Bytes> payloads(const std::vector<Frame>& frames) {
    std::vector<Bytes> out;
    for (const auto& f : frames) out.push_back(test::bytes_of(f.buffer));
    return out;
}

RtpPacket packet(const Bytes& payload, std::uint16_t seq = 1, std::uint32_t ts = 90000, bool marker = true) {
    RtpPacketWriter w;
    w.payload_type = 97;
    w.sequence_number = seq;
    w.timestamp = ts;
    w.marker = marker;
    w.payload = payload;
    return *RtpPacket::parse(w.to_buffer()).packet;
}

/// An AAC-hbr payload: AU-headers-length, one 16-bit header per unit (13-bit size,
/// 3-bit index or delta), the units.
Bytes hbr_payload(const std::vector<Bytes>& units, std::uint32_t size_override = 0) {
    Bytes p = {0, std::uint8_t(16 * units.size())};
    for (const auto& u : units) {
        const std::uint32_t size = size_override ? size_override : std::uint32_t(u.size());
        p.push_back(std::uint8_t(size >> 5));
        p.push_back(std::uint8_t((size & 0x1f) << 3));
    }
    for (const auto& u : units) p.insert(p.end(), u.begin(), u.end());
    return p;
}

TEST(AacDepacketizer, SeveralAccessUnitsPerPacketBecomeOneFrameEachAndDecode) {
    const auto packets = test::parse_all(test::read_capture("aac.rtp"));
    ASSERT_EQ(packets.size(), 6u);
    EXPECT_LT(packets.back().sequence_number(), 10);  // wrapped
    AacDepacketizer d(ffmpeg_config(), 48000, 2);
    EXPECT_EQ(d.format().codec, Codec::aac);
    EXPECT_EQ(d.format().sample_rate, 48000);
    EXPECT_EQ(d.format().channels, 2);
    const Outcome r = run(d, packets);
    EXPECT_EQ(r.dropped, 0u);
    ASSERT_EQ(r.frames.size(), 46u);  // 9 + 8 + 8 + 7 + 7 + 7 access units
    for (std::size_t i = 0; i < r.frames.size(); ++i) {
        EXPECT_EQ(r.frames[i].pts, std::int64_t(packets.front().timestamp()) + std::int64_t(1024 * i)) << i;
        EXPECT_EQ(r.frames[i].time_base, (Rational{1, 48000}));
        EXPECT_TRUE(r.frames[i].keyframe);
        EXPECT_EQ(r.frames[i].codec_config.empty(), i != 0);
    }
    EXPECT_EQ(test::bytes_of(r.frames[0].codec_config), ffmpeg_config().audio_specific_config);
    const auto st = test::decode_all(AV_CODEC_ID_AAC, payloads(r.frames), ffmpeg_config().audio_specific_config);
    EXPECT_EQ(st.errors, 0);
    EXPECT_EQ(st.decoded, 46);
}

TEST(AacDepacketizer, FragmentedAccessUnitsAreReassembled) {
    // The same stream sent with 120-byte packets: every unit in two or three fragments.
    // (This capture has all 48 units; aac.rtp lacks the last two, which ffmpeg's
    // aggregating packetizer still held when the input ended.)
    const auto fragmented = test::parse_all(test::read_capture("aac_fragmented.rtp"));
    AacDepacketizer whole(ffmpeg_config(), 48000, 2), pieces(ffmpeg_config(), 48000, 2);
    const Outcome a = run(whole, test::parse_all(test::read_capture("aac.rtp")));
    const Outcome b = run(pieces, fragmented);
    ASSERT_EQ(b.frames.size(), 48u);
    EXPECT_GT(fragmented.size(), 2 * b.frames.size());
    EXPECT_EQ(b.dropped, 0u);
    const auto pb = payloads(b.frames);
    EXPECT_TRUE(std::equal(pb.begin(), pb.begin() + 46, payloads(a.frames).begin()));
    for (std::size_t i = 1; i < b.frames.size(); ++i) EXPECT_EQ(b.frames[i].pts - b.frames[i - 1].pts, 1024);
    const auto st = test::decode_all(AV_CODEC_ID_AAC, pb, ffmpeg_config().audio_specific_config);
    EXPECT_EQ(st.errors, 0);
    EXPECT_EQ(st.decoded, 48);
}

TEST(AacDepacketizer, LostFragmentDropsOnlyItsAccessUnit) {
    auto packets = test::parse_all(test::read_capture("aac_fragmented.rtp"));
    packets.erase(packets.begin() + 3);  // the middle fragment of the second unit
    AacDepacketizer d(ffmpeg_config(), 48000, 2);
    const Outcome r = run(d, packets);
    EXPECT_EQ(r.lost, 1u);
    EXPECT_EQ(r.dropped, 1u);
    EXPECT_EQ(r.keyframe_requests, 0);
    EXPECT_EQ(r.frames.size(), 47u);
}

TEST(AacDepacketizer, MalformedPacketsDropTheirFrame) {
    const Bytes unit = {0x21, 0x10, 0x05};
    Bytes headers_overrun = hbr_payload({unit});
    headers_overrun[1] = 0xf0;  // 240 bits of AU headers in a 7-byte payload
    Bytes size_overrun = hbr_payload({unit, unit});
    size_overrun[3] = 0xf8;  // the first unit claims 31 bytes of 6
    Bytes sizes_short = hbr_payload({unit});
    sizes_short.push_back(0x42);  // a byte no header accounts for
    Bytes interleaved = hbr_payload({unit, unit});
    interleaved[5] |= 0x01;  // AU-Index-delta 1
    const Bytes zero_size = hbr_payload({Bytes{}});
    const Bytes no_headers = {0, 0, 0x21};
    const Bytes headers_only = {0, 16, 0, 0x18};
    const Bytes truncated = {0};
    std::uint16_t seq = 1;
    for (const Bytes& bad :
         {headers_overrun, size_overrun, sizes_short, interleaved, zero_size, no_headers, headers_only, truncated}) {
        AacDepacketizer d(ffmpeg_config(), 48000, 2);
        auto out = d.push(packet(bad, seq++));
        EXPECT_TRUE(out.frames.empty()) << seq;
        EXPECT_EQ(out.frames_dropped, 1u) << seq;
        EXPECT_FALSE(out.keyframe_needed);
        out = d.push(packet(hbr_payload({unit}), seq++, 91024));
        EXPECT_EQ(out.frames.size(), 1u) << seq;  // the next packet plays
    }
}

TEST(AacDepacketizer, FragmentsThatDoNotMakeUpTheUnitAreDropped) {
    const Bytes part = {1, 2, 3};
    AacDepacketizer d(ffmpeg_config(), 48000, 2);
    // Says 8 bytes, brings 3 + 3.
    d.push(packet(hbr_payload({part}, 8), 1, 0, false));
    auto out = d.push(packet(hbr_payload({part}, 8), 2, 0, true));
    EXPECT_TRUE(out.frames.empty());
    EXPECT_EQ(out.frames_dropped, 1u);
    // Fragments that disagree on the unit's size.
    d.push(packet(hbr_payload({part}, 6), 3, 1024, false));
    out = d.push(packet(hbr_payload({part}, 7), 4, 1024, true));
    EXPECT_EQ(out.frames_dropped, 1u);
    // A head whose tail never came: the next timestamp ends it.
    d.push(packet(hbr_payload({part}, 6), 5, 2048, false));
    out = d.push(packet(hbr_payload({part, part}), 6, 3072, true));
    EXPECT_EQ(out.frames_dropped, 1u);
    EXPECT_EQ(out.frames.size(), 2u);
    // And right: 3 + 3 = 6.
    d.push(packet(hbr_payload({part}, 6), 7, 4096, false));
    out = d.push(packet(hbr_payload({part}, 6), 8, 4096, true));
    ASSERT_EQ(out.frames.size(), 1u);
    EXPECT_EQ(test::bytes_of(out.frames[0].buffer), (Bytes{1, 2, 3, 1, 2, 3}));
}

TEST(AacDepacketizer, OtherModesFromTheFmtp) {
    const Bytes u1 = {1, 2}, u2 = {3, 4};
    {
        // AAC-lbr (§3.3.5): 6-bit sizes, 2-bit index and delta, one byte per header.
        AacPayloadConfig c;
        c.size_length = 6;
        c.index_length = c.index_delta_length = 2;
        c.frame_duration = 960;
        AacDepacketizer d(c, 48000);
        auto out = d.push(packet({0, 16, 2 << 2, 2 << 2, 1, 2, 3, 4}));
        ASSERT_EQ(out.frames.size(), 2u);
        EXPECT_EQ(test::bytes_of(out.frames[1].buffer), u2);
        EXPECT_EQ(out.frames[1].pts - out.frames[0].pts, 960);
        EXPECT_TRUE(out.frames[0].codec_config.empty());  // no config= given
    }
    {
        // No AU headers at all, constantSize=2: the data section is split evenly.
        AacPayloadConfig c;
        c.size_length = c.index_length = c.index_delta_length = 0;
        c.constant_size = 2;
        AacDepacketizer d(c, 16000, 1);
        auto out = d.push(packet({1, 2, 3, 4}));
        ASSERT_EQ(out.frames.size(), 2u);
        EXPECT_EQ(test::bytes_of(out.frames[0].buffer), u1);
        EXPECT_EQ(out.frames[1].pts - out.frames[0].pts, 1024);
        EXPECT_EQ(d.push(packet({1, 2, 3}, 2, 5000)).frames_dropped, 1u);  // not a multiple
    }
    {
        // CTS-delta (8 bits) on the second unit, and an auxiliary section to skip.
        AacPayloadConfig c;
        c.index_length = c.index_delta_length = 0;
        c.size_length = 7;
        c.cts_delta_length = 8;
        c.auxiliary_data_size_length = 8;
        // Headers: [size 2, CTS-flag 0] [size 2, CTS-flag 1, delta -5], 8 + 16 bits;
        // aux: its size (8 bits, says 8) and 8 bits of data.
        const Bytes p = {0, 24, 0x04, 0x05, 0xfb, 8, 0xaa, 1, 2, 3, 4};
        AacDepacketizer d(c, 48000);
        auto out = d.push(packet(p, 1, 90000));
        ASSERT_EQ(out.frames.size(), 2u);
        EXPECT_EQ(test::bytes_of(out.frames[0].buffer), u1);
        EXPECT_EQ(test::bytes_of(out.frames[1].buffer), u2);
        EXPECT_EQ(out.frames[1].pts - out.frames[0].pts, -5);
    }
}

TEST(AacDepacketizer, InvalidConfigDropsEverything) {
    AacPayloadConfig c;
    c.size_length = 40;
    EXPECT_FALSE(c.valid());
    AacDepacketizer d(c, 48000);
    EXPECT_EQ(d.push(packet(hbr_payload({Bytes{1}}))).frames_dropped, 1u);
    AacPayloadConfig looping;  // headers of no bits after the first
    looping.size_length = looping.index_delta_length = 0;
    looping.index_length = 3;
    AacDepacketizer d2(looping, 48000);
    EXPECT_EQ(d2.push(packet({0, 8, 0, 1, 2})).frames_dropped, 1u);
}

}  // namespace
}  // namespace switchboard::rtc::rtp
