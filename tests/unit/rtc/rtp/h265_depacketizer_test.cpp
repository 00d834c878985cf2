#include "rtc/rtp/h265_depacketizer.hpp"

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

/// One packet with `payload`, the marker set.
RtpPacket packet(const Bytes& payload, std::uint16_t seq = 1, std::uint32_t ts = 0, bool marker = true) {
    RtpPacketWriter w;
    w.payload_type = 96;
    w.sequence_number = seq;
    w.timestamp = ts;
    w.marker = marker;
    w.payload = payload;
    return *RtpPacket::parse(w.to_buffer()).packet;
}

/// The type bits of an H265 NAL unit header (layer 0, TID 1).
Bytes nal_header(std::uint8_t type) {
    return {std::uint8_t(type << 1), 0x01};
}

TEST(H265Depacketizer, FfmpegStreamRoundTripsAcrossTheWrap) {
    // h265.rtp: AP (VPS, SPS, PPS), FU (SEI, IDR/CRA slices), single NAL unit packets.
    // ffmpeg's packetizer keeps a trailing zero byte on some NAL units (legal Annex B
    // padding, trailing_zero_8bits), so both sides are compared normalised.
    const auto packets = test::parse_all(test::read_capture("h265.rtp"));
    ASSERT_EQ(packets.size(), 29u);
    EXPECT_LT(packets.back().sequence_number(), 100);  // wrapped
    H265Depacketizer d;
    const Outcome r = run(d, packets);
    EXPECT_EQ(r.lost, 0u);
    EXPECT_EQ(r.keyframe_requests, 0);
    EXPECT_EQ(r.dropped, 0u);
    ASSERT_EQ(r.frames.size(), 15u);
    Bytes joined;
    for (std::size_t i = 0; i < r.frames.size(); ++i) {
        const auto& f = r.frames[i];
        joined.insert(joined.end(), f.payload(), f.payload() + f.payload_size());
        EXPECT_EQ(f.format.codec, Codec::h265);
        EXPECT_EQ(f.time_base, (Rational{1, 90000}));
        EXPECT_EQ(f.keyframe, i == 0 || i == 8) << i;  // keyint 8: IDR, then CRA
        EXPECT_EQ(f.codec_config.empty(), !f.keyframe) << i;
        if (i) {
            EXPECT_EQ(f.pts - r.frames[i - 1].pts, 6000);  // 15 fps
        }
    }
    EXPECT_EQ(r.frames.front().pts, packets.front().timestamp());
    EXPECT_EQ(test::normalise_annex_b(joined), test::normalise_annex_b(test::read_file("h265.265")));
    // codec_config is the AP's VPS, SPS and PPS, in Annex B: where the frame starts.
    const auto& first = r.frames.front();
    const Bytes config = test::bytes_of(first.codec_config);
    ASSERT_EQ(config.size(), 3 * 4 + 24u + 40u + 6u);
    EXPECT_TRUE(std::equal(config.begin(), config.end(), first.payload()));
}

TEST(H265Depacketizer, OutputDecodesWithLibavcodec) {
    H265Depacketizer d;
    const Outcome r = run(d, test::parse_all(test::read_capture("h265.rtp")));
    std::vector<Bytes> frames;
    for (const auto& f : r.frames) frames.push_back(test::bytes_of(f.buffer));
    const auto st = test::decode_all(AV_CODEC_ID_HEVC, frames);
    EXPECT_EQ(st.errors, 0);
    EXPECT_EQ(st.decoded, 15);
    EXPECT_EQ(st.width, 320);
    EXPECT_EQ(st.height, 240);
}

TEST(H265Depacketizer, LostFragmentDropsUntilTheNextIrapPicture) {
    auto packets = test::parse_all(test::read_capture("h265.rtp"));
    // A middle FU fragment (neither S nor E) of the first IDR picture.
    std::size_t lost = 0;
    for (std::size_t i = 0; i < packets.size() && !lost; ++i) {
        const auto pl = packets[i].payload();
        if (((pl[0] >> 1) & 0x3f) == 49 && !(pl[2] & 0xc0)) lost = i;
    }
    ASSERT_NE(lost, 0u);
    packets.erase(packets.begin() + std::ptrdiff_t(lost));
    H265Depacketizer d;
    const Outcome r = run(d, packets);
    EXPECT_EQ(r.lost, 1u);
    EXPECT_GE(r.keyframe_requests, 1);
    EXPECT_EQ(r.frames.size(), 7u);  // the second GOP
    EXPECT_TRUE(r.frames.front().keyframe);
    EXPECT_FALSE(d.waiting_for_keyframe());
}

