// The parser of m.call.* contents: the wire examples of matrix-voip.md §1.14, the v0/v1
// differences of §1.2–1.3, and one test per reason it refuses an event.
#include "matrix/call_events/call_event.hpp"

#include <string>

#include <gtest/gtest.h>

namespace switchboard::matrix {
namespace {

template <class T>
T parse_as(std::string_view type, std::string_view json) {
    auto r = parse_call_event(type, json);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    if (!r.ok()) return T{};
    EXPECT_TRUE(std::holds_alternative<T>(r.value()));
    return std::holds_alternative<T>(r.value()) ? std::get<T>(r.value()) : T{};
}

std::string refusal(std::string_view type, std::string_view json) {
    auto r = parse_call_event(type, json);
    EXPECT_FALSE(r.ok()) << "accepted: " << json;
    if (r.ok()) return {};
    EXPECT_EQ(r.error().kind, ErrorKind::protocol);
    EXPECT_EQ(r.error().endpoint, std::string(type.size() > 255 ? "event" : type));
    return r.error().message;
}

// §1.14, verbatim but for the shortened SDP.
TEST(CallEventParse, WireExampleInvite) {
    const auto e = parse_as<CallInvite>("m.call.invite", R"({
  "call_id": "1717171717171aBcDeFgHiJkLmNoP", "party_id": "GWk3J9xQ2a", "version": "1",
  "lifetime": 90000, "invitee": "@alice:example.org",
  "offer": {"type": "offer", "sdp": "v=0\r\no=- 46117 2 IN IP4 127.0.0.1\r\n..."},
  "sdp_stream_metadata": {"cam1": {"purpose": "m.usermedia", "audio_muted": false, "video_muted": false}}})");
    EXPECT_EQ(e.call_id, "1717171717171aBcDeFgHiJkLmNoP");
    EXPECT_EQ(e.party_id, "GWk3J9xQ2a");
    EXPECT_EQ(e.version, CallVersion::v1());
    EXPECT_EQ(e.lifetime_ms, 90000);
    EXPECT_EQ(e.invitee, "@alice:example.org");
    EXPECT_EQ(e.offer.type, "offer");
    EXPECT_EQ(e.offer.sdp, "v=0\r\no=- 46117 2 IN IP4 127.0.0.1\r\n...");
    ASSERT_TRUE(e.sdp_stream_metadata);
    ASSERT_EQ(e.sdp_stream_metadata->size(), 1u);
    EXPECT_EQ(e.sdp_stream_metadata->at("cam1"), (StreamMetadata{"m.usermedia", false, false}));
}

TEST(CallEventParse, WireExampleAnswerIgnoresCapabilities) {
    const auto e = parse_as<CallAnswer>("m.call.answer", R"({"call_id": "…", "party_id": "ALICEDEV", "version": "1",
  "answer": {"type": "answer", "sdp": "v=0\r\n..."},
  "sdp_stream_metadata": {"9f1c…": {"purpose": "m.usermedia", "audio_muted": false, "video_muted": true}},
  "capabilities": {"m.call.transferee": false, "m.call.dtmf": false}})");
    EXPECT_EQ(e.call_id, "…");
    EXPECT_EQ(e.party_id, "ALICEDEV");
    EXPECT_EQ(e.answer.sdp, "v=0\r\n...");
    ASSERT_TRUE(e.sdp_stream_metadata);
    EXPECT_TRUE(e.sdp_stream_metadata->at("9f1c…").video_muted);
}

TEST(CallEventParse, WireExampleCandidatesWithEndMarker) {
    const auto e =
        parse_as<CallCandidates>("m.call.candidates", R"({"call_id": "…", "party_id": "GWk3J9xQ2a", "version": "1",
  "candidates": [
    {"candidate": "candidate:1 1 udp 2122260223 198.51.100.7 50000 typ host", "sdpMid": "0", "sdpMLineIndex": 0},
    {"candidate": ""}]})");
    ASSERT_EQ(e.candidates.size(), 2u);
    EXPECT_EQ(e.candidates[0].candidate, "candidate:1 1 udp 2122260223 198.51.100.7 50000 typ host");
    EXPECT_EQ(e.candidates[0].sdp_mid, "0");
    EXPECT_EQ(e.candidates[0].sdp_mline_index, 0u);
    EXPECT_FALSE(e.candidates[0].end_of_candidates());
    EXPECT_TRUE(e.candidates[1].end_of_candidates());
    EXPECT_TRUE(e.has_end_of_candidates());
}

