// The `switchboard` program as a user meets it: every way a config can be wrong gets
// one clear message naming where, and exit code 2 with nothing started.
#include <algorithm>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <regex>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <switchboard/abi.hpp>

#include "support/loopback_ports.hpp"
#include "support/process.hpp"

using switchboard::test::run_process;
using testing::HasSubstr;
using testing::Not;

namespace {

const std::string program = std::string(SWITCHBOARD_BINARY_DIR) + "/bin/switchboard";
const std::string bad = std::string(SWITCHBOARD_SOURCE_DIR) + "/tests/integration/bad_configs/";

struct BadConfig {
    const char* file;
    std::vector<std::string> message;  // every piece must appear in stderr
};

std::ostream& operator<<(std::ostream& os, const BadConfig& c) {
    return os << c.file;
}

class BadConfigs : public testing::TestWithParam<BadConfig> {};

}  // namespace

TEST_P(BadConfigs, RefusedWithAClearMessageAndExitCode2) {
    const auto& c = GetParam();
    for (const char* command : {"check", "run"}) {
        auto r = run_process({program, command, bad + c.file},
                             {{"SWITCHBOARD_TEST_SECRET", "hunter2-value"}, {"SWITCHBOARD_TEST_UNSET", ""}},
                             std::chrono::seconds(30));
        EXPECT_EQ(r.exit_code, 2) << command << " " << c.file << "\n" << r.err;
        EXPECT_EQ(r.err.rfind("switchboard: " + bad + c.file + ":", 0), 0u) << r.err;
        for (const auto& piece : c.message) EXPECT_THAT(r.err, HasSubstr(piece)) << command;
        EXPECT_THAT(r.err, Not(HasSubstr("hunter2"))) << "a secret leaked";
        EXPECT_THAT(r.out, Not(HasSubstr("node "))) << "run printed statistics: something started";
        // One line: the message, nothing else.
        EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    }
}

INSTANTIATE_TEST_SUITE_P(
    Cli, BadConfigs,
    testing::Values(
        BadConfig{"unknown_node_type.json",
                  {"/nodes/0/type: unknown node type 'nosuch.camera': plugin 'nosuch' not found: no "
                   "libswitchboard-nosuch.so in"}},
        BadConfig{"missing_required_field.json", {"/nodes/2/config: missing required field \"path\""}},
        BadConfig{"wrong_type.json", {"/nodes/0/config/width: expected integer, found string \"wide\""}},
        BadConfig{"missing_port.json",
                  {"/links/0/to: node \"h264\" (transcode.encoder) has no input port \"input\"; its inputs: in"}},
        BadConfig{"missing_node.json", {"/links/0/from: no node named \"cam\""}},
        BadConfig{"two_outputs_one_input.json",
                  {"/links/1/to: input \"h264.in\" already has a link from \"front.video\" (/links/0); an input "
                   "takes one link"}},
        BadConfig{"cycle.json",
                  {"/links: the graph has a cycle: encode.out -> decode.in (/links/0), decode.out -> encode.in "
                   "(/links/1)"}},
        BadConfig{"no_common_format.json",
                  {"/links/0: no common format: output \"camera.audio\" offers {audio/S16 48000Hz 1ch}",
                   "input \"h264.in\" accepts {video/I420", "\"convert\": \"auto\""}},
        BadConfig{"unset_env.json",
                  {"/nodes/2/config/path: ${env:SWITCHBOARD_TEST_UNSET}: environment variable "
                   "SWITCHBOARD_TEST_UNSET is not set"}},
        BadConfig{"unreadable_file.json",
                  {"/nodes/1/config/codec: ${file:no-such-secret.txt}: cannot read '",
                   "no-such-secret.txt': No such "
                   "file or directory"}},
        BadConfig{"duplicate_node_name.json", {"/nodes/1/name: duplicate node name \"camera\""}},
        BadConfig{"bad_json.json", {"bad_json.json:4:5: Missing a comma or ']' after an array element."}},
        BadConfig{"unknown_top_level_key.json", {"/: unknown key \"link\" (known keys: description,"}},
        BadConfig{
            "secret_redacted.json",
            {"/nodes/0/config/codec: expected one of", "the value of \"${env:SWITCHBOARD_TEST_SECRET}\" (hidden)"}},
        BadConfig{"whep_token_off_loopback.json",
                  {"/nodes/1/config/token: required when listen (0.0.0.0) is not a loopback address"}},
        BadConfig{"tv_without_advertised_url.json",
                  {"/nodes/1/config/advertised_base_url: required when listen (0.0.0.0:8899) is every address",
                   "http://192.168.1.10:8899"}},
        BadConfig{"control_bad_listen.json",
                  {"/control/listen: expected host:port with an IP address or localhost", "found \"localhost\""}},
        BadConfig{"control_token_off_loopback.json",
                  {"/control/token: required when listen (0.0.0.0) is not a loopback address"}},
        BadConfig{"convert_without_converter.json",
                  {"/links/0: \"convert\": \"auto\", but no loaded plugin converts audio/S16 48000Hz 1ch",
                   "input \"recorder.video\" accepts"}}),
    [](const testing::TestParamInfo<BadConfig>& info) {
        std::string name = info.param.file;
        name = name.substr(0, name.find('.'));
        return name;
    });

