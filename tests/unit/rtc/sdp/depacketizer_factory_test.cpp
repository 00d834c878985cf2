#include "rtc/sdp/depacketizer_factory.hpp"

#include <gtest/gtest.h>

#include "rtc/rtp/aac_depacketizer.hpp"
#include "rtc/rtp/rtp_packet_writer.hpp"
#include "sdp_fixtures.hpp"

namespace switchboard::rtc::sdp {
namespace {

RtpCodec codec(const char* encoding, std::uint32_t clock, std::optional<std::uint16_t> channels = std::nullopt,
               const std::string& fmtp = "") {
    return {96, encoding, clock, channels, fmtp, {}};
}

TEST(DepacketizerFactory, EveryCameraTrack) {
    const auto d = test::parse_fixture("ip_camera.sdp");
    const Codec expected[] = {Codec::h264, Codec::h265, Codec::mjpeg, Codec::aac, Codec::pcma};
    for (std::size_t i = 0; i < d.media.size(); ++i) {
        const auto dp = make_depacketizer(rtp_codecs(d.media[i])[0]);
        ASSERT_TRUE(dp) << i;
        EXPECT_EQ(dp->format().codec, expected[i]) << i;
    }
    const auto aac = make_depacketizer(rtp_codecs(d.media[3])[0]);
    EXPECT_EQ(aac->format().clock_rate, 48000);
    EXPECT_EQ(aac->format().channels, 2);
    const auto pcma = make_depacketizer(rtp_codecs(d.media[4])[0]);
    EXPECT_EQ(pcma->format().clock_rate, 8000);
}

TEST(DepacketizerFactory, WebRtcCodecsAsBefore) {
    EXPECT_EQ(make_depacketizer(codec("VP8", 90000))->format().codec, Codec::vp8);
    EXPECT_EQ(make_depacketizer(codec("H264", 90000, {}, "packetization-mode=1"))->format().codec, Codec::h264);
    const auto opus = make_depacketizer(codec("opus", 48000, 2));
    EXPECT_EQ(opus->format().codec, Codec::opus);
    EXPECT_EQ(opus->format().clock_rate, 48000);
    EXPECT_EQ(opus->format().channels, 0);  // the SDP's "/2" says nothing (RFC 7587 §7)
    EXPECT_EQ(make_depacketizer(codec("PCMU", 8000))->format().codec, Codec::pcmu);
}

TEST(DepacketizerFactory, RefusesWhatCannotBeRead) {
    EXPECT_FALSE(make_depacketizer(codec("rtx", 90000, {}, "apt=96")));
    EXPECT_FALSE(make_depacketizer(codec("VP9", 90000)));
    EXPECT_FALSE(make_depacketizer(codec("telephone-event", 8000)));
    EXPECT_FALSE(make_depacketizer(codec("H264", 90000, {}, "packetization-mode=2")));
    EXPECT_FALSE(make_depacketizer(codec("H265", 90000, {}, "sprop-max-don-diff=2")));
    EXPECT_FALSE(make_depacketizer(codec("H265", 90000, {}, "sprop-depack-buf-nalus=1")));
    EXPECT_TRUE(make_depacketizer(codec("H265", 90000, {}, "sprop-max-don-diff=0")));
    EXPECT_FALSE(make_depacketizer(codec("MPEG4-GENERIC", 48000, 2, "mode=AAC-hbr;maxDisplacement=3")));
}

TEST(DepacketizerFactory, AacDepacketizerUsesTheFmtpLengths) {
    // AAC-lbr: 6-bit sizes, 2-bit indices, one byte per AU header.
    const auto d = make_depacketizer(codec("MPEG4-GENERIC", 16000, 1, "mode=AAC-lbr;config=1408"));
    ASSERT_TRUE(d);
    const std::vector<std::uint8_t> payload = {0, 16, 1 << 2, 2 << 2, 0xaa, 0xbb, 0xcc};
    rtp::RtpPacketWriter w;
    w.marker = true;
    w.payload = payload;
    auto out = d->push(*rtp::RtpPacket::parse(w.to_buffer()).packet);
    ASSERT_EQ(out.frames.size(), 2u);
    EXPECT_EQ(out.frames[1].payload_size(), 2u);
    EXPECT_EQ(out.frames[1].pts - out.frames[0].pts, 1024);
}

}  // namespace
}  // namespace switchboard::rtc::sdp
