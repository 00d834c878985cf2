// matrix.signalling config: the schema, defaults, and the errors that name their pointer.
#include <gtest/gtest.h>

#include "matrix/station/station_settings.hpp"
#include "unit/plugins/plugin_test_util.hpp"

using namespace switchboard;
using namespace switchboard::matrix;
using switchboard::test::JsonConfig;

namespace {

const std::string minimal = R"({"homeserver": "https://hs.example", "user": "station", "password": "pw")";

switchboard::Result<StationSettings> settings(const std::string& json) {
    JsonConfig cfg(json);
    return StationSettings::from(cfg.config());
}

}  // namespace

TEST(StationSettings, SchemaParsesAndValidates) {
    const std::string schema = station_schema;
    EXPECT_TRUE(test::schema_accepts(schema, minimal + "}"));
    EXPECT_TRUE(test::schema_accepts(
        schema,
        minimal + R"(, "allow": ["@a:hs"], "ring": ["family", "@b:hs", "!r:hs"], "ring_lists": {"family": ["@a:hs"]},
            "lifetime_ms": 90000, "invite_timeout_ms": 30000, "version": 0, "timeline_limit": 10,
            "rate_limit": {"per_second": 1, "burst": 20}})"));
    EXPECT_FALSE(test::schema_accepts(schema, R"({"user": "station", "password": "pw"})"));  // no homeserver
    EXPECT_FALSE(test::schema_accepts(schema, minimal + R"(, "allow": ["alice"]})"));        // not a user id
    EXPECT_FALSE(test::schema_accepts(schema, minimal + R"(, "version": 1})"));              // "1" or 0
    EXPECT_FALSE(test::schema_accepts(schema, minimal + R"(, "lifetime_ms": 1000})"));
    EXPECT_FALSE(test::schema_accepts(schema, minimal + R"(, "ring_lists": {"empty": []}})"));
    EXPECT_FALSE(test::schema_accepts(schema, minimal + R"(, "calls": 2})"));  // additionalProperties
}

TEST(StationSettings, DefaultsMatchTheSchema) {
    auto s = settings(minimal + "}");
    ASSERT_TRUE(s) << s.error().message;
    EXPECT_EQ(s->lifetime_ms, 60000);
    EXPECT_EQ(s->invite_timeout_ms, 60000);
    EXPECT_EQ(s->version, CallProtocol::v1);
    EXPECT_EQ(s->client.sync.filter.timeline_limit, 50u);
    EXPECT_EQ(s->join_timeout, std::chrono::seconds(60));
    EXPECT_TRUE(s->encrypted_room_notice);
    EXPECT_DOUBLE_EQ(s->rate_limit.per_second, 0.2);
    EXPECT_DOUBLE_EQ(s->rate_limit.burst, 10);
    EXPECT_TRUE(s->allow.empty());
}

TEST(StationSettings, ReadsListsVersionAndTimeouts) {
    auto s = settings(minimal + R"(, "allow": ["@a:hs", "@b:hs"], "ring": ["family", "!r:hs"],
        "ring_lists": {"family": ["@a:hs", "@b:hs"]}, "lifetime_ms": 90000, "version": 0})");
    ASSERT_TRUE(s) << s.error().message;
    EXPECT_EQ(s->allow.size(), 2u);
    EXPECT_EQ(s->ring, (std::vector<std::string>{"family", "!r:hs"}));
    EXPECT_EQ(s->ring_lists.at("family").size(), 2u);
    EXPECT_EQ(s->invite_timeout_ms, 90000) << "the invite timeout follows the lifetime";
    EXPECT_EQ(s->version, CallProtocol::v0);
}

TEST(StationSettings, ErrorsNameTheirPointer) {
    auto no_secret = settings(R"({"homeserver": "https://hs.example", "user": "station"})");
    ASSERT_FALSE(no_secret);
    EXPECT_NE(no_secret.error().message.find("needs \"password\" or \"access_token\""), std::string::npos);
    auto bad_ring = settings(minimal + R"(, "ring": ["@a:hs", "neighbours"]})");
    ASSERT_FALSE(bad_ring);
    EXPECT_NE(bad_ring.error().message.find("/ring/1: \"neighbours\" is neither"), std::string::npos)
        << bad_ring.error().message;
}

TEST(StationSettings, TellsUserAndRoomIds) {
    EXPECT_TRUE(looks_like_user_id("@alice:example.org"));
    EXPECT_FALSE(looks_like_user_id("alice"));
    EXPECT_FALSE(looks_like_user_id("@:example.org"));
    EXPECT_FALSE(looks_like_user_id("@alice:"));
    EXPECT_TRUE(looks_like_room_id("!abc:example.org"));
    EXPECT_FALSE(looks_like_room_id("#alias:example.org"));
}