TEST(CallEventParse, WireExamplesSelectRejectHangupNegotiate) {
    const auto sel = parse_as<CallSelectAnswer>(
        "m.call.select_answer",
        R"({"call_id": "…", "party_id": "GWk3J9xQ2a", "version": "1", "selected_party_id": "ALICEDEV"})");
    EXPECT_EQ(sel.selected_party_id, "ALICEDEV");
    const auto rej =
        parse_as<CallReject>("m.call.reject", R"({"call_id": "…", "party_id": "GWk3J9xQ2a", "version": "1"})");
    EXPECT_EQ(rej.party_id, "GWk3J9xQ2a");
    EXPECT_FALSE(rej.reason);
    const auto hup = parse_as<CallHangup>(
        "m.call.hangup", R"({"call_id": "…", "party_id": "GWk3J9xQ2a", "version": "1", "reason": "user_hangup"})");
    EXPECT_EQ(hup.reason, "user_hangup");
    EXPECT_TRUE(hup.reason_present);
    EXPECT_EQ(hup.known_reason(), HangupReason::user_hangup);
    const auto neg =
        parse_as<CallNegotiate>("m.call.negotiate", R"({"call_id": "…", "party_id": "ALICEDEV", "version": "1",
  "lifetime": 60000, "description": {"type": "offer", "sdp": "v=0\r\n..."}, "sdp_stream_metadata": {}})");
    EXPECT_EQ(neg.description.type, "offer");
    EXPECT_EQ(neg.lifetime_ms, 60000);
    ASSERT_TRUE(neg.sdp_stream_metadata);
    EXPECT_TRUE(neg.sdp_stream_metadata->empty());
}

TEST(CallEventParse, WireExampleV0Invite) {
    const auto e = parse_as<CallInvite>(
        "m.call.invite", R"({"call_id":"c0","version":0,"lifetime":60000,"offer":{"type":"offer","sdp":"v=0"}})");
    EXPECT_TRUE(e.version.is_v0());
    EXPECT_FALSE(e.party_id);
    EXPECT_EQ(e.lifetime_ms, 60000);
}

// §1.2 / checklist 2: only 0 is v0; anything else present is handled as "1".
TEST(CallEventParse, VersionVariants) {
    const auto version_of = [](std::string_view v) {
        return parse_as<CallReject>("m.call.reject",
                                    std::string(R"({"call_id":"c","party_id":"p","version":)") + std::string(v) + "}")
            .version;
    };
    EXPECT_EQ(version_of(R"("1")").wire(), CallVersion::Wire::v1);
    const auto number_one = version_of("1");
    EXPECT_EQ(number_one.wire(), CallVersion::Wire::other);
    EXPECT_FALSE(number_one.is_v0());
    EXPECT_EQ(number_one.raw(), "1");
    EXPECT_EQ(version_of(R"("2")").raw(), R"("2")");
    EXPECT_FALSE(version_of(R"("0")").is_v0());  // the string "0" is not v0 (js-sdk: === 0)
    EXPECT_TRUE(parse_as<CallHangup>("m.call.hangup", R"({"call_id":"c","version":0.0})").version.is_v0());
}

TEST(CallEventParse, VersionRefusals) {
    EXPECT_EQ(refusal("m.call.hangup", R"({"call_id":"c","party_id":"p"})"),
              "m.call.hangup: /version: required field missing");
    EXPECT_EQ(refusal("m.call.hangup", R"({"call_id":"c","party_id":"p","version":null})"),
              "m.call.hangup: /version: required field missing");
    EXPECT_EQ(refusal("m.call.hangup", R"({"call_id":"c","party_id":"p","version":{"v":1}})"),
              "m.call.hangup: /version: expected string \"1\" or integer 0, found object");
    EXPECT_EQ(refusal("m.call.hangup", R"({"call_id":"c","party_id":"p","version":true})"),
              "m.call.hangup: /version: expected string \"1\" or integer 0, found boolean");
    EXPECT_EQ(refusal("m.call.hangup", R"({"call_id":"c","party_id":"p","version":[0]})"),
              "m.call.hangup: /version: expected string \"1\" or integer 0, found array");
}

