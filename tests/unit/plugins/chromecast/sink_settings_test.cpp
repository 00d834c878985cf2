// chromecast.sink config: the schema, the defaults per mode, and each rule with its pointer.
#include <gtest/gtest.h>

#include "chromecast/sink/sink_settings.hpp"
#include "unit/plugins/plugin_test_util.hpp"

using namespace switchboard;
using namespace switchboard::chromecast;
using switchboard::test::JsonConfig;

namespace {

Result<SinkSettings> settings(const std::string& json) {
    JsonConfig cfg(json);
    return SinkSettings::from(cfg.config());
}

bool mentions(const Error& error, const std::string& what) {
    return error.message.find(what) != std::string::npos;
}

}  // namespace

TEST(SinkSettings, SchemaParsesAndValidates) {
    const std::string schema = sink_schema;
    EXPECT_TRUE(test::schema_accepts(schema, R"({"host":"192.168.1.20"})"));
    EXPECT_TRUE(test::schema_accepts(
        schema, R"({"name":"Living Room TV","mode":"media","advertised_base_url":"http://192.168.1.10:8899"})"));
    EXPECT_FALSE(test::schema_accepts(schema, R"({"host":"tv","mode":"hls"})"));
    EXPECT_FALSE(test::schema_accepts(schema, R"({"host":"tv","app_id":"dashcast"})"));
    EXPECT_FALSE(test::schema_accepts(schema, R"({"host":"tv","advertised_base_url":"http://tv:1/page"})"));
    EXPECT_FALSE(test::schema_accepts(schema, R"({"host":"tv","part_target_s":1})"));  // LL-HLS wants <= 0.5
    EXPECT_FALSE(test::schema_accepts(schema, R"({"host":"tv","fight":true})"));
}

TEST(SinkSettings, WebrtcModeDefaultsToDashCast) {
    auto s = settings(R"({"host":"192.168.1.20","advertised_base_url":"http://192.168.1.10:8899"})");
    ASSERT_TRUE(s) << s.error().message;
    EXPECT_EQ(s->mode, DeliveryMode::webrtc);
    EXPECT_EQ(s->app_id, "84912283");
    EXPECT_EQ(s->app_namespace, "urn:x-cast:com.madmod.dashcast");
    EXPECT_EQ(s->port, 8009);
    EXPECT_EQ(s->heartbeat_interval, std::chrono::seconds(5));
    EXPECT_EQ(s->dead_after, std::chrono::seconds(20));
    EXPECT_TRUE(s->yield_to_other_apps);
}

TEST(SinkSettings, MediaModeDefaultsToTheDefaultMediaReceiver) {
    auto s = settings(R"({"host":"tv.lan","mode":"media","listen":"192.168.1.10:8899"})");
    ASSERT_TRUE(s) << s.error().message;
    EXPECT_EQ(s->app_id, "CC1AD845");
    EXPECT_EQ(s->advertised_base_url, "http://192.168.1.10:8899");  // from listen, when it names one address
    EXPECT_EQ(s->part_target, std::chrono::microseconds(334'000));
}

TEST(SinkSettings, TheTvIsGivenOnceByHostOrByName) {
    auto both = settings(R"({"host":"tv","name":"TV","listen":"127.0.0.1:1"})");
    ASSERT_FALSE(both);
    EXPECT_TRUE(mentions(both.error(), "/nodes/0/config: give the TV as exactly one of")) << both.error().message;
    EXPECT_FALSE(settings(R"({"listen":"127.0.0.1:1"})"));
    EXPECT_TRUE(settings(R"({"name":"Living Room TV","listen":"127.0.0.1:1"})"));
}

TEST(SinkSettings, EveryAddressNeedsAnAdvertisedUrl) {
    auto s = settings(R"({"host":"tv"})");
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().kind, ErrorKind::invalid);
    EXPECT_TRUE(mentions(s.error(), "/nodes/0/config/advertised_base_url: required when listen (0.0.0.0:8899)"))
        << s.error().message;
}

TEST(SinkSettings, DeadAfterMustExceedTheHeartbeat) {
    auto s = settings(R"({"host":"tv","listen":"127.0.0.1:1","heartbeat_interval_s":5,"dead_after_s":5})");
    ASSERT_FALSE(s);
    EXPECT_TRUE(mentions(s.error(), "/nodes/0/config/dead_after_s: must be longer than heartbeat_interval_s"))
        << s.error().message;
}

TEST(SinkSettings, ASegmentHoldsTwoParts) {
    auto s = settings(R"({"host":"tv","listen":"127.0.0.1:1","part_target_s":0.5,"segment_target_s":0.6})");
    ASSERT_FALSE(s);
    EXPECT_TRUE(mentions(s.error(), "/nodes/0/config/segment_target_s")) << s.error().message;
}