TEST(Cli, UsageErrorsExit2) {
    EXPECT_EQ(run_process({program}).exit_code, 2);
    EXPECT_EQ(run_process({program, "run"}).exit_code, 2);
    EXPECT_EQ(run_process({program, "frobnicate"}).exit_code, 2);
    EXPECT_EQ(run_process({program, "run", "a.json", "--bogus"}).exit_code, 2);
    auto missing = run_process({program, "check", "/nonexistent/config.json"});
    EXPECT_EQ(missing.exit_code, 2);
    EXPECT_THAT(missing.err, HasSubstr("cannot read '/nonexistent/config.json': No such file or directory"));
}

TEST(Cli, VersionAndHelp) {
    auto v = run_process({program, "--version"});
    EXPECT_EQ(v.exit_code, 0);
    EXPECT_THAT(v.out, HasSubstr(std::string("switchboard ") + SWITCHBOARD_SDK_VERSION + " (plugin ABI " +
                                 std::to_string(SWITCHBOARD_ABI_VERSION) + ")"));
    auto h = run_process({program, "--help"});
    EXPECT_EQ(h.exit_code, 0);
    EXPECT_THAT(h.out, HasSubstr("switchboard check CONFIG"));
}

TEST(Cli, PluginsListsNodeTypesWithSchemas) {
    auto r = run_process({program, "plugins"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    for (const char* type : {"testsrc.camera", "transcode.encoder", "transcode.decoder", "file.sink", "file.source"})
        EXPECT_THAT(r.out, HasSubstr(type));
    EXPECT_THAT(r.out, HasSubstr("config schema:"));
    EXPECT_THAT(r.out, HasSubstr("\"additionalProperties\": false"));
}

TEST(Cli, PluginsReportsBrokenPlugins) {
    auto r = run_process({program, "plugins", "--plugin-path", std::string(SWITCHBOARD_TEST_PLUGIN_DIR) + "/broken"});
    EXPECT_EQ(r.exit_code, 1);
    // tests/plugins/broken_plugin.cpp claims ABI + 998.
    EXPECT_THAT(r.err, HasSubstr("libswitchboard-badabi.so: built for plugin ABI " +
                                 std::to_string(SWITCHBOARD_ABI_VERSION + 998) + ", this switchboard uses ABI " +
                                 std::to_string(SWITCHBOARD_ABI_VERSION)));
    EXPECT_THAT(r.err, HasSubstr("libswitchboard-noabi.so: not a Switchboard plugin: symbol 'switchboard_abi_version' "
                                 "not found"));
}

TEST(Cli, RunExits1WhenANodeFailsWhileRunning) {
    // A valid config whose sink gives up after 10 frames: the run drains, prints its
    // statistics and exits 1, and the failure names the node.
    const auto config = std::string(SWITCHBOARD_BINARY_DIR) + "/cli-test-fail.json";
    std::ofstream(config) << R"({"plugin_path": [")" << SWITCHBOARD_TEST_PLUGIN_DIR << R"("], "nodes": [
      {"name": "src", "type": "testplug.source", "config": {"interval_ms": 2}},
      {"name": "sink", "type": "testplug.sink", "config": {"fail_after": 10}}],
      "links": [{"from": "src.video", "to": "sink.in"}]})";
    auto r = run_process({program, "run", config}, {}, std::chrono::seconds(30));
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_THAT(r.err, HasSubstr("node \"sink\" failed: gave up after 10 frames"));
    EXPECT_THAT(r.out, HasSubstr("sink"));
}