TEST(CallEventParse, PartyIdRequiredInV1OnlyIgnoredInV0) {
    EXPECT_EQ(refusal("m.call.hangup", R"({"call_id":"c","version":"1"})"),
              "m.call.hangup: /party_id: required field missing");
    EXPECT_EQ(refusal("m.call.hangup", R"({"call_id":"c","version":"1","party_id":""})"),
              "m.call.hangup: /party_id: must not be empty");
    EXPECT_EQ(refusal("m.call.hangup", R"({"call_id":"c","version":"1","party_id":7})"),
              "m.call.hangup: /party_id: expected string, found number");
    EXPECT_FALSE(parse_as<CallHangup>("m.call.hangup", R"({"call_id":"c","version":0})").party_id);
    EXPECT_FALSE(parse_as<CallHangup>("m.call.hangup", R"({"call_id":"c","version":0,"party_id":7})").party_id);
    EXPECT_EQ(parse_as<CallHangup>("m.call.hangup", R"({"call_id":"c","version":0,"party_id":"P"})").party_id, "P");
}

TEST(CallEventParse, CallIdRequired) {
    EXPECT_EQ(refusal("m.call.reject", R"({"version":"1","party_id":"p"})"),
              "m.call.reject: /call_id: required field missing");
    EXPECT_EQ(refusal("m.call.reject", R"({"call_id":"","version":"1","party_id":"p"})"),
              "m.call.reject: /call_id: must not be empty");
    EXPECT_EQ(refusal("m.call.reject", R"({"call_id":["c"],"version":"1","party_id":"p"})"),
              "m.call.reject: /call_id: expected string, found array");
    EXPECT_EQ(
        refusal("m.call.reject", R"({"call_id":")" + std::string(256, 'a') + R"(","version":"1","party_id":"p"})"),
        "m.call.reject: /call_id: 256 bytes, more than 255");
}

TEST(CallEventParse, V1OnlyEventsRefusedAtVersion0) {
    EXPECT_EQ(refusal("m.call.reject", R"({"call_id":"c","version":0})"),
              "m.call.reject: /version: m.call.reject exists only in version \"1\", found 0");
    EXPECT_EQ(refusal("m.call.select_answer", R"({"call_id":"c","version":0,"selected_party_id":"x"})"),
              "m.call.select_answer: /version: m.call.select_answer exists only in version \"1\", found 0");
    EXPECT_EQ(refusal("m.call.negotiate",
                      R"({"call_id":"c","version":0,"lifetime":1,"description":{"type":"offer","sdp":"v=0"}})"),
              "m.call.negotiate: /version: m.call.negotiate exists only in version \"1\", found 0");
}

TEST(CallEventParse, V0InviteAndAnswerIgnoreMetadata) {
    const auto inv = parse_as<CallInvite>(
        "m.call.invite",
        R"({"call_id":"c","version":0,"lifetime":60000,"offer":{"type":"offer","sdp":"v=0"},"sdp_stream_metadata":5})");
    EXPECT_FALSE(inv.sdp_stream_metadata);
    const auto ans = parse_as<CallAnswer>(
        "m.call.answer",
        R"({"call_id":"c","version":0,"answer":{"type":"answer","sdp":"v=0"},"sdp_stream_metadata":{"s":{"purpose":"m.usermedia"}}})");
    EXPECT_FALSE(ans.sdp_stream_metadata);
}

TEST(CallEventParse, ErrorNamesTheJsonPointer) {
    EXPECT_EQ(
        refusal("m.call.invite",
                R"({"call_id":"c","party_id":"p","version":"1","lifetime":60000,"offer":{"type":"offer","sdp":5}})"),
        "m.call.invite: /offer/sdp: expected string, found number");
    EXPECT_EQ(refusal("m.call.invite", R"({"call_id":"c","party_id":"p","version":"1","lifetime":60000})"),
              "m.call.invite: /offer: required field missing");
    EXPECT_EQ(
        refusal("m.call.invite", R"({"call_id":"c","party_id":"p","version":"1","lifetime":60000,"offer":"v=0"})"),
        "m.call.invite: /offer: expected object, found string");
    EXPECT_EQ(
        refusal("m.call.invite",
                R"({"call_id":"c","party_id":"p","version":"1","lifetime":60000,"offer":{"type":"answer","sdp":"v"}})"),
        "m.call.invite: /offer/type: expected \"offer\", found \"answer\"");
    EXPECT_EQ(refusal("m.call.answer", R"({"call_id":"c","party_id":"p","version":"1","answer":{"sdp":"v"}})"),
              "m.call.answer: /answer/type: required field missing");
    EXPECT_EQ(
        refusal("m.call.answer", R"({"call_id":"c","party_id":"p","version":"1","answer":{"type":"answer","sdp":""}})"),
        "m.call.answer: /answer/sdp: must not be empty");
    EXPECT_EQ(refusal("m.call.negotiate", R"({"call_id":"c","party_id":"p","version":"1","lifetime":1,
                      "description":{"type":"pranswer","sdp":"v"}})"),
              "m.call.negotiate: /description/type: expected \"offer\" or \"answer\", found \"pranswer\"");
}

