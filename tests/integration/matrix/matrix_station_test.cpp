// A call station against matrix-js-sdk 37.5.0 (with @roamhq/wrtc as its WebRTC) on the
// mini homeserver with Synapse's default rate limit: calls both ways in version "1" and
// 0, a ring list, the allow-list, busy, the captured events against matrix-voip.md's
// checklist, the invite timeout, hold/resume and ICE restart, a restart mid-call, 429s,
// a burst past the timeline limit, bad input and encrypted rooms.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "station_fixture.hpp"
#include "support/turn_server.hpp"

namespace switchboard::test {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using ::testing::HasSubstr;

std::string call_id_of(const HttpReply& reply) {
    rapidjson::Document doc;
    doc.Parse(reply.body.c_str());
    if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("call") || !doc["call"].IsObject()) return {};
    return string_of(doc["call"], "id");
}

const rapidjson::Value& content(const HomeserverEvent& e) {
    return *e.content;
}

bool has(const rapidjson::Value& v, const char* key) {
    return v.IsObject() && v.HasMember(key);
}

std::vector<std::string> sdp_lines(const std::string& sdp) {
    std::vector<std::string> out;
    std::istringstream in(sdp);
    for (std::string line; std::getline(in, line);) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        out.push_back(line);
    }
    return out;
}

/// The m-sections of an SDP, each as its lines.
std::vector<std::vector<std::string>> media_sections(const std::string& sdp) {
    std::vector<std::vector<std::string>> out;
    for (const auto& line : sdp_lines(sdp)) {
        if (line.rfind("m=", 0) == 0) out.emplace_back();
        if (!out.empty()) out.back().push_back(line);
    }
    return out;
}

bool section_has(const std::vector<std::string>& section, const std::string& prefix) {
    return std::any_of(section.begin(), section.end(), [&](const auto& l) { return l.rfind(prefix, 0) == 0; });
}

int count_lines(const std::string& sdp, const std::string& prefix) {
    int n = 0;
    for (const auto& l : sdp_lines(sdp))
        if (l.rfind(prefix, 0) == 0) ++n;
    return n;
}

