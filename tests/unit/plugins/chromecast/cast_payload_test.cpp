// The JSON payloads of the Cast platform namespaces: what we send (checked as parsed
// JSON, not as text), what a receiver sends read into typed values, and bad input refused
// with the namespace, the message type and the JSON pointer of the fault.
#include <gtest/gtest.h>

#include <rapidjson/document.h>

#include <string>

#include "chromecast/cast/cast_payload.hpp"

using namespace switchboard;
using namespace switchboard::chromecast;

namespace {

rapidjson::Document json(const std::string& text) {
    rapidjson::Document d;
    d.Parse(text.c_str());
    EXPECT_FALSE(d.HasParseError()) << text;
    return d;
}

std::string error_of(std::string_view name_space, const std::string& text) {
    auto r = parse_payload(name_space, text);
    EXPECT_FALSE(r.ok()) << text;
    if (r.ok()) return {};
    EXPECT_EQ(r.error().kind, ErrorKind::invalid);
    return r.error().message;
}

const char* receiver_status = R"({
  "type": "RECEIVER_STATUS", "requestId": 3,
  "status": {
    "applications": [{
      "appId": "CC1AD845", "displayName": "Default Media Receiver", "sessionId": "7E2F-11",
      "transportId": "web-5", "statusText": "Ready To Cast", "isIdleScreen": false,
      "namespaces": [{"name": "urn:x-cast:com.google.cast.media"}, {"name": "urn:x-cast:com.google.cast.cac"}]
    }],
    "volume": {"level": 0.5, "muted": false, "controlType": "attenuation"},
    "isActiveInput": true
  }
})";

}  // namespace

TEST(CastPayload, RequestIdsArePositiveIncreasingAndNeverZero) {
    RequestIds ids;
    EXPECT_EQ(ids.next(), 1);
    EXPECT_EQ(ids.next(), 2);
    for (int i = 0; i < 10; ++i) EXPECT_GT(ids.next(), 0);
}

TEST(CastPayload, BuildsTheRequestsASenderNeeds) {
    EXPECT_STREQ(json(payload::connect())["type"].GetString(), "CONNECT");
    EXPECT_STREQ(json(payload::close())["type"].GetString(), "CLOSE");
    EXPECT_STREQ(json(payload::ping())["type"].GetString(), "PING");
    EXPECT_STREQ(json(payload::pong())["type"].GetString(), "PONG");
    EXPECT_FALSE(json(payload::ping()).HasMember("requestId"));

    auto status = json(payload::get_status(4));
    EXPECT_STREQ(status["type"].GetString(), "GET_STATUS");
    EXPECT_EQ(status["requestId"].GetInt64(), 4);

    auto launch = json(payload::launch(5, "CC1AD845"));
    EXPECT_STREQ(launch["type"].GetString(), "LAUNCH");
    EXPECT_STREQ(launch["appId"].GetString(), "CC1AD845");
    EXPECT_EQ(launch["requestId"].GetInt64(), 5);

    auto stop = json(payload::stop(6, "se\"ss\\ion"));  // quoted, not pasted
    EXPECT_STREQ(stop["sessionId"].GetString(), "se\"ss\\ion");
}

TEST(CastPayload, BuildsAMediaLoadForLiveHls) {
    LoadRequest load;
    load.content_id = "http://192.0.2.1:8080/tv/live.m3u8";
    load.content_type = "application/x-mpegurl";
    load.hls_video_segment_format = "fmp4";
    auto d = json(payload::media_load(7, load));
    EXPECT_STREQ(d["type"].GetString(), "LOAD");
    EXPECT_EQ(d["requestId"].GetInt64(), 7);
    EXPECT_STREQ(d["media"]["contentId"].GetString(), "http://192.0.2.1:8080/tv/live.m3u8");
    EXPECT_STREQ(d["media"]["streamType"].GetString(), "LIVE");
    EXPECT_STREQ(d["media"]["hlsVideoSegmentFormat"].GetString(), "fmp4");
    EXPECT_TRUE(d["autoplay"].GetBool());
    EXPECT_FALSE(d.HasMember("currentTime"));  // a live stream starts at its edge

    auto g = json(payload::media_get_status(8, 2));
    EXPECT_STREQ(g["type"].GetString(), "GET_STATUS");
    EXPECT_EQ(g["mediaSessionId"].GetInt64(), 2);
    EXPECT_FALSE(json(payload::media_get_status(9)).HasMember("mediaSessionId"));
}

