#include "rtc/sdp/codec_matcher.hpp"

#include <gtest/gtest.h>

#include "sdp_fixtures.hpp"

namespace switchboard::rtc::sdp {
namespace {

using test::parse_fixture;

RtpCodec h264(const std::string& fmtp, std::uint8_t pt = 102) {
    return {pt, "H264", 90000, std::nullopt, fmtp, {}};
}

Format h264_format(std::uint32_t plid, int mode) {
    Format f;
    f.kind = MediaKind::video;
    f.codec = Codec::h264;
    f.profile_level_id = plid;
    f.packetization_mode = mode;
    return f;
}

Format simple(MediaKind kind, Codec codec) {
    Format f;
    f.kind = kind;
    f.codec = codec;
    return f;
}

std::string answered_plid(const std::string& offered_fmtp, std::uint32_t ours, int mode = 1) {
    auto m = match_codec(h264(offered_fmtp), h264_format(ours, mode));
    if (!m) return "none";
    return parameter(m->fmtp, "profile-level-id").value_or("absent");
}

TEST(RtpCodec, FormatsOfFixtureCodecs) {
    auto d = parse_fixture("chrome_offer.sdp");
    auto audio = rtp_codecs(d.media[0]);
    ASSERT_EQ(audio.size(), 8u);
    auto opus = audio[0].format();
    ASSERT_TRUE(opus);
    EXPECT_EQ(opus->kind, MediaKind::audio);
    EXPECT_EQ(opus->codec, Codec::opus);
    EXPECT_EQ(opus->clock_rate, 48000);
    EXPECT_EQ(opus->channels, 2);
    EXPECT_FALSE(audio[1].format());  // red
    EXPECT_EQ(audio[3].format()->codec, Codec::pcmu);
    EXPECT_EQ(audio[3].format()->channels, 1);

    auto video = rtp_codecs(d.media[1]);
    EXPECT_EQ(video[0].format()->codec, Codec::vp8);
    EXPECT_EQ(video[0].format()->clock_rate, 90000);
    EXPECT_TRUE(video[1].is_rtx());
    EXPECT_EQ(video[1].rtx_primary(), 96);
    EXPECT_FALSE(video[1].format());
    EXPECT_EQ(video[2].format()->profile_level_id, 0x42001fu);
    EXPECT_EQ(video[2].format()->packetization_mode, 1);
    EXPECT_EQ(video[4].format()->packetization_mode, 0);
    EXPECT_EQ(video[0].feedback.size(), 5u);
}

TEST(RtpCodec, H264Defaults) {
    auto f = h264("").format();
    ASSERT_TRUE(f);
    EXPECT_EQ(f->profile_level_id, 0x42000au);  // RFC 6184 §8.1
    EXPECT_EQ(f->packetization_mode, 0);
    EXPECT_EQ(h264("profile-level-id=42c01f").format()->profile_level_id, 0x42e01fu);
    EXPECT_FALSE(h264("profile-level-id=xyz").format());
    RtpCodec pcmu{0, "PCMU", 8000, std::nullopt, "", {}};
    MediaSection static_only;
    static_only.proto = "RTP/AVP";
    static_only.formats = {"0", "8", "18"};
    auto codecs = rtp_codecs(static_only);
    ASSERT_EQ(codecs.size(), 2u);  // 18 has no rtpmap and no static entry we know
    EXPECT_EQ(codecs[1].encoding, "PCMA");
}

TEST(CodecMatcher, H264ConstrainedBaselineSpellingsMatch) {
    EXPECT_EQ(answered_plid("packetization-mode=1;profile-level-id=42c01f", 0x42e01f), "42e01f");
    EXPECT_EQ(answered_plid("packetization-mode=1;profile-level-id=42e01f", 0x42c01f), "42e01f");
    EXPECT_EQ(answered_plid("packetization-mode=1;profile-level-id=4de01f", 0x42e01f), "42e01f");
}

TEST(CodecMatcher, H264ProfilesMustAgree) {
    EXPECT_EQ(answered_plid("packetization-mode=1;profile-level-id=4d001f", 0x42e01f), "none");
    EXPECT_EQ(answered_plid("packetization-mode=1;profile-level-id=42001f", 0x42e01f), "none");
    EXPECT_EQ(answered_plid("packetization-mode=1;profile-level-id=64001f", 0x42e01f), "none");
    // 640c1f is Constrained High (libwebrtc, RFC 7742): not Constrained Baseline.
    EXPECT_EQ(answered_plid("packetization-mode=1;profile-level-id=640c1f", 0x42e01f), "none");
    EXPECT_EQ(answered_plid("packetization-mode=1;profile-level-id=640c1f", 0x640c1f), "640c1f");
    EXPECT_EQ(answered_plid("packetization-mode=1;profile-level-id=4d001f", 0x4d0028), "4d001f");
}

TEST(CodecMatcher, H264PacketizationModesNeverMix) {
    EXPECT_EQ(answered_plid("packetization-mode=0;profile-level-id=42e01f", 0x42e01f, 1), "none");
    EXPECT_EQ(answered_plid("packetization-mode=1;profile-level-id=42e01f", 0x42e01f, 0), "none");
    EXPECT_EQ(answered_plid("profile-level-id=42e01f", 0x42e01f, 1), "none");  // absent means 0
    EXPECT_EQ(answered_plid("profile-level-id=42e01f", 0x42e01f, 0), "42e01f");
    EXPECT_EQ(answered_plid("packetization-mode=1;profile-level-id=42e01f", 0x42e01f, -1), "42e01f");
    EXPECT_EQ(answered_plid("packetization-mode=2;profile-level-id=42e01f", 0x42e01f, -1), "none");
}

TEST(CodecMatcher, H264LevelPerRfc6184) {
    // Level asymmetry allowed by the offerer: we state the level we receive.
    EXPECT_EQ(answered_plid("level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f", 0x42e02a),
              "42e02a");
    EXPECT_EQ(answered_plid("level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f", 0x42e00d),
              "42e00d");
    // Without it the answer holds the lower of the two (§8.2.2).
    EXPECT_EQ(answered_plid("packetization-mode=1;profile-level-id=42e01f", 0x42e02a), "42e01f");
    EXPECT_EQ(answered_plid("packetization-mode=1;profile-level-id=42e01f", 0x42e00d), "42e00d");
    EXPECT_EQ(answered_plid("packetization-mode=1;profile-level-id=42e01f", 0x42f00b), "42f00b");
    // A supported format without a profile takes the offer as it is.
    EXPECT_EQ(answered_plid("packetization-mode=1;profile-level-id=64001f", 0), "64001f");
}

TEST(CodecMatcher, KeepsTheOfferersOtherParameters) {
    auto m = match_codec(h264("level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f"),
                         h264_format(0x42000d, 1));
    ASSERT_TRUE(m);
    EXPECT_EQ(m->fmtp, "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42000d");
    EXPECT_EQ(m->payload_type, 102);
}

TEST(CodecMatcher, OtherCodecs) {
    RtpCodec vp9{98, "VP9", 90000, std::nullopt, "profile-id=2", {}};
    EXPECT_FALSE(match_codec(vp9, simple(MediaKind::video, Codec::vp9)));
    vp9.fmtp = "profile-id=0";
    EXPECT_TRUE(match_codec(vp9, simple(MediaKind::video, Codec::vp9)));
    RtpCodec opus{111, "opus", 48000, 2, "", {}};
    EXPECT_TRUE(match_codec(opus, simple(MediaKind::audio, Codec::opus)));
    Format mono = simple(MediaKind::audio, Codec::opus);
    mono.channels = 1;
    EXPECT_TRUE(match_codec(opus, mono));  // RFC 7587: "/2" says nothing of the stream
    opus.clock_rate = 16000;
    EXPECT_FALSE(match_codec(opus, simple(MediaKind::audio, Codec::opus)));
    RtpCodec vp8{96, "VP8", 90000, std::nullopt, "", {}};
    EXPECT_FALSE(match_codec(vp8, simple(MediaKind::audio, Codec::any)));
    EXPECT_TRUE(match_codec(vp8, simple(MediaKind::video, Codec::any)));
}

TEST(CodecMatcher, PairsRtxWithItsPrimaryInOurOrder) {
    auto d = parse_fixture("aiortc_offer.sdp");
    // aiortc offers 97 VP8 (rtx 98), 99 H264 42001f (rtx 100), 101 H264 42e01f (rtx 102).
    FormatSet ours{h264_format(0x42e01f, 1), simple(MediaKind::video, Codec::vp8)};
    auto chosen = match_codecs(d.media[1], ours);
    ASSERT_EQ(chosen.size(), 4u);
    EXPECT_EQ(chosen[0].payload_type, 101);
    EXPECT_EQ(chosen[1].payload_type, 102);
    EXPECT_EQ(chosen[1].rtx_primary(), 101);
    EXPECT_EQ(chosen[2].payload_type, 97);
    EXPECT_EQ(chosen[3].payload_type, 98);
    MatchOptions no_rtx;
    no_rtx.rtx = false;
    EXPECT_EQ(match_codecs(d.media[1], ours, no_rtx).size(), 2u);
}

TEST(CodecMatcher, IntersectsFeedback) {
    auto d = parse_fixture("chrome_offer.sdp");
    auto chosen = match_codecs(d.media[1], {simple(MediaKind::video, Codec::vp8)});
    ASSERT_EQ(chosen.size(), 2u);
    std::vector<std::string> fb;
    for (const auto& f : chosen[0].feedback) fb.push_back(f.to_string());
    EXPECT_EQ(fb, (std::vector<std::string>{"96 goog-remb", "96 ccm fir", "96 nack", "96 nack pli"}));
    EXPECT_TRUE(chosen[1].feedback.empty());
    MatchOptions with_twcc;
    with_twcc.feedback.transport_cc = true;
    with_twcc.feedback.goog_remb = false;
    chosen = match_codecs(d.media[1], {simple(MediaKind::video, Codec::vp8)}, with_twcc);
    fb.clear();
    for (const auto& f : chosen[0].feedback) fb.push_back(f.to_string());
    EXPECT_EQ(fb, (std::vector<std::string>{"96 transport-cc", "96 ccm fir", "96 nack", "96 nack pli"}));
}

TEST(CodecMatcher, ChromeH264Choices) {
    auto d = parse_fixture("chrome_offer.sdp");
    auto chosen = match_codecs(d.media[1], {h264_format(0x42e01f, 1)});
    ASSERT_EQ(chosen.size(), 2u);
    EXPECT_EQ(chosen[0].payload_type, 106);
    EXPECT_EQ(chosen[1].payload_type, 107);
    chosen = match_codecs(d.media[1], {h264_format(0x42e01f, -1)});
    ASSERT_EQ(chosen.size(), 4u);  // 106 and 108 (mode 0), each with its RTX
    EXPECT_EQ(chosen[2].payload_type, 108);
}

}  // namespace
}  // namespace switchboard::rtc::sdp