TEST(CallEventParse, LifetimeAndInvitee) {
    const std::string head = R"({"call_id":"c","party_id":"p","version":"1","offer":{"type":"offer","sdp":"v"})";
    EXPECT_EQ(refusal("m.call.invite", head + "}"), "m.call.invite: /lifetime: required field missing");
    EXPECT_EQ(refusal("m.call.invite", head + R"(,"lifetime":"60000"})"),
              "m.call.invite: /lifetime: expected integer, found string");
    EXPECT_EQ(refusal("m.call.invite", head + R"(,"lifetime":6.5})"),
              "m.call.invite: /lifetime: expected integer, found number");
    EXPECT_EQ(refusal("m.call.invite", head + R"(,"lifetime":-1})"), "m.call.invite: /lifetime: must not be negative");
    EXPECT_EQ(refusal("m.call.invite", head + R"(,"lifetime":60000,"invitee":"alice"})"),
              "m.call.invite: /invitee: expected a user ID starting with '@'");
    EXPECT_EQ(refusal("m.call.invite", head + R"(,"lifetime":60000,"invitee":1})"),
              "m.call.invite: /invitee: expected string, found number");
    EXPECT_FALSE(parse_as<CallInvite>("m.call.invite", head + R"(,"lifetime":60000,"invitee":null})").invitee);
    EXPECT_EQ(refusal("m.call.negotiate", R"({"call_id":"c","party_id":"p","version":"1",
                      "description":{"type":"offer","sdp":"v"}})"),
              "m.call.negotiate: /lifetime: required field missing");
}

TEST(CallEventParse, SdpLimit) {
    const auto invite = [](std::size_t sdp_size) {
        return R"({"call_id":"c","party_id":"p","version":"1","lifetime":60000,"offer":{"type":"offer","sdp":")" +
               std::string(sdp_size, 'x') + R"("}})";
    };
    EXPECT_EQ(parse_as<CallInvite>("m.call.invite", invite(kMaxSdpBytes)).offer.sdp.size(), kMaxSdpBytes);
    EXPECT_EQ(refusal("m.call.invite", invite(kMaxSdpBytes + 1)),
              "m.call.invite: /offer/sdp: 65537 bytes, more than 65536");
}

std::string candidates_event(const std::string& list) {
    return R"({"call_id":"c","party_id":"p","version":"1","candidates":)" + list + "}";
}

TEST(CallEventParse, EndOfCandidatesForms) {
    const auto e =
        parse_as<CallCandidates>("m.call.candidates", candidates_event(R"([{"candidate":""},{},{"candidate":null},
                                               {"candidate":"","sdpMid":"0","sdpMLineIndex":0}])"));
    ASSERT_EQ(e.candidates.size(), 4u);
    for (const auto& c : e.candidates) EXPECT_TRUE(c.end_of_candidates());
    // [] is valid and signals nothing (§1.10).
    const auto empty = parse_as<CallCandidates>("m.call.candidates", candidates_event("[]"));
    EXPECT_TRUE(empty.candidates.empty());
    EXPECT_FALSE(empty.has_end_of_candidates());
}

