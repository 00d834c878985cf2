#include "rtc/sdp/answer_builder.hpp"

#include <gtest/gtest.h>

#include "sdp_fixtures.hpp"

namespace switchboard::rtc::sdp {
namespace {

using test::parse_fixture;

Format video(Codec c, std::uint32_t plid = 0, int mode = -1) {
    Format f;
    f.kind = MediaKind::video;
    f.codec = c;
    f.profile_level_id = plid;
    f.packetization_mode = mode;
    return f;
}

Format audio(Codec c) {
    Format f;
    f.kind = MediaKind::audio;
    f.codec = c;
    return f;
}

AnswerOptions options(bool tracks) {
    AnswerOptions o;
    o.transport = test::test_transport();
    o.session_id = 42;
    o.audio.formats = {audio(Codec::opus), audio(Codec::pcmu)};
    o.video.formats = {video(Codec::h264, 0x42e01f, 1), video(Codec::vp8)};
    if (tracks) {
        o.audio.track = LocalTrack{"sb", "sb-audio", "switchboard", 1111, std::nullopt};
        o.video.track = LocalTrack{"sb", "sb-video", "switchboard", 2222, 3333};
    }
    return o;
}

SessionDescription answer_to(const char* fixture, const AnswerOptions& o) {
    auto a = build_answer(parse_fixture(fixture), o);
    EXPECT_TRUE(a.ok()) << (a.ok() ? "" : a.error().message);
    return a.ok() ? a.value() : SessionDescription{};
}

TEST(AnswerBuilder, AnswersChromeWithTheDataChannelRejected) {
    auto a = answer_to("chrome_offer.sdp", options(false));
    ASSERT_EQ(a.media.size(), 3u);
    EXPECT_EQ(a.media[0].mid, "0");
    EXPECT_EQ(a.media[1].mid, "1");
    EXPECT_EQ(a.media[2].mid, "2");
    ASSERT_NE(a.bundle(), nullptr);
    EXPECT_EQ(a.bundle()->mids, (std::vector<std::string>{"0", "1"}));
    EXPECT_TRUE(a.transport.trickle());
    EXPECT_EQ(a.origin.session_id, 42u);

    const auto& dc = a.media[2];
    EXPECT_EQ(dc.port, 0);
    EXPECT_EQ(dc.media, "application");
    EXPECT_EQ(dc.proto, "UDP/DTLS/SCTP");
    EXPECT_EQ(dc.formats, (std::vector<std::string>{"webrtc-datachannel"}));
    MediaSection expected;
    expected.media = "application";
    expected.port = 0;
    expected.proto = "UDP/DTLS/SCTP";
    expected.formats = {"webrtc-datachannel"};
    expected.connection = Connection{};
    expected.mid = "2";
    EXPECT_EQ(dc, expected);  // nothing beyond the mid

    const auto& v = a.media[1];
    EXPECT_EQ(v.port, 9);
    EXPECT_EQ(v.direction, Direction::recvonly);  // no track to send
    EXPECT_EQ(v.transport.setup, Setup::active);
    EXPECT_EQ(v.transport.ice_ufrag, "sWbd");
    EXPECT_EQ(v.transport.fingerprint, test::test_transport().fingerprint);
    EXPECT_TRUE(v.rtcp_mux);
    EXPECT_TRUE(v.rtcp_rsize);
    EXPECT_EQ(v.formats, (std::vector<std::string>{"106", "107", "96", "97"}));
    EXPECT_EQ(v.fmtp(106)->parameters, "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f");
    ASSERT_EQ(v.extmaps.size(), 1u);
    EXPECT_EQ(v.extmaps[0].id, 4);  // the offerer's id for sdes:mid
    EXPECT_TRUE(v.ssrcs.empty());
    EXPECT_TRUE(v.msids.empty());
    EXPECT_EQ(a.media[0].formats, (std::vector<std::string>{"111", "0"}));
}

TEST(AnswerBuilder, SendsTracksWithSsrcsAndRtx) {
    auto a = answer_to("chrome_offer.sdp", options(true));
    const auto& v = a.media[1];
    EXPECT_EQ(v.direction, Direction::sendrecv);
    ASSERT_EQ(v.msids.size(), 1u);
    EXPECT_EQ(v.msids[0].to_string(), "sb sb-video");
    ASSERT_EQ(v.ssrc_groups.size(), 1u);
    EXPECT_EQ(v.ssrc_groups[0].to_string(), "FID 2222 3333");
    EXPECT_EQ(v.cname(), "switchboard");
    EXPECT_EQ(v.ssrcs.size(), 4u);
    EXPECT_EQ(a.media[0].ssrcs.size(), 2u);  // audio: no RTX
    EXPECT_TRUE(a.msid_semantic);
}

TEST(AnswerBuilder, MirrorsDirections) {
    EXPECT_EQ(answer_direction(Direction::sendonly, true), Direction::recvonly);
    EXPECT_EQ(answer_direction(Direction::sendonly, false), Direction::recvonly);
    EXPECT_EQ(answer_direction(Direction::recvonly, true), Direction::sendonly);
    EXPECT_EQ(answer_direction(Direction::recvonly, false), Direction::inactive);
    EXPECT_EQ(answer_direction(Direction::sendrecv, true), Direction::sendrecv);
    EXPECT_EQ(answer_direction(Direction::sendrecv, false), Direction::recvonly);
    EXPECT_EQ(answer_direction(Direction::inactive, true), Direction::inactive);

    auto offer = parse_fixture("chrome_offer.sdp");
    offer.media[0].direction = Direction::sendonly;
    offer.media[1].direction = Direction::recvonly;
    auto a = build_answer(offer, options(true));
    ASSERT_TRUE(a.ok());
    EXPECT_EQ(a->media[0].direction, Direction::recvonly);
    EXPECT_TRUE(a->media[0].ssrcs.empty());
    EXPECT_EQ(a->media[1].direction, Direction::sendonly);
}

TEST(AnswerBuilder, DtlsRoles) {
    EXPECT_EQ(answer_setup(Setup::actpass), Setup::active);
    EXPECT_EQ(answer_setup(Setup::active), Setup::passive);
    EXPECT_EQ(answer_setup(Setup::passive), Setup::active);
    EXPECT_EQ(answer_setup(std::nullopt), Setup::passive);
    // Firefox puts the fingerprint at session level and setup in each section.
    auto a = answer_to("firefox_offer.sdp", options(false));
    EXPECT_EQ(a.media[0].transport.setup, Setup::active);
}

TEST(AnswerBuilder, AnswersFirefox) {
    auto a = answer_to("firefox_offer.sdp", options(false));
    ASSERT_EQ(a.media.size(), 3u);
    EXPECT_EQ(a.media[0].formats, (std::vector<std::string>{"109", "0"}));
    // 126 is H264 mode 1 (rtx 127); 97 is mode 0 and stays out.
    EXPECT_EQ(a.media[1].formats, (std::vector<std::string>{"126", "127", "120", "124"}));
    EXPECT_EQ(a.media[2].port, 0);
}

TEST(AnswerBuilder, RejectsSectionsWithoutACommonCodec) {
    auto o = options(false);
    o.video.formats = {video(Codec::av1)};
    auto a = answer_to("aiortc_offer_dc.sdp", o);
    ASSERT_EQ(a.media.size(), 3u);
    EXPECT_EQ(a.media[0].port, 9);
    EXPECT_EQ(a.media[1].port, 0);
    EXPECT_EQ(a.media[1].formats, (std::vector<std::string>{"97", "98", "99", "100", "101", "102"}));
    EXPECT_TRUE(a.media[1].rtpmaps.empty());
    EXPECT_EQ(a.media[2].port, 0);  // aiortc's DTLS/SCTP data channel
    EXPECT_EQ(a.bundle()->mids, (std::vector<std::string>{"0"}));
}

TEST(AnswerBuilder, RequiresRtcpMuxUnlessTold) {
    auto offer = parse_fixture("aiortc_offer.sdp");
    offer.media[0].rtcp_mux = false;
    auto o = options(false);
    EXPECT_EQ(build_answer(offer, o)->media[0].port, 0);
    o.require_rtcp_mux = false;
    EXPECT_EQ(build_answer(offer, o)->media[0].port, 9);
}

TEST(AnswerBuilder, RefusesIncompleteParameters) {
    auto o = options(false);
    o.transport.ice_pwd.clear();
    auto a = build_answer(parse_fixture("chrome_offer.sdp"), o);
    ASSERT_FALSE(a.ok());
    EXPECT_EQ(a.error().message, "answer: no local ICE ufrag/pwd");
    SessionDescription empty;
    EXPECT_FALSE(build_answer(empty, options(false)).ok());
}

TEST(AnswerBuilder, AnswersRoundTrip) {
    for (const char* name : {"chrome_offer.sdp", "firefox_offer.sdp", "aiortc_offer_dc.sdp"}) {
        auto a = answer_to(name, options(true));
        auto again = SessionDescription::parse(a.to_string());
        ASSERT_TRUE(again.ok()) << again.error().message;
        EXPECT_EQ(again.value(), a) << name;
    }
}

// RFC 8842 §5.5: a re-answer keeps the role of the running DTLS association even when
// the re-offer says actpass (where a first answer would say active).
TEST(AnswerBuilder, ReanswerKeepsTheDtlsRole) {
    auto o = options(true);
    o.setup = Setup::passive;
    auto a = answer_to("chrome_offer.sdp", o);
    ASSERT_EQ(a.media.size(), 3u);
    EXPECT_EQ(a.media[0].transport.setup, Setup::passive);
    EXPECT_EQ(a.media[1].transport.setup, Setup::passive);
    EXPECT_EQ(a.media[0].mid, "0");
    EXPECT_EQ(a.media[1].mid, "1");
}

// Holding the peer in an answer: nothing is received, what we send goes on.
TEST(AnswerBuilder, HoldAnswersWithoutReceiving) {
    auto offer = parse_fixture("chrome_offer.sdp");
    offer.media[1].direction = Direction::sendonly;
    auto o = options(true);
    o.hold = true;
    auto a = build_answer(offer, o);
    ASSERT_TRUE(a.ok()) << a.error().message;
    EXPECT_EQ(a->media[0].direction, Direction::sendonly);
    EXPECT_EQ(a->media[1].direction, Direction::inactive);
    EXPECT_EQ(without_receive(Direction::sendrecv), Direction::sendonly);
    EXPECT_EQ(without_receive(Direction::recvonly), Direction::inactive);
}

// The peer holds us (js-sdk: both sections sendonly): we answer recvonly, and the track we
// announced before stays (a=msid, a=ssrc with the RTX group) where keep_track_mids says, so
// libwebrtc keeps its receive stream for our SSRC through the hold; elsewhere it goes.
TEST(AnswerBuilder, AHeldSectionKeepsTheTrackWeAnnounced) {
    auto offer = parse_fixture("chrome_offer.sdp");
    offer.media[0].direction = Direction::sendonly;
    offer.media[1].direction = Direction::sendonly;
    auto o = options(true);
    o.keep_track_mids = {"1"};
    auto a = build_answer(offer, o);
    ASSERT_TRUE(a.ok()) << a.error().message;
    EXPECT_EQ(a->media[0].direction, Direction::recvonly);
    EXPECT_TRUE(a->media[0].msids.empty());
    EXPECT_TRUE(a->media[0].ssrcs.empty());
    const auto& v = a->media[1];
    EXPECT_EQ(v.direction, Direction::recvonly);
    ASSERT_EQ(v.msids.size(), 1u);
    EXPECT_EQ(v.msids[0].track_id, "sb-video");
    ASSERT_FALSE(v.ssrcs.empty());
    EXPECT_EQ(v.ssrcs[0].ssrc, 2222u);
    ASSERT_EQ(v.ssrc_groups.size(), 1u);
    EXPECT_EQ(v.ssrc_groups[0].ssrcs, (std::vector<std::uint32_t>{2222, 3333}));
    EXPECT_TRUE(a->msid_semantic.has_value());
}

}  // namespace
}  // namespace switchboard::rtc::sdp