namespace {

/// A light graph that runs until stopped, with `control` as its control object.
std::string control_config(const std::string& name, const std::string& control, const std::string& extra = "") {
    const auto config = std::string(SWITCHBOARD_BINARY_DIR) + "/cli-test-" + name + ".json";
    std::ofstream(config) << R"({"plugin_path": [")" << SWITCHBOARD_TEST_PLUGIN_DIR << R"("], )" << extra
                          << R"("control": )" << control << R"(, "nodes": [
      {"name": "src", "type": "testplug.source", "config": {"interval_ms": 20}},
      {"name": "sink", "type": "testplug.sink"}],
      "links": [{"from": "src.video", "to": "sink.in"}]})";
    return config;
}

}  // namespace

TEST(Cli, ControlCommandsAgainstARunningSwitchboard) {
    const auto port = switchboard::test::free_loopback_port();
    ASSERT_NE(port, 0);
    const std::string control = "127.0.0.1:" + std::to_string(port);
    const auto config = control_config(
        "control", R"({"listen": ")" + control + R"(", "token": "${env:SWITCHBOARD_TEST_CONTROL_TOKEN}"})");
    const std::map<std::string, std::string> server_env{{"SWITCHBOARD_TEST_CONTROL_TOKEN", "hunter2-token"}};
    switchboard::test::ChildProcess child({program, "run", config}, server_env);
    ASSERT_TRUE(switchboard::test::wait_for_tcp(port, std::chrono::seconds(20)));
    const std::map<std::string, std::string> token{{"SWITCHBOARD_CONTROL_TOKEN", "hunter2-token"}};
    const auto timeout = std::chrono::seconds(30);

    auto calls = run_process({program, "calls", "--control", control}, token, timeout);
    EXPECT_EQ(calls.exit_code, 0) << calls.err;
    EXPECT_EQ(calls.out, "no calls\n");
    auto json = run_process({program, "calls", "--json", "--token", "hunter2-token"},
                            {{"SWITCHBOARD_CONTROL", control}}, timeout);
    EXPECT_EQ(json.exit_code, 0) << json.err;
    EXPECT_EQ(json.out, "{\"calls\":[]}\n");

    auto call = run_process({program, "call", "nosuch", "@a:b", "--control", control}, token, timeout);
    EXPECT_EQ(call.exit_code, 1);
    EXPECT_EQ(call.err, "switchboard: no station named \"nosuch\"\n");
    auto hangup = run_process({program, "hangup", "x", "--control", control}, token, timeout);
    EXPECT_EQ(hangup.exit_code, 1);
    EXPECT_EQ(hangup.err, "switchboard: no running call with id \"x\"\n");

    auto no_token = run_process({program, "calls", "--control", control}, {{"SWITCHBOARD_CONTROL_TOKEN", ""}}, timeout);
    EXPECT_EQ(no_token.exit_code, 1);
    EXPECT_THAT(no_token.err, HasSubstr("Authorization: Bearer"));
    auto wrong_token = run_process({program, "calls", "--control", control, "--token", "nope"}, {}, timeout);
    EXPECT_EQ(wrong_token.exit_code, 1);

    // The port is taken: a second run fails, saying where.
    auto second = run_process({program, "run", config}, server_env, timeout);
    EXPECT_EQ(second.exit_code, 1) << second.err;
    EXPECT_THAT(second.err, HasSubstr("control API: cannot listen on " + control + ": bind: "));

    child.signal(SIGINT);
    auto r = child.wait(std::chrono::seconds(20));
    EXPECT_FALSE(r.timed_out);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(r.err, HasSubstr("control API at http://" + control + "/ (bearer token required)"));
    EXPECT_THAT(r.err, Not(HasSubstr("hunter2"))) << "the token leaked into the log";
}

