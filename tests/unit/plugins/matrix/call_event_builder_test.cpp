// The builders write what matrix-voip.md §1.2–1.3 says each version carries; every built
// event parses back to the same values, and the §1.14 examples are rebuilt exactly.
#include "matrix/call_events/call_event_builder.hpp"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

namespace switchboard::matrix {
namespace {

constexpr const char* kSdp =
    "v=0\r\no=- 46117 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0 1\r\na=msid-semantic: WMS cam1\r\n"
    "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\na=msid:cam1 mic\r\n"
    "m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:1\r\na=msid:cam1 cam\r\n";

const OwnCallParty kV1{"1717171717171aBcDeFgHiJkLmNoP", CallProtocol::v1, "GWk3J9xQ2a"};
const OwnCallParty kV0{"c0", CallProtocol::v0, "ignored"};

rapidjson::Document json(const std::string& text) {
    rapidjson::Document d;
    d.Parse(text.c_str());
    EXPECT_FALSE(d.HasParseError()) << text;
    return d;
}

std::string built(const Result<std::string>& r) {
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? r.value() : std::string("{}");
}

std::string refused(const Result<std::string>& r) {
    EXPECT_FALSE(r.ok()) << (r.ok() ? r.value() : "");
    if (r.ok()) return {};
    EXPECT_EQ(r.error().kind, ErrorKind::refused);
    return r.error().message;
}

template <class T>
T reparse(std::string_view type, const std::string& text) {
    auto r = parse_call_event(type, text);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() && std::holds_alternative<T>(r.value()) ? std::get<T>(r.value()) : T{};
}

// §1.14's invite, with an SDP whose msid stream is the example's "cam1".
TEST(CallEventBuild, WireExampleInviteRoundTrip) {
    InviteParams p{kSdp, 90000, "@alice:example.org", {}};
    const auto text = built(build_invite(kV1, p));
    EXPECT_EQ(
        json(text),
        json(
            std::string(R"({
  "call_id": "1717171717171aBcDeFgHiJkLmNoP", "party_id": "GWk3J9xQ2a", "version": "1",
  "lifetime": 90000, "invitee": "@alice:example.org",
  "offer": {"type": "offer", "sdp": )") +
            R"("v=0\r\no=- 46117 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0 1\r\na=msid-semantic: WMS cam1\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\na=msid:cam1 mic\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:1\r\na=msid:cam1 cam\r\n"},
  "sdp_stream_metadata": {"cam1": {"purpose": "m.usermedia", "audio_muted": false, "video_muted": false}},
  "org.matrix.msc3077.sdp_stream_metadata": {"cam1": {"purpose": "m.usermedia", "audio_muted": false, "video_muted": false}}})"));
    const auto back = reparse<CallInvite>("m.call.invite", text);
    EXPECT_EQ(back.call_id, kV1.call_id);
    EXPECT_EQ(back.party_id, kV1.party_id);
    EXPECT_EQ(back.version, CallVersion::v1());
    EXPECT_EQ(back.lifetime_ms, 90000);
    EXPECT_EQ(back.offer.sdp, kSdp);
}

TEST(CallEventBuild, V1InviteDefaultsAndVersionIsAString) {
    const auto d = json(built(build_invite(kV1, {kSdp, kDefaultLifetimeMs, "@bob:hs", {"m.usermedia", true, false}})));
    ASSERT_TRUE(d["version"].IsString());
    EXPECT_STREQ(d["version"].GetString(), "1");
    EXPECT_EQ(d["lifetime"].GetInt64(), 60000);
    EXPECT_TRUE(d["sdp_stream_metadata"]["cam1"]["audio_muted"].GetBool());
    EXPECT_EQ(InviteParams{}.lifetime_ms, 60000);
    // Without a single callee no invitee is written (Element's own room calls carry none).
    EXPECT_FALSE(json(built(build_invite(kV1, {kSdp, 60000, "", {}}))).HasMember("invitee"));
}

TEST(CallEventBuild, V0InviteCarriesOnlyV0Fields) {
    const auto d = json(built(build_invite(kV0, {kSdp, 60000, "@bob:hs", {}})));
    EXPECT_EQ(
        d,
        json(
            std::string(R"({"call_id":"c0","version":0,"lifetime":60000,"offer":{"type":"offer","sdp":)") +
            R"("v=0\r\no=- 46117 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0 1\r\na=msid-semantic: WMS cam1\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\na=msid:cam1 mic\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:1\r\na=msid:cam1 cam\r\n"}})"));
    ASSERT_TRUE(d["version"].IsInt());
}

TEST(CallEventBuild, MetadataKeysAreTheMsidStreams) {
    const std::string sdp =
        "v=0\r\na=msid-semantic: WMS *\r\nm=audio 9 X 0\r\na=msid:s1 t1\r\nm=video 9 X 96\r\n"
        "a=msid:s1 t2\r\nm=video 9 X 96\r\na=msid:- t3\nm=video 9 X 96\r\na=msid:s2\r\n";
    EXPECT_EQ(msid_streams(sdp), (std::vector<std::string>{"s1", "s2"}));
    const auto ans = reparse<CallAnswer>("m.call.answer", built(build_answer(kV1, sdp)));
    ASSERT_TRUE(ans.sdp_stream_metadata);
    EXPECT_EQ(ans.sdp_stream_metadata->size(), 2u);
    EXPECT_EQ(ans.sdp_stream_metadata->at("s2").purpose, "m.usermedia");
    // No msid, no metadata (a key that is not a stream makes js-sdk throw, §0 item 20).
    EXPECT_FALSE(json(built(build_answer(kV1, "v=0\r\nm=audio 9 X 0\r\n"))).HasMember("sdp_stream_metadata"));
}

TEST(CallEventBuild, AnswerV1AndV0) {
    const auto v1 = json(built(build_answer(kV1, kSdp)));
    EXPECT_STREQ(v1["party_id"].GetString(), "GWk3J9xQ2a");
    EXPECT_STREQ(v1["answer"]["type"].GetString(), "answer");
    EXPECT_TRUE(v1.HasMember("sdp_stream_metadata"));
    const auto v0 = json(built(build_answer(kV0, kSdp)));
    EXPECT_FALSE(v0.HasMember("party_id"));
    EXPECT_FALSE(v0.HasMember("sdp_stream_metadata"));
    EXPECT_EQ(v0["version"].GetInt(), 0);
}

TEST(CallEventBuild, WireExampleCandidatesWithEndMarker) {
    const std::vector<Candidate> list{{"candidate:1 1 udp 2122260223 198.51.100.7 50000 typ host", "0", 0u},
                                      Candidate::end_marker()};
    const OwnCallParty party{"c1", CallProtocol::v1, "GWk3J9xQ2a"};
    const auto text = built(build_candidates(party, list));
    EXPECT_EQ(json(text), json(R"({"call_id": "c1", "party_id": "GWk3J9xQ2a", "version": "1",
  "candidates": [
    {"candidate": "candidate:1 1 udp 2122260223 198.51.100.7 50000 typ host", "sdpMid": "0", "sdpMLineIndex": 0},
    {"candidate": ""}]})"));
    EXPECT_EQ(reparse<CallCandidates>("m.call.candidates", text).candidates, list);
}

TEST(CallEventBuild, CandidateRefusals) {
    EXPECT_EQ(refused(build_candidates(kV1, {})), "m.call.candidates: no candidates");
    EXPECT_EQ(refused(build_candidates(kV1, {Candidate::end_marker(), {"a", "0", 0u}})),
              "m.call.candidates: end-of-candidates must be the last entry");
    EXPECT_EQ(refused(build_candidates(kV1, {{"a", std::nullopt, std::nullopt}})),
              "m.call.candidates: candidate 0 lacks sdpMid/sdpMLineIndex");
    // v0's schema required both fields.
    EXPECT_TRUE(build_candidates(kV1, {{"a", "0", std::nullopt}}).ok());
    EXPECT_EQ(refused(build_candidates(kV0, {{"a", "0", std::nullopt}})),
              "m.call.candidates: candidate 0 lacks sdpMid/sdpMLineIndex");
    const auto v0 = json(built(build_candidates(kV0, {{"a", "0", 0u}, Candidate::end_marker()})));
    EXPECT_FALSE(v0.HasMember("party_id"));
    EXPECT_EQ(v0["candidates"].Size(), 2u);
    EXPECT_EQ(refused(build_candidates(kV1, std::vector<Candidate>(kMaxCandidatesPerEvent + 1, {"a", "0", 0u}))),
              "m.call.candidates: 257 candidates, more than 256");
}

TEST(CallEventBuild, WireExamplesSelectRejectHangup) {
    const OwnCallParty party{"c1", CallProtocol::v1, "GWk3J9xQ2a"};
    EXPECT_EQ(json(built(build_select_answer(party, "ALICEDEV"))),
              json(R"({"call_id": "c1", "party_id": "GWk3J9xQ2a", "version": "1", "selected_party_id": "ALICEDEV"})"));
    EXPECT_EQ(json(built(build_reject(party))), json(R"({"call_id": "c1", "party_id": "GWk3J9xQ2a", "version": "1"})"));
    EXPECT_EQ(json(built(build_hangup(party, HangupReason::user_hangup))),
              json(R"({"call_id": "c1", "party_id": "GWk3J9xQ2a", "version": "1", "reason": "user_hangup"})"));
    const auto busy = reparse<CallReject>("m.call.reject", built(build_reject(party, HangupReason::user_busy)));
    EXPECT_EQ(busy.reason, "user_busy");
}

TEST(CallEventBuild, NegotiateRoundTrip) {
    const auto text = built(build_negotiate(kV1, "offer", kSdp));
    const auto back = reparse<CallNegotiate>("m.call.negotiate", text);
    EXPECT_EQ(back.description.type, "offer");
    EXPECT_EQ(back.lifetime_ms, 60000);
    EXPECT_EQ(back.sdp_stream_metadata->count("cam1"), 1u);
    EXPECT_EQ(reparse<CallNegotiate>("m.call.negotiate", built(build_negotiate(kV1, "answer", kSdp))).description.type,
              "answer");
    EXPECT_EQ(refused(build_negotiate(kV1, "pranswer", kSdp)),
              "m.call.negotiate: description type must be offer or answer");
}

TEST(CallEventBuild, V1OnlyEventsRefusedForV0) {
    EXPECT_EQ(refused(build_select_answer(kV0, "x")), "m.call.select_answer: not part of version 0");
    EXPECT_EQ(refused(build_reject(kV0)), "m.call.reject: not part of version 0, send m.call.hangup");
    EXPECT_EQ(refused(build_negotiate(kV0, "offer", kSdp)), "m.call.negotiate: not part of version 0");
}

TEST(CallEventBuild, HangupV0LeavesOutUserHangupOnly) {
    EXPECT_EQ(json(built(build_hangup(kV0, HangupReason::user_hangup))), json(R"({"call_id":"c0","version":0})"));
    EXPECT_EQ(json(built(build_hangup(kV0, HangupReason::user_busy))),
              json(R"({"call_id":"c0","version":0,"reason":"user_busy"})"));
    EXPECT_EQ(json(built(build_hangup(kV0, HangupReason::invite_timeout))),
              json(R"({"call_id":"c0","version":0,"reason":"invite_timeout"})"));
    for (auto reason :
         {HangupReason::ice_failed, HangupReason::ice_timeout, HangupReason::invite_timeout, HangupReason::user_hangup,
          HangupReason::user_media_failed, HangupReason::user_busy, HangupReason::unknown_error}) {
        const auto back = reparse<CallHangup>("m.call.hangup", built(build_hangup(kV1, reason)));
        EXPECT_TRUE(back.reason_present);
        EXPECT_EQ(back.known_reason(), reason);
    }
}

TEST(CallEventBuild, IdentityAndInputChecks) {
    EXPECT_TRUE(is_opaque_id("GWk3J9xQ2a"));
    EXPECT_TRUE(is_opaque_id("a.b_c~d-e"));
    EXPECT_FALSE(is_opaque_id(""));
    EXPECT_FALSE(is_opaque_id("a b"));
    EXPECT_FALSE(is_opaque_id("…"));
    EXPECT_FALSE(is_opaque_id(std::string(256, 'a')));
    EXPECT_EQ(refused(build_hangup({"c 1", CallProtocol::v1, "P1234567"}, HangupReason::user_hangup)),
              "m.call.hangup: call_id must be 1-255 chars of [0-9A-Za-z._~-]");
    EXPECT_EQ(refused(build_hangup({"c1", CallProtocol::v1, ""}, HangupReason::user_hangup)),
              "m.call.hangup: party_id must be 1-255 chars of [0-9A-Za-z._~-]");
    // v0 has no party_id, so none is needed.
    EXPECT_TRUE(build_hangup({"c1", CallProtocol::v0, ""}, HangupReason::user_hangup).ok());
    EXPECT_EQ(refused(build_invite(kV1, {std::string(kMaxSdpBytes + 1, 'v'), 60000, "@a:hs", {}})),
              "m.call.invite: SDP of 65537 bytes, more than 65536");
    EXPECT_EQ(refused(build_invite(kV1, {"", 60000, "@a:hs", {}})), "m.call.invite: empty SDP");
    EXPECT_EQ(refused(build_invite(kV1, {kSdp, 3000, "@a:hs", {}})),
              "m.call.invite: lifetime 3000 ms is too short to ring (min 3001)");
    EXPECT_EQ(refused(build_invite(kV1, {kSdp, 60000, "alice", {}})), "m.call.invite: invitee must be a user ID");
}

}  // namespace
}  // namespace switchboard::matrix