TEST(CallEventParse, CandidatesLenientButTyped) {
    // One of sdpMid / sdpMLineIndex is enough (spec 1.10); extra keys are ignored.
    const auto e = parse_as<CallCandidates>(
        "m.call.candidates",
        candidates_event(R"([{"candidate":"a","sdpMid":"0"},{"candidate":"b","sdpMLineIndex":1,"usernameFragment":"u"},
                            {"candidate":"c","sdpMid":null,"sdpMLineIndex":2}])"));
    ASSERT_EQ(e.candidates.size(), 3u);
    EXPECT_FALSE(e.candidates[0].sdp_mline_index);
    EXPECT_EQ(e.candidates[1].sdp_mline_index, 1u);
    EXPECT_FALSE(e.candidates[2].sdp_mid);
    EXPECT_EQ(refusal("m.call.candidates", candidates_event(R"([{"candidate":"a"}])")),
              "m.call.candidates: /candidates/0: needs sdpMid or sdpMLineIndex");
    EXPECT_EQ(refusal("m.call.candidates", candidates_event(R"([{"candidate":"a","sdpMid":"0"},{"candidate":1}])")),
              "m.call.candidates: /candidates/1/candidate: expected string, found number");
    EXPECT_EQ(refusal("m.call.candidates", candidates_event(R"([{"candidate":"a","sdpMid":0}])")),
              "m.call.candidates: /candidates/0/sdpMid: expected string, found number");
    EXPECT_EQ(refusal("m.call.candidates", candidates_event(R"([{"candidate":"a","sdpMLineIndex":-1}])")),
              "m.call.candidates: /candidates/0/sdpMLineIndex: expected non-negative integer, found number");
    EXPECT_EQ(refusal("m.call.candidates", candidates_event(R"(["a"])")),
              "m.call.candidates: /candidates/0: expected object, found string");
    EXPECT_EQ(refusal("m.call.candidates", candidates_event(R"({})")),
              "m.call.candidates: /candidates: expected array, found object");
    EXPECT_EQ(refusal("m.call.candidates", R"({"call_id":"c","party_id":"p","version":"1"})"),
              "m.call.candidates: /candidates: required field missing");
    EXPECT_EQ(refusal("m.call.candidates", candidates_event(R"([{"sdpMid":"0","candidate":")" +
                                                            std::string(kMaxCandidateBytes + 1, 'c') + R"("}])")),
              "m.call.candidates: /candidates/0/candidate: 4097 bytes, more than 4096");
}

TEST(CallEventParse, CandidatesBounded) {
    const auto list = [](std::size_t n) {
        std::string s = "[";
        for (std::size_t i = 0; i < n; ++i) s += std::string(i ? "," : "") + R"({"candidate":"x","sdpMid":"0"})";
        return s + "]";
    };
    EXPECT_EQ(
        parse_as<CallCandidates>("m.call.candidates", candidates_event(list(kMaxCandidatesPerEvent))).candidates.size(),
        kMaxCandidatesPerEvent);
    EXPECT_EQ(refusal("m.call.candidates", candidates_event(list(kMaxCandidatesPerEvent + 1))),
              "m.call.candidates: /candidates: 257 candidates, more than 256");
}

TEST(CallEventParse, V0CandidatesWithoutPartyId) {
    const auto e = parse_as<CallCandidates>(
        "m.call.candidates",
        R"({"call_id":"c","version":0,"candidates":[{"candidate":"a","sdpMid":"0","sdpMLineIndex":0}]})");
    EXPECT_TRUE(e.version.is_v0());
    EXPECT_EQ(e.candidates.size(), 1u);
}

TEST(CallEventParse, HangupReasons) {
    const auto missing = parse_as<CallHangup>("m.call.hangup", R"({"call_id":"c","party_id":"p","version":"1"})");
    EXPECT_EQ(missing.reason, "user_hangup");
    EXPECT_FALSE(missing.reason_present);
    EXPECT_EQ(missing.known_reason(), HangupReason::user_hangup);
    // Non-spec reasons from js-sdk are accepted, not on the enum.
    for (const char* r : {"replaced", "signalling_timeout", "new_session", "something_new"}) {
        const auto e = parse_as<CallHangup>(
            "m.call.hangup", std::string(R"({"call_id":"c","party_id":"p","version":"1","reason":")") + r + "\"}");
        EXPECT_EQ(e.reason, r);
        EXPECT_FALSE(e.known_reason());
    }
    EXPECT_EQ(refusal("m.call.hangup", R"({"call_id":"c","party_id":"p","version":"1","reason":3})"),
              "m.call.hangup: /reason: expected string, found number");
    const auto busy =
        parse_as<CallReject>("m.call.reject", R"({"call_id":"c","party_id":"p","version":"1","reason":"user_busy"})");
    EXPECT_EQ(busy.reason, "user_busy");
}

