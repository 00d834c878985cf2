// Run-time consumers joining and leaving a running graph, as calls do (Graph::attach):
// real plugins (testsrc camera, x264, libvpx) under a real Runner. A consumer that takes
// the source codec is fed straight through; consumers that want another codec share one
// converter chain, which goes once the last of them leaves.
#include <gtest/gtest.h>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <algorithm>
#include <atomic>

#include "config/graph_config.hpp"
#include "graph/graph.hpp"
#include "graph/stats_report.hpp"
#include "log/console_logger.hpp"
#include "runtime/runner.hpp"

using namespace switchboard;
using namespace switchboard::core;
using namespace std::chrono_literals;

namespace {

/// Counts what arrives, and remembers the codec and whether the first frame was a keyframe.
class Counter final : public Node {
public:
    struct Seen {
        std::atomic<int> frames{0};
        std::atomic<bool> first_was_key{false};
        std::atomic<Codec> codec{Codec::any};
    };
    explicit Counter(Seen& seen) : m_seen(seen) {}
    std::vector<PortSpec> input_ports() const noexcept override {
        Format any_video;
        any_video.kind = MediaKind::video;
        return {{"in", MediaKind::video, {any_video}, true}};
    }
    std::vector<PortSpec> output_ports() const noexcept override { return {}; }
    void on_frame(PortIndex, Frame&& f) noexcept override {
        if (m_seen.frames++ == 0) m_seen.first_was_key = f.keyframe;
        m_seen.codec = f.format.codec;
    }

private:
    Seen& m_seen;
};

Format video(Codec c) {
    Format f;
    f.kind = MediaKind::video;
    f.codec = c;
    return f;
}

int count_nodes(const Graph& g, std::string_view type, std::string_view name_part) {
    int n = 0;
    for (const auto* node : g.nodes())
        if (node->type() == type && node->name().find(name_part) != std::string_view::npos) ++n;
    return n;
}

}  // namespace