/// Checklist points 1-3, 5, 8, 12, 18-22 on the station's own events of one v1 call.
void expect_v1_checklist(const std::vector<HomeserverEvent>& events, const std::string& station,
                         const std::string& callee) {
    std::vector<const HomeserverEvent*> ours;
    for (const auto& e : events)
        if (e.sender == station) ours.push_back(&e);
    ASSERT_FALSE(ours.empty());
    // 1, 3: version the string "1", one party_id of the opaque grammar on every event.
    const std::string party = string_of(content(*ours.front()), "party_id");
    EXPECT_GE(party.size(), 8u);
    for (const auto* e : ours) {
        const auto& c = content(*e);
        ASSERT_TRUE(has(c, "version")) << e->type;
        EXPECT_TRUE(c["version"].IsString() && std::string(c["version"].GetString()) == "1") << e->content_json;
        EXPECT_EQ(string_of(c, "party_id"), party) << e->type;
        EXPECT_TRUE(std::all_of(party.begin(), party.end(), [](char ch) {
            return std::isalnum(static_cast<unsigned char>(ch)) || std::strchr("._~-", ch);
        }));
    }
    // 5, 18-21: the invite.
    ASSERT_EQ(ours.front()->type, "m.call.invite");
    const auto& invite = content(*ours.front());
    EXPECT_EQ(string_of(invite, "invitee"), callee);
    ASSERT_TRUE(has(invite, "lifetime") && invite["lifetime"].IsInt64());
    EXPECT_GE(invite["lifetime"].GetInt64(), 60000);
    ASSERT_TRUE(has(invite, "offer"));
    EXPECT_EQ(string_of(invite["offer"], "type"), "offer");
    const std::string sdp = string_of(invite["offer"], "sdp");
    const auto sections = media_sections(sdp);
    ASSERT_EQ(sections.size(), 2u) << sdp;
    std::set<std::string> kinds;
    std::set<std::string> streams;
    for (const auto& s : sections) {
        kinds.insert(s.front().substr(2, 5));
        EXPECT_THAT(s.front(), HasSubstr("UDP/TLS/RTP/SAVPF"));
        EXPECT_TRUE(section_has(s, "a=rtcp-mux")) << s.front();
        EXPECT_TRUE(section_has(s, "a=sendrecv")) << s.front();
        EXPECT_TRUE(section_has(s, "a=setup:actpass")) << s.front();
        for (const auto& l : s)
            if (l.rfind("a=msid:", 0) == 0) streams.insert(l.substr(7, l.find(' ') - 7));
    }
    EXPECT_EQ(kinds, (std::set<std::string>{"audio", "video"}));
    EXPECT_EQ(count_lines(sdp, "a=group:BUNDLE"), 1);
    EXPECT_GE(count_lines(sdp, "a=fingerprint:"), 1);
    EXPECT_GE(count_lines(sdp, "a=ice-ufrag:"), 1);
    ASSERT_EQ(streams.size(), 1u) << "one stream shared by audio and video";
    ASSERT_TRUE(has(invite, "sdp_stream_metadata") && invite["sdp_stream_metadata"].IsObject());
    const auto& metadata = invite["sdp_stream_metadata"];
    EXPECT_EQ(metadata.MemberCount(), 1u);
    ASSERT_TRUE(metadata.HasMember(streams.begin()->c_str()));
    EXPECT_EQ(string_of(metadata[streams.begin()->c_str()], "purpose"), "m.usermedia");
    // js-sdk 37.5.0 reads only the MSC3077 name.
    ASSERT_TRUE(has(invite, "org.matrix.msc3077.sdp_stream_metadata"));
    EXPECT_TRUE(invite["org.matrix.msc3077.sdp_stream_metadata"] == metadata);
    // 8: fewer candidate events than candidates; exactly one end marker, last.
    int candidate_events = 0, candidates = count_lines(sdp, "a=candidate:"), markers = 0;
    for (const auto* e : ours) {
        if (e->type != "m.call.candidates") continue;
        ++candidate_events;
        const auto& list = content(*e)["candidates"];
        for (rapidjson::SizeType i = 0; i < list.Size(); ++i) {
            if (string_of(list[i], "candidate").empty()) {
                ++markers;
                EXPECT_EQ(i + 1, list.Size()) << "the end marker is the last entry";
                EXPECT_EQ(list[i].MemberCount(), 1u) << "the marker is exactly {\"candidate\": \"\"}";
            } else {
                ++candidates;
            }
        }
    }
    EXPECT_LT(candidate_events, candidates);
    EXPECT_EQ(markers, 1);
    // 12: select_answer after the answer, naming the answer's party.
    const HomeserverEvent* answer = nullptr;
    const HomeserverEvent* select = nullptr;
    for (const auto& e : events) {
        if (e.type == "m.call.answer" && e.sender == callee && !answer) answer = &e;
        if (e.type == "m.call.select_answer" && e.sender == station) {
            EXPECT_NE(answer, nullptr) << "select_answer before the answer";
            select = &e;
        }
    }
    ASSERT_NE(answer, nullptr);
    ASSERT_NE(select, nullptr);
    EXPECT_EQ(string_of(content(*select), "selected_party_id"), string_of(content(*answer), "party_id"));
}

TEST_F(StationTest, CallsAJsSdkUserInVersion1AndTheCalleeHangsUp) {
    start_station();
    auto alice = callee("alice", {"--mode", "answer", "--hangup-after", "6", "--min-frames", "100", "--timeout", "60"});
    ASSERT_TRUE(alice.ready());
    auto placed = place_call("@alice:localhost");
    ASSERT_EQ(placed.status, 201) << placed.body;
    const std::string id = call_id_of(placed);
    ASSERT_FALSE(id.empty()) << placed.body;
    const auto out = alice.wait();
    const auto report = peer_report(out);
    const auto& call = report_call(report);
    EXPECT_EQ(states_of(call).rfind("ringing", 0), 0u) << states_of(call);
    EXPECT_THAT(states_of(call), HasSubstr("connecting connected ended"));
    ASSERT_TRUE(call.HasMember("errors") && call["errors"].IsArray()) << out.out;
    EXPECT_EQ(call["errors"].Size(), 0u) << out.out;
    EXPECT_GE(int_of(call, "frames_received"), 100) << out.out;
    EXPECT_GT(number_of(call, "audio_dbfs"), -40) << out.out;
    EXPECT_EQ(string_of(call, "hangup_reason"), "user_hangup");
    EXPECT_EQ(string_of(call, "hangup_party"), "local");
    EXPECT_TRUE(wait_for_call_state(id, "ended", 10s));
    EXPECT_EQ(call_field(id, "reason"), "user_hangup");

    expect_v1_checklist(call_events(id), user_id("station"), user_id("alice"));
    const auto log = m_gateway->stop().err;
    m_gateway.reset();
    EXPECT_THAT(log, HasSubstr("call " + id + ": hung up by @alice:localhost (user_hangup)"));
    const int recorded = recorded_video_frames();
    const double recorded_dbfs = recorded_audio_dbfs();
    std::printf(
        "[station] v1 call: js-sdk decoded %d frames, audio %.1f dBFS, first frame %d ms after its answer; "
        "the station recorded %d frames, audio %.1f dBFS\n",
        int_of(call, "frames_received"), number_of(call, "audio_dbfs"), int_of(call, "first_frame_ms_after_answer"),
        recorded, recorded_dbfs);
    EXPECT_GE(recorded, 100) << "the far side's video, recorded";
    EXPECT_GT(recorded_dbfs, -40);
}

