#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "config/graph_config.hpp"

using namespace switchboard::core;

namespace {
std::string error_of(const std::string& text, const std::string& base = ".") {
    auto r = parse_graph_config(text, "t.json", base);
    return r ? "" : r.error().message;
}
}  // namespace

TEST(GraphConfig, ReadsNodesLinksAndSettings) {
    auto r = parse_graph_config(R"({
      "description": "d", "duration_s": 2.5, "workers": 3, "log_level": "debug",
      "timers": {"shutdown_grace_s": 1},
      "nodes": [{"name": "a", "type": "x.src"}, {"name": "b", "type": "x.sink", "config": {"k": 1}}],
      "links": [{"from": "a.out", "to": "b.in", "queue": 7, "convert": "auto"}]
    })",
                                "t.json", ".");
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(*r->duration_s, 2.5);
    EXPECT_EQ(r->workers, 3u);
    EXPECT_EQ(r->timers.shutdown_grace_s, 1.0);
    ASSERT_EQ(r->nodes.size(), 2u);
    EXPECT_TRUE(r->nodes[0].config->IsObject());
    EXPECT_EQ((*r->nodes[1].config)["k"].GetInt(), 1);
    ASSERT_EQ(r->links.size(), 1u);
    EXPECT_EQ(r->links[0].from.node, "a");
    EXPECT_EQ(r->links[0].to.port, "in");
    EXPECT_EQ(r->links[0].queue, 7u);
    EXPECT_TRUE(r->links[0].convert_auto);
}

TEST(GraphConfig, TopLevelErrors) {
    EXPECT_EQ(error_of(R"({"nodes": [{"name": "a", "type": "x.y"}], "nodez": 1})"),
              "t.json: /: unknown key \"nodez\" (known keys: description, duration_s, workers, log_level, "
              "plugin_path, timers, state_dir, rtc, control, nodes, links)");
    EXPECT_EQ(error_of(R"({"nodes": [{"name": "a", "type": "x.y"}, {"name": "a", "type": "x.z"}]})"),
              "t.json: /nodes/1/name: duplicate node name \"a\"");
    EXPECT_EQ(error_of(R"({"nodes": [{"name": "a", "type": "xy"}]})"),
              "t.json: /nodes/0/type: must match the pattern \"^[a-z0-9_]+\\\\.[a-z0-9_]+$\", found string \"xy\"");
    EXPECT_EQ(error_of(R"({"nodes": []})"), "t.json: /nodes: violates \"minItems\": 1, found array []");
}

TEST(GraphConfig, Control) {
    const std::string nodes = R"("nodes": [{"name": "a", "type": "x.y"}])";
    auto none = parse_graph_config("{" + nodes + "}", "t.json", ".");
    ASSERT_TRUE(none) << none.error().message;
    EXPECT_FALSE(none->control);

    auto defaults = parse_graph_config(R"({"control": {}, )" + nodes + "}", "t.json", ".");
    ASSERT_TRUE(defaults) << defaults.error().message;
    ASSERT_TRUE(defaults->control);
    EXPECT_EQ(defaults->control->listen.address().to_string(), "127.0.0.1");
    EXPECT_EQ(defaults->control->listen.port(), 8890);
    EXPECT_FALSE(defaults->control->token);

    ::setenv("SB_TEST_CONTROL_TOKEN", "t0ken", 1);
    auto set = parse_graph_config(
        R"({"control": {"listen": "0.0.0.0:0", "token": "${env:SB_TEST_CONTROL_TOKEN}"}, )" + nodes + "}", "t.json",
        ".");
    ASSERT_TRUE(set) << set.error().message;
    EXPECT_EQ(set->control->listen.port(), 0);
    EXPECT_EQ(set->control->token, "t0ken");

    EXPECT_EQ(error_of(R"({"control": {"listen": "camera:80"}, )" + nodes + "}"),
              "t.json: /control/listen: expected host:port with an IP address or localhost (\"127.0.0.1:8890\", "
              "\"[::1]:8890\"), found \"camera:80\"");
    EXPECT_EQ(error_of(R"({"control": {"listen": "0.0.0.0:8890"}, )" + nodes + "}"),
              "t.json: /control/token: required when listen (0.0.0.0) is not a loopback address; set it with "
              "\"${env:NAME}\"");
    EXPECT_EQ(error_of(R"({"control": {"port": 1}, )" + nodes + "}"),
              "t.json: /control: unknown key \"port\" (known keys: listen, token)");
}

TEST(GraphConfig, SubstitutesEnvironmentAndFiles) {
    auto dir = std::filesystem::temp_directory_path() / ("sb-config-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "token.txt") << "s3cret\n";
    ::setenv("SB_TEST_PATH", "/tmp/out.mkv", 1);
    auto r = parse_graph_config(R"({"nodes": [{"name": "a", "type": "x.y",
        "config": {"path": "${env:SB_TEST_PATH}", "token": "Bearer ${file:token.txt}", "keep": "${other}"}}]})",
                                "t.json", dir.string());
    ASSERT_TRUE(r) << r.error().message;
    const auto& c = *r->nodes[0].config;
    EXPECT_STREQ(c["path"].GetString(), "/tmp/out.mkv");
    EXPECT_STREQ(c["token"].GetString(), "Bearer s3cret");
    EXPECT_STREQ(c["keep"].GetString(), "${other}");
    EXPECT_EQ(r->redactions.at("/nodes/0/config/token"), "Bearer ${file:token.txt}");
    std::filesystem::remove_all(dir);
}

TEST(GraphConfig, UnsetVariableAndUnreadableFile) {
    ::unsetenv("SB_TEST_UNSET");
    EXPECT_EQ(error_of(R"({"nodes": [{"name": "a", "type": "x.y", "config": {"p": "${env:SB_TEST_UNSET}"}}]})"),
              "t.json: /nodes/0/config/p: ${env:SB_TEST_UNSET}: environment variable SB_TEST_UNSET is not set");
    auto e = error_of(R"({"nodes": [{"name": "a", "type": "x.y", "config": {"p": "${file:/nonexistent/key}"}}]})");
    EXPECT_EQ(e,
              "t.json: /nodes/0/config/p: ${file:/nonexistent/key}: cannot read '/nonexistent/key': No such file "
              "or directory");
}