TEST(CallEventParse, Metadata) {
    const std::string head = R"({"call_id":"c","party_id":"p","version":"1","answer":{"type":"answer","sdp":"v"},)";
    const auto unstable = parse_as<CallAnswer>(
        "m.call.answer", head + R"("org.matrix.msc3077.sdp_stream_metadata":{"s":{"purpose":"m.screenshare"}}})");
    ASSERT_TRUE(unstable.sdp_stream_metadata);
    EXPECT_EQ(unstable.sdp_stream_metadata->at("s").purpose, "m.screenshare");
    const auto both = parse_as<CallAnswer>(
        "m.call.answer", head + R"("org.matrix.msc3077.sdp_stream_metadata":{"old":{"purpose":"m.usermedia"}},
                         "sdp_stream_metadata":{"new":{"purpose":"m.usermedia"}}})");
    EXPECT_EQ(both.sdp_stream_metadata->count("new"), 1u);
    EXPECT_EQ(both.sdp_stream_metadata->count("old"), 0u);
    EXPECT_EQ(refusal("m.call.answer", head + R"("sdp_stream_metadata":[]})"),
              "m.call.answer: /sdp_stream_metadata: expected object, found array");
    EXPECT_EQ(refusal("m.call.answer", head + R"("sdp_stream_metadata":{"a/b":{}}})"),
              "m.call.answer: /sdp_stream_metadata/a~1b/purpose: required field missing");
    EXPECT_EQ(
        refusal("m.call.answer", head + R"("sdp_stream_metadata":{"s":{"purpose":"m.usermedia","audio_muted":1}}})"),
        "m.call.answer: /sdp_stream_metadata/s/audio_muted: expected boolean, found number");
    EXPECT_EQ(refusal("m.call.answer", head + R"("sdp_stream_metadata":{"s":true}})"),
              "m.call.answer: /sdp_stream_metadata/s: expected object, found boolean");
    std::string many = head + R"("sdp_stream_metadata":{)";
    for (std::size_t i = 0; i <= kMaxStreams; ++i)
        many += (i ? "," : "") + std::string("\"s") + std::to_string(i) + R"(":{"purpose":"m.usermedia"})";
    EXPECT_EQ(refusal("m.call.answer", many + "}}"), "m.call.answer: /sdp_stream_metadata: 33 streams, more than 32");
}

TEST(CallEventParse, SelectAnswerNeedsSelectedParty) {
    EXPECT_EQ(refusal("m.call.select_answer", R"({"call_id":"c","party_id":"p","version":"1"})"),
              "m.call.select_answer: /selected_party_id: required field missing");
}

TEST(CallEventParse, RefusesWhatIsNoCallEvent) {
    EXPECT_EQ(refusal("m.room.message", "{}"), "m.room.message: content: not a legacy call event type");
    EXPECT_EQ(refusal("m.call.sdp_stream_metadata_changed", "{}"),
              "m.call.sdp_stream_metadata_changed: content: not a legacy call event type");
    EXPECT_EQ(refusal("m.call.hangup", "[]"), "m.call.hangup: content: expected object, found array");
    EXPECT_EQ(refusal("m.call.hangup", "{\"call_id\":"),
              "m.call.hangup: content: invalid JSON at offset 11: Invalid value.");
    EXPECT_EQ(refusal("m.call.hangup", std::string(kMaxContentBytes + 1, ' ')),
              "m.call.hangup: content: 262145 bytes, more than 262144");
    // Deep nesting is parsed iteratively: an error, not a stack overflow.
    const std::string deep = R"({"call_id":"c","version":0,"reason":)" + std::string(100000, '[');
    EXPECT_FALSE(parse_call_event("m.call.hangup", deep).ok());
}

TEST(CallEventParse, TypeHelpers) {
    for (const char* t : {"m.call.invite", "m.call.candidates", "m.call.answer", "m.call.select_answer",
                          "m.call.reject", "m.call.negotiate", "m.call.hangup"}) {
        EXPECT_TRUE(is_call_event_type(t));
    }
    auto r =
        parse_call_event("m.call.select_answer",
                         std::string_view(R"({"call_id":"c","party_id":"p","version":"1","selected_party_id":"x"})"));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(event_type(r.value()), "m.call.select_answer");
    EXPECT_EQ(common(r.value()).call_id, "c");
}

TEST(HangupReason, ToStringAndParse) {
    for (auto reason :
         {HangupReason::ice_failed, HangupReason::ice_timeout, HangupReason::invite_timeout, HangupReason::user_hangup,
          HangupReason::user_media_failed, HangupReason::user_busy, HangupReason::unknown_error}) {
        EXPECT_EQ(parse_hangup_reason(to_string(reason)), reason);
    }
    EXPECT_EQ(to_string(HangupReason::user_busy), "user_busy");
    EXPECT_FALSE(parse_hangup_reason("replaced"));
    EXPECT_FALSE(parse_hangup_reason(""));
}

}  // namespace
}  // namespace switchboard::matrix