TEST_F(StationTest, CallsAJsSdkUserInVersion0AndHangsUp) {
    start_station();
    auto alice = callee("alice", {"--mode", "answer", "--min-frames", "100", "--timeout", "60"});
    ASSERT_TRUE(alice.ready());
    auto placed = place_call("@alice:localhost", R"({"version": 0})");
    ASSERT_EQ(placed.status, 201) << placed.body;
    const std::string id = call_id_of(placed);
    ASSERT_TRUE(wait_for_call_state(id, "connected", 20s));
    std::this_thread::sleep_for(5s);
    auto ended = hang_up(id);
    EXPECT_EQ(ended.status, 200) << ended.body;
    const auto out = alice.wait();
    const auto call_report = peer_report(out);
    const auto& call = report_call(call_report);
    EXPECT_THAT(states_of(call), HasSubstr("ringing"));
    EXPECT_THAT(states_of(call), HasSubstr("connected ended"));
    EXPECT_GE(int_of(call, "frames_received"), 100) << out.out;
    EXPECT_GT(number_of(call, "audio_dbfs"), -40) << out.out;
    EXPECT_EQ(string_of(call, "hangup_reason"), "user_hangup");
    EXPECT_EQ(string_of(call, "hangup_party"), "remote");
    EXPECT_EQ(call_field(id, "reason"), "user_hangup");

    // Only the v0 fields (§1.2-1.3): integer version 0, no party_id, invitee or metadata,
    // no select_answer; the hangup leaves out user_hangup as js-sdk does for v0.
    int invites = 0, hangups = 0;
    for (const auto& e : call_events(id)) {
        if (e.sender != user_id("station")) continue;
        const auto& c = content(e);
        EXPECT_TRUE(c["version"].IsInt() && c["version"].GetInt() == 0) << e.content_json;
        for (const char* v1_only :
             {"party_id", "invitee", "sdp_stream_metadata", "org.matrix.msc3077.sdp_stream_metadata", "capabilities"})
            EXPECT_FALSE(has(c, v1_only)) << e.type << " carries " << v1_only;
        EXPECT_NE(e.type, "m.call.select_answer");
        EXPECT_NE(e.type, "m.call.reject");
        EXPECT_NE(e.type, "m.call.negotiate");
        invites += e.type == "m.call.invite";
        if (e.type == "m.call.hangup") {
            ++hangups;
            EXPECT_FALSE(has(c, "reason")) << e.content_json;
        }
        if (e.type == "m.call.invite") {
            EXPECT_TRUE(has(c, "lifetime") && has(c, "offer"));
        }
    }
    EXPECT_EQ(invites, 1);
    EXPECT_EQ(hangups, 1);
    const auto log = m_gateway->stop().err;
    m_gateway.reset();
    const int recorded = recorded_video_frames();
    std::printf("[station] v0 call: js-sdk decoded %d frames, audio %.1f dBFS; the station recorded %d frames\n",
                int_of(call, "frames_received"), number_of(call, "audio_dbfs"), recorded);
    EXPECT_GE(recorded, 100);
}