TEST(Cli, ControlApiOnPortZeroLogsTheBoundPort) {
    const auto config = control_config("control-port0", R"({"listen": "127.0.0.1:0"})", R"("duration_s": 0.5, )");
    auto r = run_process({program, "run", config}, {}, std::chrono::seconds(30));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(std::regex_search(r.err, std::regex("control API at http://127\\.0\\.0\\.1:[1-9][0-9]*/"))) << r.err;
}

TEST(Cli, ControlCommandsWithoutAServerOrWithBadUsage) {
    const auto port = switchboard::test::free_loopback_port();
    const std::string control = "127.0.0.1:" + std::to_string(port);
    auto calls = run_process({program, "calls", "--control", control});
    EXPECT_EQ(calls.exit_code, 1);
    EXPECT_THAT(calls.err, HasSubstr("cannot reach the control API at " + control + ": connect: "));
    EXPECT_EQ(run_process({program, "call"}).exit_code, 2);
    EXPECT_EQ(run_process({program, "call", "a", "b", "c"}).exit_code, 2);
    EXPECT_EQ(run_process({program, "call", "phone", "--option", "version"}).exit_code, 2);
    auto not_json = run_process({program, "call", "phone", "--option", "version=zero", "--control", control});
    EXPECT_EQ(not_json.exit_code, 2);
    EXPECT_THAT(not_json.err, HasSubstr("--option version=zero: the value is not JSON"));
    EXPECT_EQ(run_process({program, "hangup"}).exit_code, 2);
    EXPECT_EQ(run_process({program, "calls", "--bogus"}).exit_code, 2);
    auto help = run_process({program, "--help"});
    EXPECT_THAT(help.out, HasSubstr("switchboard call STATION [TARGET]"));
}

TEST(Configs, EveryShippedConfigChecksClean) {
    const auto dir = std::filesystem::path(SWITCHBOARD_SOURCE_DIR) / "configs";
    int checked = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        if (entry.path().extension() != ".json") continue;
        // Secrets come from the environment (${env:NAME}): give each one a stand-in.
        std::ifstream in(entry.path());
        const std::string text((std::istreambuf_iterator<char>(in)), {});
        std::map<std::string, std::string> env;
        static const std::regex secret(R"(\$\{env:([A-Za-z_][A-Za-z0-9_]*)\})");
        for (std::sregex_iterator it(text.begin(), text.end(), secret), end; it != end; ++it)
            env[(*it)[1]] = "stand-in";
        auto r = run_process({program, "check", entry.path().string()}, env, std::chrono::seconds(30));
        EXPECT_EQ(r.exit_code, 0) << entry.path() << "\n" << r.err;
        EXPECT_THAT(r.out, HasSubstr(": OK")) << entry.path();
        ++checked;
    }
    EXPECT_GE(checked, 1);
}

TEST(Configs, ATvThatTakesH264FromACallerGetsATranscoderWhateverTheCallerPicks) {
    // The caller may send VP8 or H264; the TV's HLS takes H264 only, so with
    // "convert": "auto" the link gets a decoder and an encoder even though H264 is common.
    const auto config = std::filesystem::path(SWITCHBOARD_SOURCE_DIR) / "configs" / "camera-call-station-hls.json";
    auto r = run_process({program, "check", config.string()},
                         {{"CAMERA_PASSWORD", "stand-in"}, {"MATRIX_STATION_PASSWORD", "stand-in"}},
                         std::chrono::seconds(30));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(r.out, HasSubstr("station.video -> tv.video~1.in"));
    EXPECT_THAT(r.out, HasSubstr("tv.video~1  transcode.decoder"));
    EXPECT_THAT(r.out, HasSubstr("tv.video~2  transcode.encoder"));
    EXPECT_THAT(r.out, HasSubstr("tv.video~2.out -> tv.video"));
}

