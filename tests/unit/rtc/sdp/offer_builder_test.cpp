#include "rtc/sdp/offer_builder.hpp"

#include <cstdlib>
#include <fstream>

#include <gtest/gtest.h>

#include "rtc/sdp/answer_builder.hpp"
#include "sdp_fixtures.hpp"

namespace switchboard::rtc::sdp {
namespace {

Format format(MediaKind kind, Codec c, std::uint32_t plid = 0, int mode = -1) {
    Format f;
    f.kind = kind;
    f.codec = c;
    f.profile_level_id = plid;
    f.packetization_mode = mode;
    return f;
}

OfferOptions options() {
    OfferOptions o;
    o.transport = test::test_transport();
    o.session_id = 7317293474830001u;
    o.audio = LocalMedia{{format(MediaKind::audio, Codec::opus), format(MediaKind::audio, Codec::pcmu)},
                         LocalTrack{"sb", "sb-audio", "switchboard", 1111, std::nullopt}};
    o.video = LocalMedia{{format(MediaKind::video, Codec::h264, 0x42e01f, 1), format(MediaKind::video, Codec::vp8)},
                         LocalTrack{"sb", "sb-video", "switchboard", 2222, 3333}};
    return o;
}

TEST(OfferBuilder, AudioAndVideoBundled) {
    auto offer = build_offer(options());
    ASSERT_TRUE(offer.ok()) << offer.error().message;
    ASSERT_EQ(offer->media.size(), 2u);
    EXPECT_EQ(offer->bundle()->mids, (std::vector<std::string>{"0", "1"}));
    EXPECT_TRUE(offer->transport.trickle());
    const auto& a = offer->media[0];
    EXPECT_EQ(a.formats, (std::vector<std::string>{"96", "0"}));
    EXPECT_EQ(a.rtpmap(96)->to_string(), "96 opus/48000/2");
    EXPECT_EQ(a.direction, Direction::sendrecv);
    EXPECT_EQ(a.transport.setup, Setup::actpass);
    EXPECT_TRUE(a.rtcp_mux);
    EXPECT_TRUE(a.rtcp_rsize);
    EXPECT_EQ(a.cname(), "switchboard");
    const auto& v = offer->media[1];
    EXPECT_EQ(v.formats, (std::vector<std::string>{"97", "98", "99", "100"}));
    EXPECT_EQ(v.fmtp(97)->parameters, "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f");
    EXPECT_EQ(v.fmtp(98)->parameters, "apt=97");
    EXPECT_EQ(v.feedback(99).size(), 4u);
    EXPECT_EQ(v.ssrc_groups[0].to_string(), "FID 2222 3333");
    EXPECT_EQ(v.msids[0].to_string(), "sb sb-video");
    EXPECT_EQ(v.extmaps[0].uri, "urn:ietf:params:rtp-hdrext:sdes:mid");
}

// The offer aiortc answered in data/ (generate_aiortc.py); regenerate it with
// SWITCHBOARD_WRITE_SDP_FIXTURES=1 when the builder changes on purpose.
TEST(OfferBuilder, MatchesTheFixtureAiortcAnswered) {
    const auto text = build_offer(options())->to_string();
    if (std::getenv("SWITCHBOARD_WRITE_SDP_FIXTURES")) {
        std::ofstream(std::string(SWITCHBOARD_SOURCE_DIR) + "/tests/unit/rtc/sdp/data/switchboard_offer.sdp",
                      std::ios::binary)
            << text;
    }
    EXPECT_EQ(text, test::fixture("switchboard_offer.sdp"));
}

TEST(OfferBuilder, AiortcAcceptedOurOffer) {
    auto answer = test::parse_fixture("aiortc_answer_to_switchboard.sdp");
    ASSERT_EQ(answer.media.size(), 2u);
    EXPECT_EQ(answer.media[0].payload_types().front(), 96);  // opus
    EXPECT_EQ(answer.media[1].payload_types().front(), 97);  // H264 42e01f mode 1
    EXPECT_EQ(answer.media[1].fmtp(97)->parameters.find("profile-level-id=42e01f") != std::string::npos, true);
    EXPECT_EQ(answer.transport_for(answer.media[1]).setup, Setup::active);
    EXPECT_EQ(answer.media[1].rtpmap(98)->encoding, "rtx");
}

TEST(OfferBuilder, AnswersItself) {
    auto offer = build_offer(options());
    AnswerOptions ao;
    ao.transport = test::test_transport();
    ao.audio.formats = {format(MediaKind::audio, Codec::opus)};
    ao.video.formats = {format(MediaKind::video, Codec::vp8)};
    auto answer = build_answer(offer.value(), ao);
    ASSERT_TRUE(answer.ok());
    EXPECT_EQ(answer->media[0].formats, (std::vector<std::string>{"96"}));
    EXPECT_EQ(answer->media[1].formats, (std::vector<std::string>{"99", "100"}));
}

TEST(OfferBuilder, H264WithoutModeOffersBoth) {
    auto o = options();
    o.audio.reset();
    o.video->formats = {format(MediaKind::video, Codec::h264)};
    o.video->track.reset();
    auto offer = build_offer(o);
    ASSERT_TRUE(offer.ok());
    const auto& v = offer->media[0];
    EXPECT_EQ(v.mid, "0");
    EXPECT_EQ(v.direction, Direction::recvonly);
    EXPECT_EQ(v.formats.size(), 4u);
    EXPECT_EQ(parameter(v.fmtp(96)->parameters, "packetization-mode"), "1");
    EXPECT_EQ(parameter(v.fmtp(97)->parameters, "packetization-mode"), "0");
    EXPECT_EQ(v.fmtp(98)->parameters, "apt=96");
    EXPECT_TRUE(v.ssrcs.empty());
    EXPECT_FALSE(offer->msid_semantic);
}

TEST(OfferBuilder, Refusals) {
    auto o = options();
    o.video->formats = {format(MediaKind::video, Codec::i420)};
    auto r = build_offer(o);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().message.rfind("offer: no video codec to offer", 0), 0u);
    o = options();
    o.video->formats.assign(20, format(MediaKind::video, Codec::vp8));
    EXPECT_EQ(build_offer(o).error().message, "offer: more codecs than dynamic payload types");
    o = options();
    o.transport.fingerprint = {};
    EXPECT_EQ(build_offer(o).error().message, "offer: no local DTLS fingerprint");
    o = options();
    o.audio.reset();
    o.video.reset();
    EXPECT_FALSE(build_offer(o).ok());
}

// A re-offer built from our answer to Chrome: same sections, mids and codecs in the same
// order, the rejected data channel still rejected, new credentials, actpass.
TEST(OfferBuilder, ReofferKeepsSectionsMidsAndCodecs) {
    AnswerOptions ao;
    ao.transport = test::test_transport();
    ao.session_id = 42;
    ao.audio = *options().audio;
    ao.video = *options().video;
    auto answer = build_answer(test::parse_fixture("chrome_offer.sdp"), ao);
    ASSERT_TRUE(answer.ok()) << answer.error().message;
    answer->media[0].candidates.push_back(*Candidate::parse("candidate:1 1 udp 2122260223 127.0.0.1 5000 typ host"));

    ReofferOptions ro;
    ro.transport = test::test_transport();
    ro.transport.ice_ufrag = "nEwU";
    ro.transport.ice_pwd = "NewPasswordOf22Chars0000";
    ro.session_version = 3;
    ro.video_track = LocalTrack{"sb", "sb-video", "switchboard", 2222, 3333};
    auto offer = build_reoffer(answer.value(), ro);
    ASSERT_TRUE(offer.ok()) << offer.error().message;
    ASSERT_EQ(offer->media.size(), answer->media.size());
    EXPECT_EQ(offer->origin.session_id, 42u);
    EXPECT_EQ(offer->origin.session_version, 3u);
    for (std::size_t i = 0; i < offer->media.size(); ++i) {
        EXPECT_EQ(offer->media[i].mid, answer->media[i].mid);
        EXPECT_EQ(offer->media[i].media, answer->media[i].media);
        EXPECT_EQ(offer->media[i].formats, answer->media[i].formats);
        EXPECT_TRUE(offer->media[i].candidates.empty());
    }
    EXPECT_EQ(offer->media[2].port, 0);  // the data channel stays rejected
    EXPECT_EQ(offer->bundle()->mids, answer->bundle()->mids);
    const auto& a = offer->media[0];
    EXPECT_EQ(a.transport.setup, Setup::actpass);
    EXPECT_EQ(a.transport.ice_ufrag, "nEwU");
    EXPECT_EQ(a.direction, Direction::recvonly);  // no audio track this time
    EXPECT_TRUE(a.ssrcs.empty());
    const auto& v = offer->media[1];
    EXPECT_EQ(v.direction, Direction::sendrecv);
    EXPECT_EQ(v.cname(), "switchboard");
    EXPECT_EQ(v.ssrc_groups.size(), 1u);  // RTX was negotiated

    ro.hold = true;
    auto held = build_reoffer(answer.value(), ro);
    ASSERT_TRUE(held.ok());
    EXPECT_EQ(held->media[0].direction, Direction::inactive);
    EXPECT_EQ(held->media[1].direction, Direction::sendonly);
    // It parses back to the same thing.
    auto text = held->to_string();
    auto parsed = SessionDescription::parse(text);
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    EXPECT_EQ(parsed->media[1].direction, Direction::sendonly);
}

}  // namespace
}  // namespace switchboard::rtc::sdp