TEST_F(StationTest, RingsAListAndTheFirstToAnswerGetsTheCall) {
    start_station();
    auto alice = callee("alice", {"--mode", "answer", "--min-frames", "30", "--timeout", "40"});
    auto bob = callee("bob", {"--mode", "ignore", "--min-frames", "0", "--timeout", "40"});
    ASSERT_TRUE(alice.ready() && bob.ready());
    auto placed = place_call("family");
    ASSERT_EQ(placed.status, 201) << placed.body;
    const std::string id = call_id_of(placed);
    ASSERT_TRUE(wait_for_call_state(id, "connected", 30s));
    EXPECT_EQ(call_field(id, "peer"), "@alice:localhost");
    std::this_thread::sleep_for(3s);
    EXPECT_EQ(hang_up(id).status, 200);
    const auto a = alice.wait(), b = bob.wait();
    const auto ra = peer_report(a), rb = peer_report(b);
    const auto& alice_call = report_call(ra);
    const auto& bob_call = report_call(rb);
    EXPECT_THAT(states_of(alice_call), HasSubstr("connected"));
    EXPECT_GE(int_of(alice_call, "frames_received"), 30) << a.out;
    // Bob rang, never connected, and stopped ringing as soon as alice answered.
    EXPECT_THAT(states_of(bob_call), HasSubstr("ringing"));
    EXPECT_THAT(states_of(bob_call), ::testing::Not(HasSubstr("connected")));
    EXPECT_EQ(string_of(bob_call, "hangup_party"), "remote") << b.out;
    const double answered = number_of(alice_call, "answer_ts"), stopped = number_of(bob_call, "ended_ts");
    EXPECT_GT(stopped, 0);
    EXPECT_LT(stopped - answered, 5000) << "bob rang on after alice answered";
    std::printf("[station] ring list: alice decoded %d frames; bob stopped ringing %.0f ms after alice answered\n",
                int_of(alice_call, "frames_received"), stopped - answered);
}

TEST_F(StationTest, AnswersAnAllowedCallerRejectsStrangersAndIsBusy) {
    start_station();
    // A room of alice's with the station and mallory (not allowed) in it.
    const auto alice_token = m_hs->login("alice", "alice-pw");
    const auto mallory_token = m_hs->login("mallory", "mallory-pw");
    const auto shared = m_hs->create_room(
        alice_token, R"({"preset": "private_chat", "invite": ["@station:localhost", "@mallory:localhost"]})");
    m_hs->join_room(mallory_token, shared);
    std::this_thread::sleep_for(2s);  // the station joins (alice is allowed)

    auto alice = caller(
        "alice", {"--target", "@station:localhost", "--hangup-after", "14", "--min-frames", "100", "--timeout", "60"});
    ASSERT_TRUE(alice.ready());
    // Wait for alice's call to be up at the station.
    const std::string incoming = wait_for_incoming_call(30s);
    ASSERT_FALSE(incoming.empty()) << "alice's call was not answered";
    auto mallory = caller("mallory", {"--room", shared, "--min-frames", "0", "--timeout", "30"});
    auto bob = caller("bob", {"--target", "@station:localhost", "--min-frames", "0", "--timeout", "40"});
    const auto m = mallory.wait(), b = bob.wait(), a = alice.wait();

    const auto alice_call_report = peer_report(a);
    const auto& alice_call = report_call(alice_call_report);
    EXPECT_THAT(states_of(alice_call), HasSubstr("connected"));
    EXPECT_GE(int_of(alice_call, "frames_received"), 100) << a.out;
    EXPECT_GT(number_of(alice_call, "audio_dbfs"), -40);

    // js-sdk ends a rejected call at once, reading a plain reject as user_hangup.
    const auto mallory_call_report = peer_report(m);
    const auto& mallory_call = report_call(mallory_call_report);
    EXPECT_THAT(states_of(mallory_call), ::testing::Not(HasSubstr("connected"))) << m.out;
    EXPECT_EQ(string_of(mallory_call, "hangup_reason"), "user_hangup") << m.out;
    EXPECT_EQ(string_of(mallory_call, "hangup_party"), "remote");
    EXPECT_LT(int_of(mallory_call, "ended_ms_after_invite", 1 << 30), 5000) << m.out;

    const auto bob_call_report = peer_report(b);
    const auto& bob_call = report_call(bob_call_report);
    EXPECT_EQ(string_of(bob_call, "hangup_reason"), "user_busy") << b.out;
    EXPECT_LT(int_of(bob_call, "ended_ms_after_invite", 1 << 30), 5000) << b.out;

    const auto station = user_id("station");
    int rejects = 0;
    for (const auto& e : m_hs->events())
        if (e.sender == station && e.type == "m.call.reject") {
            ++rejects;
            const bool busy = string_of(content(e), "reason") == "user_busy";
            EXPECT_EQ(busy, e.room_id != shared) << e.content_json;
        }
    EXPECT_EQ(rejects, 2);
    std::printf(
        "[station] incoming: alice decoded %d frames (audio %.1f dBFS); mallory's call ended %d ms after its "
        "invite (%s), bob's %d ms (%s)\n",
        int_of(alice_call, "frames_received"), number_of(alice_call, "audio_dbfs"),
        int_of(mallory_call, "ended_ms_after_invite"), string_of(mallory_call, "hangup_reason").c_str(),
        int_of(bob_call, "ended_ms_after_invite"), string_of(bob_call, "hangup_reason").c_str());
}