TEST(Cli, SigintDrainsFlushesAndExits0) {
    // A live graph with no end of its own: SIGINT must drain it, close the file properly
    // and print the statistics, with exit code 0.
    const auto dir = std::filesystem::path(SWITCHBOARD_BINARY_DIR) / "cli-test-sigint";
    std::filesystem::create_directories(dir);
    const auto out = dir / "out.webm";
    std::filesystem::remove(out);
    const auto config = dir / "live.json";
    std::ofstream(config) << R"({"nodes": [
      {"name": "camera", "type": "testsrc.camera", "config": {"width": 320, "height": 240, "fps": 30}},
      {"name": "vp8", "type": "transcode.encoder", "config": {"codec": "vp8"}},
      {"name": "opus", "type": "transcode.encoder", "config": {"codec": "opus"}},
      {"name": "recorder", "type": "file.sink", "config": {"path": ")"
                          << out.string() << R"("}}],
      "links": [{"from": "camera.video", "to": "vp8.in"}, {"from": "camera.audio", "to": "opus.in"},
                {"from": "vp8.out", "to": "recorder.video"}, {"from": "opus.out", "to": "recorder.audio"}]})";
    switchboard::test::ChildProcess child({program, "run", config.string()});
    // Wait until the file has data, then interrupt.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    std::error_code ec;
    while (std::chrono::steady_clock::now() < deadline &&
           (!std::filesystem::exists(out, ec) || std::filesystem::file_size(out, ec) < 4096))
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    child.signal(SIGINT);
    auto r = child.wait(std::chrono::seconds(20));
    EXPECT_FALSE(r.timed_out);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(r.err, HasSubstr("SIGINT: draining"));
    EXPECT_THAT(r.out, HasSubstr("recorder"));
    auto probe = run_process(
        {"/usr/bin/ffprobe", "-v", "error", "-show_entries", "stream=codec_name", "-of", "csv=p=0", out.string()});
    EXPECT_EQ(probe.exit_code, 0) << probe.err;
    EXPECT_THAT(probe.out, HasSubstr("vp8"));
    EXPECT_THAT(probe.out, HasSubstr("opus"));
}

TEST(Cli, ConvertAutoInsertsEncodersAndTheFilePlays) {
    // Raw camera outputs straight into a recorder that only takes encoded media: with
    // "convert": "auto" the graph inserts an encoder on each link instead of refusing.
    const auto dir = std::filesystem::path(SWITCHBOARD_BINARY_DIR) / "cli-test-convert";
    std::filesystem::create_directories(dir);
    const auto out = dir / "out.mkv";
    std::filesystem::remove(out);
    const auto config = dir / "convert.json";
    std::ofstream(config) << R"({"duration_s": 1.5, "nodes": [
      {"name": "camera", "type": "testsrc.camera", "config": {"width": 320, "height": 240, "fps": 30}},
      {"name": "recorder", "type": "file.sink", "config": {"path": ")"
                          << out.string() << R"("}}],
      "links": [{"from": "camera.video", "to": "recorder.video", "convert": "auto"},
                {"from": "camera.audio", "to": "recorder.audio", "convert": "auto"}]})";
    auto check = run_process({program, "check", config.string()}, {}, std::chrono::seconds(30));
    ASSERT_EQ(check.exit_code, 0) << check.err;
    EXPECT_THAT(check.out, HasSubstr("camera.video -> recorder.video~1.in  [/links/0, inserted by convert: auto]"));
    EXPECT_THAT(check.out, HasSubstr("recorder.video~1  transcode.encoder"));
    EXPECT_THAT(check.out, HasSubstr("recorder.audio~1  transcode.encoder"));

    auto run = run_process({program, "run", config.string()}, {}, std::chrono::seconds(30));
    ASSERT_EQ(run.exit_code, 0) << run.err;
    EXPECT_THAT(run.err, HasSubstr("\"convert\": \"auto\" inserted transcode.encoder"));
    auto probe = run_process(
        {"/usr/bin/ffprobe", "-v", "error", "-show_entries", "stream=codec_name", "-of", "csv=p=0", out.string()});
    EXPECT_EQ(probe.exit_code, 0) << probe.err;
    EXPECT_THAT(probe.out, HasSubstr("h264"));
    EXPECT_THAT(probe.out, HasSubstr("opus"));
}