TEST(CastPayload, BuildsADashCastUrlMessageThatLoadsTopLevel) {
    auto d = json(payload::web_receiver_url("http://192.0.2.1:8899/tv?token=ab\"c"));
    EXPECT_STREQ(d["url"].GetString(), "http://192.0.2.1:8899/tv?token=ab\"c");
    EXPECT_TRUE(d["force"].GetBool());  // not in DashCast's HTTPS frame: mixed content
    EXPECT_FALSE(d["reload"].GetBool());
    EXPECT_EQ(d["reload_time"].GetInt(), 0);
    EXPECT_FALSE(d.HasMember("type"));
}

TEST(CastPayload, ReadsConnectionAndHeartbeatMessages) {
    auto c = parse_payload(ns::connection, R"({"type":"CLOSE"})");
    ASSERT_TRUE(c.ok());
    EXPECT_EQ(std::get<ConnectionMessage>(c.value()).type, ConnectionMessage::Type::close);
    auto p = parse_payload(ns::heartbeat, R"({"type":"PING"})");
    ASSERT_TRUE(p.ok());
    EXPECT_EQ(std::get<HeartbeatMessage>(p.value()).type, HeartbeatMessage::Type::ping);
    auto q = parse_payload(ns::heartbeat, R"({"type":"PONG"})");
    ASSERT_TRUE(q.ok());
    EXPECT_EQ(std::get<HeartbeatMessage>(q.value()).type, HeartbeatMessage::Type::pong);
}

TEST(CastPayload, ReadsAReceiverStatusIntoTypedApplications) {
    auto r = parse_payload(ns::receiver, receiver_status);
    ASSERT_TRUE(r.ok()) << r.error().message;
    const auto& s = std::get<ReceiverStatus>(r.value());
    EXPECT_EQ(s.request_id, 3);
    ASSERT_EQ(s.applications.size(), 1u);
    const auto* app = s.find_app("CC1AD845");
    ASSERT_NE(app, nullptr);
    EXPECT_EQ(app->session_id, "7E2F-11");
    EXPECT_EQ(app->transport_id, "web-5");
    EXPECT_EQ(app->display_name, "Default Media Receiver");
    EXPECT_EQ(app->namespaces,
              (std::vector<std::string>{"urn:x-cast:com.google.cast.media", "urn:x-cast:com.google.cast.cac"}));
    EXPECT_EQ(s.volume_level, 0.5);
    EXPECT_EQ(s.muted, false);
    EXPECT_EQ(s.find_app("84912283"), nullptr);
}

TEST(CastPayload, AnIdleReceiverHasNoApplications) {
    auto r = parse_payload(ns::receiver, R"({"type":"RECEIVER_STATUS","requestId":0,"status":{"volume":{"level":1}}})");
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_TRUE(std::get<ReceiverStatus>(r.value()).applications.empty());
}

TEST(CastPayload, ReadsRefusalsWithTheirReason) {
    auto r = parse_payload(ns::receiver, R"({"type":"LAUNCH_ERROR","requestId":9,"reason":"NOT_FOUND"})");
    ASSERT_TRUE(r.ok());
    const auto& f = std::get<RequestFailed>(r.value());
    EXPECT_EQ(f.type, "LAUNCH_ERROR");
    EXPECT_EQ(f.request_id, 9);
    EXPECT_EQ(f.reason, "NOT_FOUND");
    auto l = parse_payload(ns::media, R"({"type":"LOAD_FAILED","requestId":2})");
    ASSERT_TRUE(l.ok());
    EXPECT_EQ(std::get<RequestFailed>(l.value()).name_space, ns::media);
}

TEST(CastPayload, ReadsAMediaStatus) {
    auto r = parse_payload(ns::media, R"({"type":"MEDIA_STATUS","requestId":0,"status":[
        {"mediaSessionId":1,"playerState":"IDLE","idleReason":"ERROR","currentTime":1.5,
         "media":{"contentId":"http://127.0.0.1/a.m3u8"}}]})");
    ASSERT_TRUE(r.ok()) << r.error().message;
    const auto& s = std::get<MediaStatus>(r.value());
    ASSERT_EQ(s.sessions.size(), 1u);
    EXPECT_EQ(s.sessions[0].media_session_id, 1);
    EXPECT_EQ(s.sessions[0].player_state, "IDLE");
    EXPECT_EQ(s.sessions[0].idle_reason, "ERROR");
    EXPECT_EQ(s.sessions[0].current_time, 1.5);
    EXPECT_EQ(s.sessions[0].content_id, "http://127.0.0.1/a.m3u8");
}