TEST(H265Depacketizer, AggregationPacketSplitsIntoNalUnits) {
    // AP: VPS (3 bytes), a fragment-free IDR slice (4 bytes).
    Bytes ap = nal_header(48);
    for (const Bytes& nal : {Bytes{0x40, 0x01, 0x0c}, Bytes{0x26, 0x01, 0xaf, 0x09}}) {
        ap.push_back(0);
        ap.push_back(std::uint8_t(nal.size()));
        ap.insert(ap.end(), nal.begin(), nal.end());
    }
    H265Depacketizer d;
    auto out = d.push(packet(ap));
    ASSERT_EQ(out.frames.size(), 1u);
    const Bytes expected = {0, 0, 0, 1, 0x40, 0x01, 0x0c, 0, 0, 0, 1, 0x26, 0x01, 0xaf, 0x09};
    EXPECT_EQ(test::bytes_of(out.frames[0].buffer), expected);
    EXPECT_TRUE(out.frames[0].keyframe);
    EXPECT_EQ(test::bytes_of(out.frames[0].codec_config), (Bytes{0, 0, 0, 1, 0x40, 0x01, 0x0c}));
}

TEST(H265Depacketizer, FragmentedParameterSetIsInCodecConfigToo) {
    // An SPS in two fragments, then a CRA slice in one packet, one frame.
    Bytes fu1 = nal_header(49), fu2 = nal_header(49);
    fu1.insert(fu1.end(), {0x80 | 33, 1, 2});
    fu2.insert(fu2.end(), {0x40 | 33, 3});
    Bytes cra = nal_header(21);
    cra.push_back(0x99);
    H265Depacketizer d;
    EXPECT_TRUE(d.push(packet(fu1, 1, 0, false)).frames.empty());
    EXPECT_TRUE(d.push(packet(fu2, 2, 0, false)).frames.empty());
    auto out = d.push(packet(cra, 3, 0, true));
    ASSERT_EQ(out.frames.size(), 1u);
    const Bytes sps = {0, 0, 0, 1, 33 << 1, 0x01, 1, 2, 3};
    Bytes all = sps;
    all.insert(all.end(), {0, 0, 0, 1, 21 << 1, 0x01, 0x99});
    EXPECT_EQ(test::bytes_of(out.frames[0].buffer), all);
    EXPECT_EQ(test::bytes_of(out.frames[0].codec_config), sps);
    EXPECT_TRUE(out.frames[0].keyframe);
}

TEST(H265Depacketizer, MalformedPacketsDropTheirFrame) {
    Bytes idr = nal_header(19);
    idr.push_back(0x55);
    Bytes fu_middle = nal_header(49);  // no start fragment before it
    fu_middle.insert(fu_middle.end(), {19, 1, 2});
    Bytes fu_both = nal_header(49);  // S and E in one fragment
    fu_both.insert(fu_both.end(), {0xc0 | 19, 1});
    Bytes fu_short = nal_header(49);  // no FU header
    Bytes ap_overrun = nal_header(48);
    ap_overrun.insert(ap_overrun.end(), {0, 9, 0x26, 0x01});
    Bytes ap_tiny_nal = nal_header(48);  // a NAL unit shorter than its own header
    ap_tiny_nal.insert(ap_tiny_nal.end(), {0, 1, 0x26});
    Bytes ap_empty = nal_header(48);
    Bytes ap_dangling_size = nal_header(48);
    ap_dangling_size.insert(ap_dangling_size.end(), {0, 2, 0x26, 0x01, 0});
    Bytes paci = nal_header(50);
    paci.insert(paci.end(), {1, 2, 3, 4});
    const Bytes one_byte = {0x26};
    std::uint16_t seq = 1;
    for (const Bytes& bad :
         {fu_middle, fu_both, fu_short, ap_overrun, ap_tiny_nal, ap_empty, ap_dangling_size, paci, one_byte, Bytes{}}) {
        H265Depacketizer d;
        auto out = d.push(packet(bad, seq++));
        EXPECT_TRUE(out.frames.empty());
        EXPECT_EQ(out.frames_dropped, 1u);
        EXPECT_TRUE(out.keyframe_needed);
        // and the next keyframe plays
        out = d.push(packet(idr, seq++, 3000));
        EXPECT_EQ(out.frames.size(), 1u);
    }
}

TEST(H265Depacketizer, FragmentationUnitWithoutEndIsBroken) {
    Bytes fu_start = nal_header(49);
    fu_start.insert(fu_start.end(), {0x80 | 19, 1, 2});
    Bytes single = nal_header(19);
    single.push_back(7);
    H265Depacketizer d;
    EXPECT_TRUE(d.push(packet(fu_start, 65535, 0, false)).frames.empty());
    auto out = d.push(packet(single, 0, 0, true));
    EXPECT_TRUE(out.frames.empty());
    EXPECT_EQ(out.packets_lost, 0u);
    EXPECT_TRUE(out.keyframe_needed);
}

}  // namespace
}  // namespace switchboard::rtc::rtp
