#include "rtc/sdp/codec_config.hpp"

#include <gtest/gtest.h>

#include "sdp_fixtures.hpp"

namespace switchboard::rtc::sdp {
namespace {

using Bytes = std::vector<std::uint8_t>;

/// Annex B of the given NAL units (hex), with 4-byte start codes.
Bytes annex_b(std::initializer_list<const char*> nals) {
    Bytes out;
    for (const char* hex : nals) {
        out.insert(out.end(), {0, 0, 0, 1});
        for (const char* p = hex; p[0] && p[1]; p += 2)
            out.push_back(std::uint8_t(std::stoi(std::string(p, 2), nullptr, 16)));
    }
    return out;
}

RtpCodec codec(const char* encoding, std::uint32_t clock, const std::string& fmtp) {
    return {96, encoding, clock, std::nullopt, fmtp, {}};
}

TEST(CodecConfig, CameraParameterSetsAsAnnexB) {
    // data/ip_camera.sdp carries the parameter sets of tests/unit/rtc/rtp/data/h264.264
    // and h265.265.
    const auto d = test::parse_fixture("ip_camera.sdp");
    EXPECT_EQ(h264_parameter_sets(rtp_codecs(d.media[0])[0]),
              annex_b({"6742c00cda0507ec04400000030040000007a3c50aa8", "68ce0fc8"}));
    EXPECT_EQ(
        h265_parameter_sets(rtp_codecs(d.media[1])[0]),
        annex_b({"40010c01ffff01600000030090000003000003003cba0240",
                 "42010101600000030090000003000003003ca00a080f165ba4a4c2f0168080000003008000000784", "4401c073c189"}));
    EXPECT_TRUE(h264_parameter_sets(rtp_codecs(d.media[1])[0]).empty());  // none for H264 there
}

TEST(CodecConfig, Base64PaddingOptionalGarbageRefused) {
    // "aM4PyA" is "aM4PyA==" without its padding, as some cameras write it.
    EXPECT_EQ(h264_parameter_sets(codec("H264", 90000, "sprop-parameter-sets=aM4PyA")), annex_b({"68ce0fc8"}));
    EXPECT_EQ(h264_parameter_sets(codec("H264", 90000, "sprop-parameter-sets=Z0I=,aM4=")), annex_b({"6742", "68ce"}));
    EXPECT_TRUE(h264_parameter_sets(codec("H264", 90000, "sprop-parameter-sets=aM4P$A==")).empty());
    EXPECT_TRUE(h264_parameter_sets(codec("H264", 90000, "sprop-parameter-sets=aM4Py,A")).empty());
    EXPECT_TRUE(h264_parameter_sets(codec("H264", 90000, "sprop-parameter-sets=Z0I=,,aM4=")).empty());
    // Only padding, or more of it than a quantum has (found by sdp_fuzz: "==" once threw).
    EXPECT_TRUE(h264_parameter_sets(codec("H264", 90000, "sprop-parameter-sets===,aM4PyA==")).empty());
    EXPECT_TRUE(h264_parameter_sets(codec("H264", 90000, "sprop-parameter-sets=aM4PyA===")).empty());
    EXPECT_TRUE(h265_parameter_sets(codec("H265", 90000, "sprop-vps=====;sprop-sps=QAEM")).empty());
    EXPECT_TRUE(h264_parameter_sets(codec("H264", 90000, "packetization-mode=1")).empty());
    EXPECT_TRUE(h265_parameter_sets(codec("H265", 90000, "sprop-vps=QAEM;sprop-sps=!!!!")).empty());
}

TEST(CodecConfig, AacHbrFromTheFmtp) {
    const auto d = test::parse_fixture("ip_camera.sdp");
    const auto c = aac_payload_config(rtp_codecs(d.media[3])[0]);
    ASSERT_TRUE(c);
    EXPECT_EQ(c->size_length, 13u);
    EXPECT_EQ(c->index_length, 3u);
    EXPECT_EQ(c->index_delta_length, 3u);
    EXPECT_EQ(c->cts_delta_length, 0u);
    EXPECT_EQ(c->frame_duration, 1024u);
    EXPECT_EQ(c->audio_specific_config, (Bytes{0x11, 0x90, 0x56, 0xe5, 0x00}));
    EXPECT_TRUE(c->valid());
}

TEST(CodecConfig, AacOtherModesAndLengths) {
    // AAC-lbr's lengths by default; names are case-insensitive (RFC 3640 §4.1).
    auto lbr = aac_payload_config(codec("mpeg4-generic", 16000, "mode=AAC-lbr;config=1408"));
    ASSERT_TRUE(lbr);
    EXPECT_EQ(lbr->size_length, 6u);
    EXPECT_EQ(lbr->index_length, 2u);
    // Explicit lengths win; constantDuration is the frame duration as given.
    auto generic = aac_payload_config(codec("mpeg4-generic", 48000,
                                            "mode=generic;SIZELENGTH=16;ctsDeltaLength=8;randomAccessIndication=1;"
                                            "constantDuration=960;streamStateIndication=2"));
    ASSERT_TRUE(generic);
    EXPECT_EQ(generic->size_length, 16u);
    EXPECT_EQ(generic->index_length, 0u);
    EXPECT_EQ(generic->cts_delta_length, 8u);
    EXPECT_TRUE(generic->random_access_indication);
    EXPECT_EQ(generic->stream_state_indication, 2u);
    EXPECT_EQ(generic->frame_duration, 960u);
    // No header fields at all, constantSize: what AacDepacketizer splits evenly.
    auto constant = aac_payload_config(codec("mpeg4-generic", 8000, "mode=generic;constantSize=20"));
    ASSERT_TRUE(constant);
    EXPECT_FALSE(constant->has_au_headers());
    EXPECT_EQ(constant->constant_size, 20u);
    // HE-AAC announced at its output rate: the frame lasts 2048 ticks.
    auto he = aac_payload_config(codec("mpeg4-generic", 48000, "mode=AAC-hbr;sizelength=13;config=1310"));
    ASSERT_TRUE(he);
    EXPECT_EQ(he->frame_duration, 2048u);
}

TEST(CodecConfig, AacRefusals) {
    for (const char* fmtp : {"mode=AAC-hbr;streamType=4",       // visual
                             "mode=AAC-hbr;maxDisplacement=5",  // interleaved
                             "mode=AAC-hbr;sizeLength=33",      // too wide
                             "mode=AAC-hbr;sizeLength=x",       // not a number
                             "mode=AAC-hbr;config=1190G5",      // not hex
                             "mode=AAC-hbr;config=119"})        // odd
        EXPECT_FALSE(aac_payload_config(codec("mpeg4-generic", 48000, fmtp))) << fmtp;
    EXPECT_TRUE(aac_payload_config(codec("mpeg4-generic", 48000, "mode=AAC-hbr;maxDisplacement=0")));
}

}  // namespace
}  // namespace switchboard::rtc::sdp
