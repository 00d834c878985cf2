// whep.server config: schema, listen addresses, the token rule off loopback.
#include <gtest/gtest.h>

#include "unit/plugins/plugin_test_util.hpp"
#include "whep/server_settings.hpp"

using namespace switchboard;
using namespace switchboard::whep;
using switchboard::test::JsonConfig;

namespace {

Result<ServerSettings> settings(const std::string& json) {
    JsonConfig cfg(json);
    return ServerSettings::from(cfg.config());
}

}  // namespace

TEST(Settings, SchemaParsesAndValidates) {
    const std::string schema = server_schema;
    EXPECT_TRUE(test::schema_accepts(schema, "{}"));
    EXPECT_TRUE(
        test::schema_accepts(schema, R"({"listen":"0.0.0.0:8889","token":"t","max_sessions":4,"read_timeout_s":0.5})"));
    EXPECT_FALSE(test::schema_accepts(schema, R"({"port":8889})"));  // additionalProperties
    EXPECT_FALSE(test::schema_accepts(schema, R"({"token":""})"));
    EXPECT_FALSE(test::schema_accepts(schema, R"({"max_sessions":0})"));
    EXPECT_FALSE(test::schema_accepts(schema, R"({"listen":8889})"));
}

TEST(Settings, DefaultsMatchTheSchema) {
    auto s = settings("{}");
    ASSERT_TRUE(s) << s.error().message;
    EXPECT_EQ(s->listen.address().to_string(), "127.0.0.1");
    EXPECT_EQ(s->listen.port(), 8889);
    EXPECT_FALSE(s->token);
    EXPECT_EQ(s->max_sessions, 16);
    EXPECT_EQ(s->read_timeout, std::chrono::seconds(10));
}

TEST(Settings, BadListenNamesItsPointer) {
    auto s = settings(R"({"listen":"camera:80"})");
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().kind, ErrorKind::invalid);
    EXPECT_NE(s.error().message.find("/nodes/0/config/listen: expected host:port"), std::string::npos)
        << s.error().message;
}

TEST(Settings, TokenRequiredOffLoopback) {
    auto s = settings(R"({"listen":"0.0.0.0:8889"})");
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().kind, ErrorKind::invalid);
    EXPECT_NE(s.error().message.find("/nodes/0/config/token: required when listen (0.0.0.0) is not a loopback"),
              std::string::npos)
        << s.error().message;
    EXPECT_TRUE(settings(R"({"listen":"0.0.0.0:8889","token":"s3cret"})"));
    EXPECT_TRUE(settings(R"({"listen":"[::1]:8889"})"));
    EXPECT_TRUE(settings(R"({"listen":"127.0.0.2:8889"})"));  // all of 127/8 is loopback
}

TEST(Settings, TokenNeverInErrors) {
    auto s = settings(R"({"listen":"nowhere","token":"s3cret-value"})");
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().message.find("s3cret-value"), std::string::npos);
}
