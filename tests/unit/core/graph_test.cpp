// The graph at run time, in-process, with the test plugin's nodes whose speed the test
// sets: queue policy under a slow sink, keyframe requests, end-of-stream, and the
// build-time plan for a negotiated port.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "config/graph_config.hpp"
#include "graph/graph.hpp"
#include "graph/stats_report.hpp"
#include "log/console_logger.hpp"
#include "runtime/runner.hpp"

using namespace switchboard;
using namespace switchboard::core;

namespace {

struct TempDir {
    std::filesystem::path path;
    TempDir() {
        path = std::filesystem::temp_directory_path() /
               ("sb-graph-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++));
        std::filesystem::create_directories(path);
    }
    ~TempDir() { std::filesystem::remove_all(path); }
    static int& counter() {
        static int n = 0;
        return n;
    }
};

std::vector<std::int64_t> read_numbers(const std::filesystem::path& file, int column = 0) {
    std::ifstream in(file);
    std::vector<std::int64_t> out;
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream fields(line);
        std::int64_t v = 0;
        for (int i = 0; i <= column; ++i) fields >> v;
        out.push_back(v);
    }
    return out;
}

/// Builds and runs a graph from config text; returns the stats.
StatsReport run_graph(const std::string& text, int expected_exit = 0) {
    auto config = parse_graph_config(text, "test.json", ".");
    EXPECT_TRUE(config) << config.error().message;
    config->plugin_path = {SWITCHBOARD_TEST_PLUGIN_DIR};
    ConsoleLogger log(LogLevel::warn);
    PluginHost host({SWITCHBOARD_TEST_PLUGIN_DIR});
    Runner runner(config.value(), log, 2);
    auto graph = Graph::build(config.value(), host, log, runner.io(), runner.workers());
    EXPECT_TRUE(graph) << graph.error().message;
    if (!graph) {
        runner.workers().join();
        return {};
    }
    EXPECT_EQ(runner.run(*graph.value()), expected_exit);
    return collect_stats(*graph.value());
}

std::string build_error(const std::string& text) {
    auto config = parse_graph_config(text, "test.json", ".");
    EXPECT_TRUE(config) << config.error().message;
    ConsoleLogger log(LogLevel::error);
    PluginHost host({SWITCHBOARD_TEST_PLUGIN_DIR});
    boost::asio::io_context io;
    boost::asio::thread_pool workers(1);
    auto graph = Graph::build(config.value(), host, log, io, workers);
    workers.join();
    return graph ? "" : graph.error().message;
}

}  // namespace

TEST(Graph, SlowSinkMakesLiveSourceDropUpToKeyframesWithoutBlocking) {
    TempDir dir;
    auto emit_log = dir.path / "emit.txt";
    auto sink_log = dir.path / "sink.txt";
    // 200 frames at 1 kHz into a sink that needs 10 ms each, through a 4-frame queue.
    auto stats = run_graph(R"({
      "timers": {"shutdown_grace_s": 10},
      "nodes": [
        {"name": "src", "type": "testplug.source",
         "config": {"interval_ms": 1, "count": 200, "gop": 5, "emit_log": ")" +
                           emit_log.string() + R"("}},
        {"name": "sink", "type": "testplug.sink", "config": {"delay_ms": 10, "log": ")" +
                           sink_log.string() + R"("}}
      ],
      "links": [{"from": "src.video", "to": "sink.in", "queue": 4}]
    })");
    ASSERT_EQ(stats.nodes.size(), 2u);
    const auto& src = stats.nodes[0];
    const auto& sink = stats.nodes[1];
    EXPECT_EQ(src.stats.frames_out, 200u);
    EXPECT_GT(sink.stats.drops, 100u);  // the sink can take ~1 in 10
    EXPECT_EQ(sink.stats.frames_in + sink.stats.drops, 200u) << "every frame is delivered or counted as dropped";
    EXPECT_EQ(stats.links[0].drops, sink.stats.drops);

    // The source never waited for the sink: no emit took anywhere near one sink frame.
    auto emit_ns = read_numbers(emit_log);
    ASSERT_EQ(emit_ns.size(), 200u);
    EXPECT_LT(*std::max_element(emit_ns.begin(), emit_ns.end()), 5'000'000) << "an emit blocked";

    // What the sink got decodes: after every gap the next frame is a keyframe.
    auto pts = read_numbers(sink_log, 0);
    auto key = read_numbers(sink_log, 1);
    ASSERT_FALSE(pts.empty());
    EXPECT_EQ(key[0], 1);
    for (std::size_t i = 1; i < pts.size(); ++i) {
        ASSERT_GT(pts[i], pts[i - 1]);
        if (pts[i] != pts[i - 1] + 1) {
            EXPECT_EQ(key[i], 1) << "frame " << pts[i] << " follows a gap but is not a keyframe";
        }
    }
}