TEST_F(StationTest, GlareWithElementTakesTheirCallAndHangsUpOurs) {
    // The station rings alice; alice (another device, as Element: no invitee) calls the
    // station in the same room before answering. Element never answers ours while it has
    // its own call there, so the station takes alice's call and hangs up its own.
    start_station();
    auto ringing = callee("alice", {"--mode", "ignore", "--min-frames", "0", "--timeout", "30"});
    ASSERT_TRUE(ringing.ready());
    auto placed = place_call("@alice:localhost");
    ASSERT_EQ(placed.status, 201) << placed.body;
    const std::string ours = call_id_of(placed);
    const std::string room = call_field(ours, "place");
    ASSERT_FALSE(room.empty());
    auto alice = caller("alice", {"--room", room, "--hangup-after", "4", "--min-frames", "60", "--timeout", "30"});
    const auto out = alice.wait();
    const auto call_report = peer_report(out);
    const auto& call = report_call(call_report);
    EXPECT_THAT(states_of(call), HasSubstr("connected")) << out.out;
    EXPECT_GE(int_of(call, "frames_received"), 60) << out.out;
    const std::string theirs = string_of(call, "call_id");
    bool hung_up_ours = false, answered_theirs = false;
    for (const auto& e : m_hs->events()) {
        if (e.sender != user_id("station")) continue;
        const auto id = string_of(content(e), "call_id");
        if (e.type == "m.call.hangup" && id == ours) hung_up_ours = string_of(content(e), "reason") == "user_hangup";
        if (e.type == "m.call.answer" && id == theirs) answered_theirs = true;
    }
    EXPECT_TRUE(hung_up_ours) << "our own call was not hung up";
    EXPECT_TRUE(answered_theirs) << "alice's call was not answered";
    ringing.wait();
}

/// The homeserver hands out TURN REST credentials for a coturn on 127.0.0.1.
class StationTurnTest : public StationTest {
protected:
    std::vector<std::string> homeserver_args() override {
        m_turn = std::make_unique<TurnServerProcess>((m_dir / "turn").string(), 10s, "hs-turn-secret");
        return {"--turn-uri", "turn:127.0.0.1:" + std::to_string(m_turn->port()) + "?transport=udp", "--turn-secret",
                "hs-turn-secret"};
    }
    std::unique_ptr<TurnServerProcess> m_turn;
};

TEST_F(StationTurnTest, TurnFromTheHomeserverReachesIce) {
    ASSERT_TRUE(m_turn && m_turn->ready());
    start_station();
    auto alice = callee("alice", {"--mode", "answer", "--hangup-after", "2", "--min-frames", "10", "--timeout", "40"});
    ASSERT_TRUE(alice.ready());
    std::this_thread::sleep_for(1s);  // the station fetches /voip/turnServer after signing in
    auto placed = place_call("@alice:localhost");
    ASSERT_EQ(placed.status, 201) << placed.body;
    const auto out = alice.wait();
    const auto report = peer_report(out);
    EXPECT_GE(int_of(report_call(report), "frames_received"), 10) << out.out;
    std::string sdp;
    for (const auto& e : call_events(call_id_of(placed)))
        if (e.type == "m.call.invite") sdp = string_of(content(e)["offer"], "sdp");
    EXPECT_THAT(sdp, HasSubstr("typ relay")) << "the invite has no relayed candidate: " << sdp;
    EXPECT_THAT(m_turn->log_text(), HasSubstr("ALLOCATE")) << m_turn->log_text();
}

TEST_F(StationTest, HangsUpWithInviteTimeoutAfterTheLifetime) {
    start_station();
    auto alice = callee("alice", {"--mode", "ignore", "--min-frames", "0", "--timeout", "20"});
    ASSERT_TRUE(alice.ready());
    auto placed = place_call("@alice:localhost", R"({"lifetime_ms": 5000})");
    ASSERT_EQ(placed.status, 201) << placed.body;
    const std::string id = call_id_of(placed);
    ASSERT_TRUE(wait_for_call_state(id, "ended", 15s));
    EXPECT_EQ(call_field(id, "reason"), "invite_timeout");
    const auto events = call_events(id);
    const HomeserverEvent* invite = nullptr;
    const HomeserverEvent* hangup = nullptr;
    for (const auto& e : events) {
        if (e.type == "m.call.invite") invite = &e;
        if (e.type == "m.call.hangup") hangup = &e;
    }
    ASSERT_TRUE(invite && hangup);
    EXPECT_EQ(content(*invite)["lifetime"].GetInt(), 5000);
    EXPECT_EQ(string_of(content(*hangup), "reason"), "invite_timeout");
    const auto after = hangup->origin_server_ts - invite->origin_server_ts;
    std::printf("[station] invite timeout: hangup %lld ms after the invite\n", static_cast<long long>(after));
    EXPECT_GE(after, 4800);
    EXPECT_LT(after, 9000);
    const auto out = alice.wait();
    const auto call_report = peer_report(out);
    const auto& call = report_call(call_report);
    EXPECT_THAT(states_of(call), HasSubstr("ringing"));
    EXPECT_THAT(states_of(call), ::testing::Not(HasSubstr("connected")));
}