TEST(GraphAttach, PassthroughAndOneSharedConverterChainPerCodec) {
    auto config = parse_graph_config(R"({
      "timers": {"shutdown_grace_s": 5},
      "nodes": [
        {"name": "camera", "type": "testsrc.camera", "config": {"width": 320, "height": 240, "fps": 30}},
        {"name": "h264", "type": "transcode.encoder", "config": {"codec": "h264", "bitrate_kbps": 500}},
        {"name": "tap", "type": "testplug.sink"}
      ],
      "links": [{"from": "camera.video", "to": "h264.in"}, {"from": "h264.out", "to": "tap.in"}]
    })",
                                     "attach.json", ".");
    ASSERT_TRUE(config) << config.error().message;
    ConsoleLogger log(LogLevel::warn);
    PluginHost host({SWITCHBOARD_PLUGIN_DIR, SWITCHBOARD_TEST_PLUGIN_DIR});
    Runner runner(config.value(), log, 2);
    auto built = Graph::build(config.value(), host, log, runner.io(), runner.workers());
    ASSERT_TRUE(built) << built.error().message;
    Graph& graph = *built.value();

    const LinkRuntime* tap = nullptr;
    for (auto* n : graph.nodes())
        if (n->name() == "tap") tap = n->input_links()[0];
    ASSERT_NE(tap, nullptr);

    Counter::Seen vp8_a, vp8_b, h264;
    NodeRuntime *a = nullptr, *b = nullptr, *c = nullptr;
    int vp8_encoders_with_two = -1, decoders_with_two = -1, vp8_encoders_with_one = -1, vp8_encoders_with_none = -1;
    std::string describe_with_three, path_a, path_c;
    std::string error;

    auto add = [&](const char* name, Counter::Seen& seen, Codec codec) -> NodeRuntime* {
        auto node = graph.add_runtime_node(name, "test.consumer", std::make_unique<Counter>(seen));
        if (!node) {
            error += node.error().message + "; ";
            return nullptr;
        }
        auto format = graph.attach(*node.value(), 0, *tap, FormatSet{video(codec)});
        if (!format) error += format.error().message + "; ";
        return node.value();
    };

    boost::asio::steady_timer step(runner.io());
    step.expires_after(300ms);
    step.async_wait([&](boost::system::error_code) {
        a = add("viewer-a", vp8_a, Codec::vp8);
        b = add("viewer-b", vp8_b, Codec::vp8);
        c = add("viewer-c", h264, Codec::h264);
        vp8_encoders_with_two = count_nodes(graph, "transcode.encoder", "~vp8");
        decoders_with_two = count_nodes(graph, "transcode.decoder", "~vp8");
        describe_with_three = graph.describe();
        if (a) path_a = graph.path_to(*a, 0);
        if (c) path_c = graph.path_to(*c, 0);
        step.expires_after(2s);
        step.async_wait([&](boost::system::error_code) {
            if (a) graph.remove_runtime_node(*a);
            vp8_encoders_with_one = count_nodes(graph, "transcode.encoder", "~vp8");
            if (b) graph.remove_runtime_node(*b);
            vp8_encoders_with_none = count_nodes(graph, "transcode.encoder", "~vp8");
            if (c) graph.remove_runtime_node(*c);
            runner.shut_down("test done");
        });
    });
    EXPECT_EQ(runner.run(graph), 0);

    EXPECT_EQ(error, "");
    EXPECT_EQ(vp8_encoders_with_two, 1) << "two VP8 consumers share one encoder\n" << describe_with_three;
    EXPECT_EQ(decoders_with_two, 1) << describe_with_three;
    EXPECT_EQ(vp8_encoders_with_one, 1) << "the chain stays while a consumer is left";
    EXPECT_EQ(vp8_encoders_with_none, 0) << "the chain goes with its last consumer";
    EXPECT_EQ(count_nodes(graph, "transcode.encoder", ""), 1) << "only the configured encoder is left";
    EXPECT_EQ(path_c, "camera (testsrc.camera) -> h264 (transcode.encoder) -> viewer-c (test.consumer)");
    EXPECT_EQ(path_a,
              "camera (testsrc.camera) -> h264 (transcode.encoder) -> h264.out~vp8~1 (transcode.decoder) -> "
              "h264.out~vp8~2 (transcode.encoder) -> viewer-a (test.consumer)");

    for (auto* seen : {&vp8_a, &vp8_b, &h264}) {
        EXPECT_GT(seen->frames.load(), 20);
        EXPECT_TRUE(seen->first_was_key.load()) << "a newcomer starts on a keyframe";
    }
    EXPECT_EQ(vp8_a.codec.load(), Codec::vp8);
    EXPECT_EQ(vp8_b.codec.load(), Codec::vp8);
    EXPECT_EQ(h264.codec.load(), Codec::h264) << "passthrough of the source codec";

    // The run's report keeps what left: the viewers and the chain made for them.
    const auto report = collect_stats(graph);
    auto retired = [&](const std::string& name) {
        return std::find_if(report.nodes.begin(), report.nodes.end(),
                            [&](const NodeReport& n) { return n.name == name && n.retired; });
    };
    for (const char* name : {"viewer-a", "viewer-b", "viewer-c", "h264.out~vp8~1", "h264.out~vp8~2"})
        ASSERT_NE(retired(name), report.nodes.end()) << name << " is not in the report\n" << format_table(report);
    EXPECT_EQ(retired("viewer-a")->stats.frames_in, std::uint64_t(vp8_a.frames.load()));
    EXPECT_EQ(retired("h264.out~vp8~2")->type, "transcode.encoder");
    EXPECT_GT(retired("h264.out~vp8~2")->stats.frames_out, 20u);
    const auto link = std::find_if(report.links.begin(), report.links.end(), [](const LinkReport& l) {
        return l.retired && l.text == "h264.out~vp8~2.out -> viewer-a.in";
    });
    EXPECT_NE(link, report.links.end()) << format_table(report);
    EXPECT_NE(format_json(report).find(R"("name":"viewer-a","type":"test.consumer")"), std::string::npos);
    EXPECT_NE(format_table(report).find("viewer-a *"), std::string::npos) << format_table(report);
}