TEST(Graph, KeyframeRequestsTravelUpstreamAndAreCoalesced) {
    TempDir dir;
    auto sink_log = dir.path / "sink.txt";
    // The sink asks for a keyframe on every frame; the source's GOP is too long to ever
    // make one by itself after the first, and it answers a request 5 frames later.
    // Requests pass the passthrough node, and while one is pending the others are
    // folded into it.
    auto stats = run_graph(R"({
      "timers": {"keyframe_request_interval_s": 1},
      "nodes": [
        {"name": "src", "type": "testplug.source", "config": {"interval_ms": 2, "count": 150, "gop": 100000, "keyframe_delay": 5}},
        {"name": "pass", "type": "testplug.pass"},
        {"name": "sink", "type": "testplug.sink",
         "config": {"request_keyframe_every": 1, "log": ")" +
                           sink_log.string() + R"("}}
      ],
      "links": [{"from": "src.video", "to": "pass.in"}, {"from": "pass.out", "to": "sink.in", "queue": 64}]
    })");
    const auto& src = stats.nodes[0];
    const auto& pass = stats.nodes[1];
    EXPECT_EQ(pass.stats.keyframe_requests, 150u);
    EXPECT_GT(pass.stats.keyframe_coalesced, 0u);
    auto key = read_numbers(sink_log, 1);
    auto keyframes = std::count(key.begin(), key.end(), 1);
    EXPECT_GT(keyframes, 1) << "requests reached the source";
    EXPECT_LT(keyframes, 150) << "requests were coalesced";
    EXPECT_EQ(src.stats.keyframe_requests, pass.stats.keyframe_requests - pass.stats.keyframe_coalesced);
}

TEST(Graph, EndsWhenTheSourceFinishesAndDeliversEverything) {
    auto stats = run_graph(R"({
      "nodes": [
        {"name": "src", "type": "testplug.source", "config": {"interval_ms": 0, "count": 50, "gop": 1}},
        {"name": "a", "type": "testplug.sink"},
        {"name": "b", "type": "testplug.sink"}
      ],
      "links": [{"from": "src.video", "to": "a.in", "queue": 64}, {"from": "src.video", "to": "b.in", "queue": 64}]
    })");
    EXPECT_EQ(stats.nodes[1].stats.frames_in, 50u);
    EXPECT_EQ(stats.nodes[2].stats.frames_in, 50u);
    EXPECT_EQ(stats.links[0].handoff.count, 50u);
}

TEST(Graph, AStationsCallChangesReachEveryNodeDownstreamOnceEach) {
    TempDir dir;
    const auto direct = dir.path / "direct.log", through = dir.path / "through.log";
    run_graph(R"({
      "nodes": [
        {"name": "station", "type": "testplug.source", "config": {"interval_ms": 1, "count": 30, "call_id": "c1"}},
        {"name": "pass", "type": "testplug.pass"},
        {"name": "direct", "type": "testplug.sink", "config": {"call_log": ")" +
              direct.string() + R"("}},
        {"name": "through", "type": "testplug.sink", "config": {"call_log": ")" +
              through.string() + R"("}}
      ],
      "links": [{"from": "station.video", "to": "direct.in"}, {"from": "station.video", "to": "pass.in"},
                {"from": "pass.out", "to": "through.in"}]
    })");
    auto text = [](const std::filesystem::path& p) {
        std::ifstream in(p);
        return std::string(std::istreambuf_iterator<char>(in), {});
    };
    // The station reported "connected" twice: each node hears each change once, in order.
    EXPECT_EQ(text(direct), "c1 ringing\nc1 connected\nc1 ended\n");
    EXPECT_EQ(text(through), "c1 ringing\nc1 connected\nc1 ended\n");
}

TEST(Graph, DurationEndsALiveGraph) {
    auto start = std::chrono::steady_clock::now();
    auto stats = run_graph(R"({
      "duration_s": 0.3,
      "nodes": [{"name": "src", "type": "testplug.source", "config": {"interval_ms": 10}},
                {"name": "sink", "type": "testplug.sink"}],
      "links": [{"from": "src.video", "to": "sink.in"}]
    })");
    auto elapsed = std::chrono::steady_clock::now() - start;
    EXPECT_LT(elapsed, std::chrono::seconds(5));
    EXPECT_GT(stats.nodes[1].stats.frames_in, 5u);
    EXPECT_EQ(stats.nodes[1].stats.frames_in, stats.nodes[0].stats.frames_out);
}

TEST(Graph, BuildErrorsNameTheLink) {
    EXPECT_EQ(
        build_error(R"({"nodes": [{"name": "s", "type": "testplug.source"}, {"name": "k", "type": "testplug.sink"}],
        "links": [{"from": "s.video", "to": "k.video"}]})"),
        "test.json: /links/0/to: node \"k\" (testplug.sink) has no input port \"video\"; its inputs: in");
    EXPECT_EQ(build_error(R"({"nodes": [{"name": "a", "type": "testplug.pass"}, {"name": "b", "type": "testplug.pass"}],
        "links": [{"from": "a.out", "to": "b.in"}, {"from": "b.out", "to": "a.in"}]})"),
              "test.json: /links: the graph has a cycle: a.out -> b.in (/links/0), b.out -> a.in (/links/1)");
}

TEST(Graph, CheckPrintsAPlanPerFarSideCodec) {
    auto config = parse_graph_config(R"({"nodes": [{"name": "s", "type": "testplug.source"},
        {"name": "call", "type": "testplug.call"}], "links": [{"from": "s.video", "to": "call.video"}]})",
                                     "test.json", ".");
    ASSERT_TRUE(config);
    ConsoleLogger log(LogLevel::error);
    PluginHost host({SWITCHBOARD_TEST_PLUGIN_DIR});
    boost::asio::io_context io;
    boost::asio::thread_pool workers(1);
    auto graph = Graph::build(config.value(), host, log, io, workers);
    ASSERT_TRUE(graph) << graph.error().message;
    auto text = graph.value()->describe();
    EXPECT_NE(text.find("if call negotiates video/H264 packetization-mode=1: passthrough"), std::string::npos) << text;
    EXPECT_NE(text.find("if call negotiates video/VP8: "), std::string::npos) << text;
    graph.value()->stop();
    workers.join();
}