TEST_F(StationTest, HoldResumeAndIceRestartFromJsSdk) {
    start_station();
    auto alice = callee("alice", {"--mode", "answer", "--hold-at", "3", "--resume-at", "6", "--ice-restart-at", "9",
                                  "--hangup-after", "13", "--min-frames", "0", "--timeout", "60"});
    ASSERT_TRUE(alice.ready());
    auto placed = place_call("@alice:localhost");
    ASSERT_EQ(placed.status, 201) << placed.body;
    const std::string id = call_id_of(placed);
    const auto out = alice.wait();
    const auto call_report = peer_report(out);
    const auto& call = report_call(call_report);
    ASSERT_TRUE(call.HasMember("frames_by_phase")) << out.out;
    const auto& phases = call["frames_by_phase"];
    EXPECT_GE(int_of(phases, "connected"), 50) << out.out;
    EXPECT_LE(int_of(phases, "held", 0), 10) << "video kept flowing while held: " << out.out;
    EXPECT_GE(int_of(phases, "resumed"), 50) << "no media after resume: " << out.out;
    EXPECT_GE(int_of(phases, "ice_restarted"), 60) << "no media after the ICE restart: " << out.out;
    EXPECT_EQ(string_of(call, "hangup_reason"), "user_hangup");
    int offers = 0, answers = 0;
    for (const auto& e : call_events(id)) {
        if (e.type != "m.call.negotiate") continue;
        const auto type = string_of(content(e)["description"], "type");
        if (e.sender == user_id("alice") && type == "offer") ++offers;
        if (e.sender == user_id("station") && type == "answer") ++answers;
    }
    EXPECT_EQ(offers, 3);
    EXPECT_EQ(answers, 3);
    std::printf("[station] hold/resume/ICE restart: frames %d connected, %d held, %d resumed, %d after the restart\n",
                int_of(phases, "connected"), int_of(phases, "held", 0), int_of(phases, "resumed"),
                int_of(phases, "ice_restarted"));
}

TEST_F(StationTest, ARestartHangsUpTheOpenCallAndKeepsItsDevice) {
    start_station();
    auto alice = caller("alice", {"--target", "@station:localhost", "--min-frames", "0", "--timeout", "45"});
    ASSERT_TRUE(alice.ready());
    const std::string id = wait_for_incoming_call(30s);
    ASSERT_FALSE(id.empty()) << "alice's call was not answered";
    const auto session_file = m_dir / "state" / "station" / "matrix_session.json";
    auto device_of = [&] {
        std::ifstream in(session_file);
        rapidjson::Document d;
        std::string text((std::istreambuf_iterator<char>(in)), {});
        d.Parse(text.c_str());
        return d.IsObject() ? string_of(d, "device_id") : std::string();
    };
    const std::string device = device_of();
    ASSERT_FALSE(device.empty());

    m_gateway->kill();
    const auto restarted = std::chrono::system_clock::now();
    m_gateway->restart();
    const HomeserverEvent* hangup = nullptr;
    std::vector<HomeserverEvent> events;
    for (auto deadline = std::chrono::steady_clock::now() + 10s; !hangup && std::chrono::steady_clock::now() < deadline;
         std::this_thread::sleep_for(100ms)) {
        events = call_events(id);
        for (const auto& e : events)
            if (e.type == "m.call.hangup" && e.sender == user_id("station")) hangup = &e;
    }
    ASSERT_NE(hangup, nullptr) << "no hangup after the restart";
    const auto ms = hangup->origin_server_ts -
                    std::chrono::duration_cast<std::chrono::milliseconds>(restarted.time_since_epoch()).count();
    EXPECT_LT(ms, 5000) << "the hangup took " << ms << " ms after the restart";
    std::printf("[station] restart: hangup %lld ms after the restart\n", static_cast<long long>(ms));
    std::string answer_party;
    int answers = 0;
    for (const auto& e : events)
        if (e.type == "m.call.answer" && e.sender == user_id("station")) {
            ++answers;
            answer_party = string_of(content(e), "party_id");
        }
    EXPECT_EQ(answers, 1) << "the invite was answered again after the restart";
    EXPECT_EQ(string_of(content(*hangup), "party_id"), answer_party);
    EXPECT_TRUE(content(*hangup)["version"].IsString() && std::string(content(*hangup)["version"].GetString()) == "1");
    EXPECT_EQ(device_of(), device) << "a new device after the restart";
    const auto out = alice.wait();
    const auto call_report = peer_report(out);
    const auto& call = report_call(call_report);
    EXPECT_EQ(string_of(call, "hangup_party"), "remote") << out.out;
}

