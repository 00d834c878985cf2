#include "matrix_client/sync_response.hpp"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "matrix_client/json_util.hpp"
#include "matrix_client/sync_filter.hpp"

namespace switchboard::matrix {
namespace {

// Shaped like Synapse 1.67's answer (empty sections left out).
constexpr const char* kSync = R"({
  "next_batch": "s72595_4483_1934",
  "rooms": {
    "join": {
      "!a:hs": {
        "timeline": {
          "events": [
            {"type": "m.call.invite", "event_id": "$1", "sender": "@alice:hs", "origin_server_ts": 1700000000000,
             "content": {"call_id": "c1", "version": "1", "lifetime": 60000}, "unsigned": {"age": 1234}},
            {"type": "m.call.candidates", "sender": "@alice:hs", "content": {}},
            "not an event",
            {"type": "m.call.hangup", "event_id": "$3", "sender": "@gw:hs", "content": [1, 2],
             "unsigned": {"age": 5, "transaction_id": "sb00.7"}}
          ],
          "limited": true,
          "prev_batch": "t34-23535_0_0"
        },
        "state": {"events": [{"type": "m.room.member", "state_key": "@alice:hs", "event_id": "$m",
                              "sender": "@alice:hs", "content": {"membership": "join"}}]}
      }
    },
    "invite": {
      "!b:hs": {"invite_state": {"events": [
        {"type": "m.room.name", "state_key": "", "sender": "@bob:hs", "content": {"name": "door"}},
        {"type": "m.room.member", "state_key": "@gw:hs", "sender": "@bob:hs",
         "content": {"membership": "invite", "is_direct": true}}]}}
    },
    "leave": {"!c:hs": {}}
  },
  "to_device": {"events": [{"sender": "@bob:hs", "type": "m.call.invite", "content": {"x": 1}}, {"type": "bad"}]}
})";

TEST(SyncResponse, ReadsTimelineStateInvitesLeavesAndToDevice) {
    auto parsed = parse_sync_response(kSync, "@gw:hs");
    ASSERT_TRUE(parsed) << parsed.error().to_string();
    const auto& sync = parsed.value();
    EXPECT_EQ(sync.next_batch, "s72595_4483_1934");
    ASSERT_EQ(sync.joined.size(), 1u);
    const auto& room = sync.joined[0];
    EXPECT_EQ(room.room_id, "!a:hs");
    EXPECT_TRUE(room.limited);
    EXPECT_EQ(room.prev_batch, "t34-23535_0_0");
    ASSERT_EQ(room.timeline.size(), 2u);  // one without event_id, one not an object: skipped
    EXPECT_EQ(room.timeline[0].event_id, "$1");
    EXPECT_EQ(room.timeline[0].room_id, "!a:hs");
    EXPECT_EQ(room.timeline[0].age_ms, 1234);
    EXPECT_EQ(room.timeline[0].origin_server_ts, 1700000000000);
    EXPECT_EQ(json::string_or(room.timeline[0].content, "version", ""), "1");
    EXPECT_TRUE(room.timeline[1].content.IsObject());  // content of the wrong type: empty object
    EXPECT_EQ(room.timeline[1].transaction_id, "sb00.7");
    ASSERT_EQ(room.state.size(), 1u);
    EXPECT_EQ(room.state[0].state_key, "@alice:hs");
    EXPECT_EQ(sync.skipped_events, 3u);
    ASSERT_EQ(sync.invited.size(), 1u);
    EXPECT_EQ(sync.invited[0].room_id, "!b:hs");
    EXPECT_EQ(sync.invited[0].inviter, "@bob:hs");
    EXPECT_TRUE(sync.invited[0].is_direct);
    ASSERT_EQ(sync.left.size(), 1u);
    EXPECT_EQ(sync.left[0], "!c:hs");
    ASSERT_EQ(sync.to_device.size(), 1u);
    EXPECT_EQ(sync.to_device[0].type, "m.call.invite");
}

TEST(SyncResponse, AbsentSectionsAreEmpty) {
    auto parsed = parse_sync_response(R"({"next_batch":"s1"})", "@gw:hs");
    ASSERT_TRUE(parsed);
    EXPECT_TRUE(parsed.value().joined.empty());
    EXPECT_TRUE(parsed.value().to_device.empty());
}

TEST(SyncResponse, WrongShapesAreErrorsOrIgnored) {
    EXPECT_FALSE(parse_sync_response("", "@gw:hs"));
    EXPECT_FALSE(parse_sync_response("[]", "@gw:hs"));
    EXPECT_FALSE(parse_sync_response(R"({"rooms":{}})", "@gw:hs"));  // no next_batch
    auto odd = parse_sync_response(R"({"next_batch":"s2","rooms":{"join":{"!a":5,"!b":{"timeline":[]}},
        "invite":[1],"leave":"x"},"to_device":{"events":{}}})",
                                   "@gw:hs");
    ASSERT_TRUE(odd) << odd.error().to_string();
    ASSERT_EQ(odd.value().joined.size(), 1u);
    EXPECT_TRUE(odd.value().joined[0].timeline.empty());
}

TEST(SyncResponse, MessagesPage) {
    auto page = parse_messages_page(R"({"chunk":[{"type":"t","event_id":"$9","sender":"@a:hs","content":{}}],
        "start":"t9","end":"t8"})",
                                    "!a:hs");
    ASSERT_TRUE(page);
    ASSERT_EQ(page.value().chunk.size(), 1u);
    EXPECT_EQ(page.value().chunk[0].room_id, "!a:hs");
    EXPECT_EQ(page.value().end, "t8");
    auto last = parse_messages_page(R"({"chunk":[],"start":"t1"})", "!a:hs");
    ASSERT_TRUE(last);
    EXPECT_FALSE(last.value().end);
}

TEST(SyncFilter, LimitTypesAndNoPresence) {
    SyncFilterOptions options;
    options.timeline_limit = 10;
    options.timeline_types = {"m.call.*", "m.room.member"};
    rapidjson::Document filter;
    filter.Parse(make_sync_filter(options).c_str());
    ASSERT_FALSE(filter.HasParseError());
    EXPECT_EQ(filter["room"]["timeline"]["limit"].GetInt(), 10);
    EXPECT_EQ(filter["room"]["timeline"]["types"].Size(), 2u);
    EXPECT_STREQ(filter["presence"]["not_types"][0].GetString(), "*");
}

}  // namespace
}  // namespace switchboard::matrix
