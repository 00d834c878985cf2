#include "rtc/sdp/rtp_codec.hpp"

#include <gtest/gtest.h>

#include "sdp_fixtures.hpp"

namespace switchboard::rtc::sdp {
namespace {

TEST(RtpCodec, CameraCodecs) {
    // data/ip_camera.sdp: what an RTSP camera's DESCRIBE answer looks like.
    const auto d = test::parse_fixture("ip_camera.sdp");
    ASSERT_EQ(d.media.size(), 5u);

    const auto jpeg = rtp_codecs(d.media[2]);  // "m=video 0 RTP/AVP 26", no rtpmap
    ASSERT_EQ(jpeg.size(), 1u);
    EXPECT_EQ(jpeg[0].encoding, "JPEG");
    const auto jf = jpeg[0].format();
    ASSERT_TRUE(jf);
    EXPECT_EQ(jf->kind, MediaKind::video);
    EXPECT_EQ(jf->codec, Codec::mjpeg);
    EXPECT_EQ(jf->clock_rate, 90000);

    const auto aac = rtp_codecs(d.media[3]);
    ASSERT_EQ(aac.size(), 1u);
    const auto af = aac[0].format();
    ASSERT_TRUE(af);
    EXPECT_EQ(af->kind, MediaKind::audio);
    EXPECT_EQ(af->codec, Codec::aac);
    EXPECT_EQ(af->clock_rate, 48000);
    EXPECT_EQ(af->sample_rate, 48000);
    EXPECT_EQ(af->channels, 2);

    const auto pcma = rtp_codecs(d.media[4]);
    ASSERT_EQ(pcma.size(), 1u);
    EXPECT_EQ(pcma[0].format()->codec, Codec::pcma);
    EXPECT_EQ(rtp_codecs(d.media[1])[0].format()->codec, Codec::h265);
}

TEST(RtpCodec, Mpeg4GenericAndJpegByRtpmap) {
    RtpCodec aac{96, "mpeg4-generic", 16000, std::nullopt, "mode=AAC-hbr;sizelength=13", {}};
    auto f = aac.format();
    ASSERT_TRUE(f);
    EXPECT_EQ(f->codec, Codec::aac);
    EXPECT_EQ(f->channels, 1);  // no channel count in the rtpmap: one (RFC 8866 §6.6)
    EXPECT_EQ(f->sample_rate, 16000);
    RtpCodec visual{96, "MPEG4-GENERIC", 90000, std::nullopt, "streamtype=4;mode=generic", {}};
    EXPECT_FALSE(visual.format());  // MPEG-4 video, not AAC
    RtpCodec jpeg{100, "JPEG", 90000, std::nullopt, "", {}};
    EXPECT_EQ(jpeg.format()->codec, Codec::mjpeg);
}

}  // namespace
}  // namespace switchboard::rtc::sdp