TEST_F(StationTest, RateLimitedSendsKeepTheirTransactionIds) {
    start_station();
    auto alice = callee("alice", {"--mode", "answer", "--hangup-after", "3", "--min-frames", "30", "--timeout", "60"});
    ASSERT_TRUE(alice.ready());
    // Wait until the station is signed in, so the 429s hit the call's own sends.
    auto idle = place_call("nobody-list");
    ASSERT_EQ(idle.status, 400) << idle.body;
    m_hs->fail_sends(3, 500);
    auto placed = place_call("@alice:localhost");
    ASSERT_EQ(placed.status, 201) << placed.body;
    const std::string id = call_id_of(placed);
    const auto out = alice.wait();
    const auto report = peer_report(out);
    EXPECT_GE(int_of(report_call(report), "frames_received"), 30) << out.out;

    const auto station = user_id("station");
    std::map<std::string, std::vector<int>> attempts;  // txn id -> statuses
    for (const auto& s : m_hs->sends())
        if (s.user == station && !s.txn_id.empty()) attempts[s.txn_id].push_back(s.status);
    int retried = 0;
    for (const auto& [txn, statuses] : attempts) {
        EXPECT_EQ(statuses.back(), 200) << txn;
        if (statuses.size() > 1 && statuses.front() == 429) ++retried;
    }
    EXPECT_GE(retried, 1) << "no 429 was retried";
    std::printf("[station] 429s: %d transaction ids were retried after a 429\n", retried);
    std::map<std::string, int> per_txn;
    for (const auto& e : m_hs->events())
        if (e.sender == station && !e.transaction_id.empty()) ++per_txn[e.transaction_id];
    for (const auto& [txn, n] : per_txn) EXPECT_EQ(n, 1) << "txn " << txn << " made " << n << " events";
    int invites = 0;
    for (const auto& e : call_events(id)) invites += e.sender == station && e.type == "m.call.invite";
    EXPECT_EQ(invites, 1);
}

TEST_F(StationTest, ABurstPastTheTimelineLimitIsPagedBack) {
    start_station(R"("timeline_limit": 10)");
    const auto alice_token = m_hs->login("alice", "alice-pw");
    const auto bob_token = m_hs->login("bob", "bob-pw");
    const auto room = m_hs->create_room(
        alice_token, R"({"preset": "private_chat", "invite": ["@station:localhost", "@bob:localhost"]})");
    m_hs->join_room(bob_token, room);
    std::this_thread::sleep_for(2s);  // the station joins
    m_hs->pause_sync(user_id("station"));
    for (int i = 1; i <= 15; ++i) {
        const std::string content = R"({"call_id": "burst)" + std::to_string(i) +
                                    R"(", "version": "1", "party_id": "P)" + std::to_string(i) +
                                    R"(", "reason": "user_hangup"})";
        m_hs->send_event(i % 2 ? alice_token : bob_token, room, "m.call.hangup", content);
    }
    m_hs->resume_sync(user_id("station"));
    std::this_thread::sleep_for(3s);
    const auto log = m_gateway->stop().err;
    m_gateway.reset();
    for (int i = 1; i <= 15; ++i)
        EXPECT_EQ(log_lines_with(log, "call burst" + std::to_string(i) + ": m.call.hangup from").size(), 1u)
            << "event " << i << " of the burst was not handled once";
}

