#include <gtest/gtest.h>

#include "plugin_host/plugin_host.hpp"

using namespace switchboard::core;

namespace {
const std::filesystem::path good_dir = SWITCHBOARD_TEST_PLUGIN_DIR;
const std::filesystem::path broken_dir = good_dir / "broken";

std::string load_error(PluginHost& host, const std::filesystem::path& file) {
    auto r = host.load_file(file);
    return r ? "" : r.error().message;
}
}  // namespace

TEST(PluginHost, LoadsAPluginByTypePrefix) {
    PluginHost host({good_dir});
    auto t = host.node_type("testplug.source");
    ASSERT_TRUE(t) << t.error().message;
    EXPECT_EQ(t.value()->info.role, switchboard::NodeRole::source);
    EXPECT_EQ(host.plugins().size(), 1u);
    EXPECT_EQ(host.plugins()[0]->version, "1.0");
}

TEST(PluginHost, MissingFile) {
    PluginHost host({good_dir});
    auto t = host.node_type("nosuch.node");
    ASSERT_FALSE(t);
    const std::string expected =
        "unknown node type 'nosuch.node': plugin 'nosuch' not found: no "
        "libswitchboard-nosuch.so in " +
        good_dir.string();
    EXPECT_EQ(t.error().message.rfind(expected, 0), 0u) << t.error().message;
}

TEST(PluginHost, UnknownTypeInAKnownPlugin) {
    PluginHost host({good_dir});
    auto t = host.node_type("testplug.nope");
    ASSERT_FALSE(t);
    EXPECT_EQ(t.error().message,
              "unknown node type 'testplug.nope': plugin 'testplug' provides testplug.call, testplug.pass, "
              "testplug.sink, testplug.source");
}

TEST(PluginHost, MissingSymbols) {
    PluginHost host;
    auto f = broken_dir / "libswitchboard-noabi.so";
    EXPECT_EQ(load_error(host, f),
              f.string() + ": not a Switchboard plugin: symbol 'switchboard_abi_version' not found");
    f = broken_dir / "libswitchboard-nodescriptor.so";
    EXPECT_EQ(load_error(host, f), f.string() +
                                       ": not a Switchboard plugin: symbol 'switchboard_plugin' not found "
                                       "(use SWITCHBOARD_PLUGIN(...))");
    f = broken_dir / "libswitchboard-nothere.so";
    EXPECT_EQ(load_error(host, f), f.string() + ": no such plugin file");
}

TEST(PluginHost, AbiMismatchIsRefusedBeforeAnyCxxSymbol) {
    PluginHost host;
    auto f = broken_dir / "libswitchboard-badabi.so";
    EXPECT_EQ(load_error(host, f), f.string() + ": built for plugin ABI " +
                                       std::to_string(SWITCHBOARD_ABI_VERSION + 998) + ", this switchboard uses ABI " +
                                       std::to_string(SWITCHBOARD_ABI_VERSION) + "; rebuild it against SDK " +
                                       SWITCHBOARD_SDK_VERSION);
    EXPECT_TRUE(host.plugins().empty());
}

TEST(PluginHost, DuplicateNodeType) {
    PluginHost host({good_dir});
    ASSERT_TRUE(host.load("testplug"));
    auto f = broken_dir / "libswitchboard-duplicate.so";
    EXPECT_EQ(load_error(host, f), f.string() + ": duplicate node type 'testplug.source', already provided by " +
                                       (good_dir / "libswitchboard-testplug.so").string());
    EXPECT_EQ(host.plugins().size(), 1u);
}

TEST(PluginHost, InvalidSchema) {
    PluginHost host;
    auto f = broken_dir / "libswitchboard-badschema.so";
    auto e = load_error(host, f);
    EXPECT_EQ(
        e.rfind(f.string() + ": schema of node type 'badschema.node' is not valid JSON Schema draft-04: /type:", 0), 0u)
        << e;
}

TEST(PluginHost, LoadAllReportsEachBrokenPluginAndKeepsTheRest) {
    PluginHost host({good_dir, broken_dir});
    auto errors = host.load_all();
    EXPECT_EQ(errors.size(), 5u);
    ASSERT_FALSE(host.plugins().empty());
    EXPECT_EQ(host.plugins()[0]->name, "testplug");
    EXPECT_TRUE(host.node_types().count("testplug.sink"));
}