TEST(CastPayload, AnUnknownTypeOfAKnownNamespaceIsNotAnError) {
    auto r = parse_payload(ns::receiver, R"({"type":"GET_APP_AVAILABILITY_RESPONSE","requestId":4})");
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(std::get<UnhandledMessage>(r.value()).type, "GET_APP_AVAILABILITY_RESPONSE");
    EXPECT_EQ(std::get<UnhandledMessage>(r.value()).request_id, 4);
}

TEST(CastPayload, MalformedJsonIsAnErrorNamingTheNamespace) {
    const auto m = error_of(ns::receiver, R"({"type":"RECEIVER_STATUS",)");
    EXPECT_NE(m.find("urn:x-cast:com.google.cast.receiver: malformed JSON at offset"), std::string::npos) << m;
    EXPECT_NE(error_of(ns::heartbeat, "").find("malformed JSON"), std::string::npos);
    EXPECT_NE(error_of(ns::heartbeat, "\"PING\"").find("not a JSON object"), std::string::npos);
    // Not UTF-8, though payload_utf8 says it is.
    EXPECT_NE(error_of(ns::heartbeat, "{\"type\":\"\xff\"}").find("malformed JSON"), std::string::npos);
}

TEST(CastPayload, DeepNestingIsRefusedWithoutRecursion) {
    const std::string deep = R"({"type":"PING","x":)" + std::string(60000, '[');
    EXPECT_NE(error_of(ns::heartbeat, deep).find("malformed JSON"), std::string::npos);
}

TEST(CastPayload, UnknownNamespacesAreErrors) {
    EXPECT_EQ(error_of("urn:x-cast:com.example.nobody", R"({"type":"HELLO"})"),
              "unknown namespace urn:x-cast:com.example.nobody");
    CastMessage binary{"receiver-0", "sender-0", std::string(ns::receiver), CastMessage::Binary{1, 2}};
    auto b = parse_payload(binary);
    ASSERT_FALSE(b.ok());
    EXPECT_NE(b.error().message.find("binary payload"), std::string::npos) << b.error().message;
}

TEST(CastPayload, MistypedMembersAreErrorsWithTheirJsonPointer) {
    EXPECT_EQ(error_of(ns::heartbeat, R"({"type":1})"),
              "urn:x-cast:com.google.cast.tp.heartbeat: /type: expected a string");
    EXPECT_EQ(error_of(ns::heartbeat, R"({"kind":"PING"})"), "urn:x-cast:com.google.cast.tp.heartbeat: /type: missing");
    EXPECT_EQ(error_of(ns::receiver, R"({"type":"RECEIVER_STATUS","requestId":"3","status":{}})"),
              "urn:x-cast:com.google.cast.receiver RECEIVER_STATUS: /requestId: expected an integer");
    EXPECT_EQ(error_of(ns::receiver, R"({"type":"RECEIVER_STATUS"})"),
              "urn:x-cast:com.google.cast.receiver RECEIVER_STATUS: /status: missing");
    EXPECT_EQ(error_of(ns::receiver, R"({"type":"RECEIVER_STATUS","status":{"applications":[{"appId":"A",
                  "sessionId":"s"}]}})"),
              "urn:x-cast:com.google.cast.receiver RECEIVER_STATUS: /status/applications/0/transportId: missing");
    EXPECT_EQ(error_of(ns::receiver, R"({"type":"RECEIVER_STATUS","status":{"applications":[{"appId":"A",
                  "sessionId":"s","transportId":"t","namespaces":[{"name":"a"},{"name":2}]}]}})"),
              "urn:x-cast:com.google.cast.receiver RECEIVER_STATUS: /status/applications/0/namespaces/1/name: "
              "expected a string");
    EXPECT_EQ(error_of(ns::receiver, R"({"type":"RECEIVER_STATUS","status":{"applications":{}}})"),
              "urn:x-cast:com.google.cast.receiver RECEIVER_STATUS: /status/applications: expected an array");
    EXPECT_EQ(error_of(ns::media, R"({"type":"MEDIA_STATUS","status":[{"mediaSessionId":1.5,"playerState":"IDLE"}]})"),
              "urn:x-cast:com.google.cast.media MEDIA_STATUS: /status/0/mediaSessionId: expected an integer");
    EXPECT_EQ(error_of(ns::media, R"({"type":"MEDIA_STATUS","status":[{"mediaSessionId":1,"playerState":"IDLE",
                  "currentTime":"x"}]})"),
              "urn:x-cast:com.google.cast.media MEDIA_STATUS: /status/0/currentTime: expected a number");
    EXPECT_EQ(error_of(ns::receiver, R"({"type":"LAUNCH_ERROR","reason":5})"),
              "urn:x-cast:com.google.cast.receiver LAUNCH_ERROR: /reason: expected a string");
}