TEST_F(StationTest, BadCallEventsAreLoggedAndIgnored) {
    start_station();
    // Bob sends the bad events (each account has its own rate limit), alice calls after.
    const auto alice_token = m_hs->login("alice", "alice-pw");
    const auto bob_token = m_hs->login("bob", "bob-pw");
    const auto room = m_hs->create_room(
        alice_token, R"({"preset": "private_chat", "invite": ["@station:localhost", "@bob:localhost"]})");
    m_hs->join_room(bob_token, room);
    std::this_thread::sleep_for(2s);  // the station joins
    const std::string big_sdp(64 * 1024, 'x');
    const std::vector<std::pair<std::string, std::string>> bad = {
        {"m.call.invite", R"({"call_id": "bad1", "version": "1", "party_id": "P", "lifetime": 60000})"},
        {"m.call.invite",
         R"({"call_id": "bad2", "version": {}, "party_id": "P", "lifetime": 60000, "offer": {"type": "offer", "sdp": "v=0"}})"},
        {"m.call.invite",
         R"({"call_id": "bad3", "version": "1", "party_id": "P", "lifetime": "long", "offer": {"type": "offer", "sdp": "v=0"}})"},
        {"m.call.invite",
         R"({"call_id": "bad4", "version": "1", "party_id": "P", "lifetime": 60000, "offer": {"type": "offer", "sdp": ")" +
             big_sdp + R"("}})"},
        {"m.call.invite",
         R"({"call_id": "bad5", "version": "7", "party_id": "P", "lifetime": 60000, "offer": {"type": "offer", "sdp": "garbage"}})"},
        {"m.call.candidates", R"({"call_id": "bad6", "version": "1", "party_id": "P", "candidates": "nope"})"},
        {"m.call.candidates",
         R"({"call_id": "bad7", "version": "1", "party_id": "P", "candidates": [{"candidate": 5}]})"},
        {"m.call.answer", R"({"call_id": "bad8", "version": 1.5, "party_id": "P", "answer": null})"},
        {"m.call.hangup", R"([1, 2, 3])"},
    };
    std::vector<std::string> ids;
    for (const auto& [type, content] : bad) {
        try {
            ids.push_back(m_hs->send_event(bob_token, room, type, content));
        } catch (const std::exception& e) {
            ids.emplace_back();  // the homeserver refused it (too big, not an object)
        }
    }
    // Then a real call in the same room: the station still serves.
    auto alice = caller("alice", {"--room", room, "--hangup-after", "4", "--min-frames", "60", "--timeout", "40"});
    const auto out = alice.wait();
    const auto call_report = peer_report(out);
    const auto& call = report_call(call_report);
    EXPECT_THAT(states_of(call), HasSubstr("connected")) << out.out;
    EXPECT_GE(int_of(call, "frames_received"), 60) << out.out;
    const auto log = m_gateway->stop().err;
    m_gateway.reset();
    for (std::size_t i = 0; i < ids.size(); ++i) {
        if (ids[i].empty()) continue;  // the homeserver refused it (too big, not an object)
        const bool logged = !log_lines_with(log, "ignoring " + ids[i]).empty() ||
                            !log_lines_with(log, "cannot answer the offer").empty();
        EXPECT_TRUE(logged) << bad[i].second.substr(0, 120);
    }
    EXPECT_THAT(log, HasSubstr("cannot answer the offer")) << "the garbage offers of bad4/bad5 were not refused";
}

TEST_F(StationTest, AnEncryptedRoomGetsOneNotice) {
    start_station();
    const auto alice_token = m_hs->login("alice", "alice-pw");
    const auto room = m_hs->create_room(
        alice_token,
        R"({"preset": "private_chat", "invite": ["@station:localhost"], "initial_state": [{"type": "m.room.encryption", "state_key": "", "content": {"algorithm": "m.megolm.v1.aes-sha2"}}]})");
    std::this_thread::sleep_for(2s);  // the station joins
    for (int i = 0; i < 3; ++i)
        m_hs->send_event(
            alice_token, room, "m.room.encrypted",
            R"({"algorithm": "m.megolm.v1.aes-sha2", "ciphertext": "AwgAEn", "device_id": "D", "sender_key": "K", "session_id": "S"})");
    std::this_thread::sleep_for(3s);
    int notices = 0;
    for (const auto& e : m_hs->events())
        if (e.room_id == room && e.sender == user_id("station") && e.type == "m.room.message") {
            ++notices;
            EXPECT_EQ(string_of(content(e), "msgtype"), "m.notice");
            EXPECT_THAT(string_of(content(e), "body"), HasSubstr("unencrypted"));
        }
    EXPECT_EQ(notices, 1);
    // A call placed to that room is refused with the reason.
    auto placed = place_call(room);
    EXPECT_EQ(placed.status, 400) << placed.body;
    EXPECT_THAT(placed.body, HasSubstr("encrypted"));
}

}  // namespace
}  // namespace switchboard::test
