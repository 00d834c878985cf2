/// Frame handoff through a link: what the core itself costs per frame.
///
///  BM_LinkQueue       push + pop of one frame on one thread: the queue alone.
///  BM_GraphHandoff    a real graph (test source -> test sink, each on its strand of the
///                     worker pool): emit, stamp, queue, post, drain, on_frame.
///                     workers: 1 or 2 threads; interval_us: 0 = the source emits as
///                     fast as it can (throughput, the core's CPU cost per frame), else
///                     it is paced (the handoff delay when the consumer's thread sleeps
///                     between frames, as at 30 fps). Reports time and heap allocations
///                     per frame (handoff_allocs_per_frame: beyond what the source costs
///                     alone), drops, and the link's handoff delay (push to on_frame)
///                     p50/p99.
#include <benchmark/benchmark.h>

#include "allocation_counter.hpp"
#include "config/graph_config.hpp"
#include "graph/graph.hpp"
#include "graph/link_queue.hpp"
#include "graph/stats_report.hpp"
#include "log/console_logger.hpp"
#include "runtime/runner.hpp"

using namespace switchboard;
using namespace switchboard::core;

static void BM_LinkQueue(benchmark::State& state) {
    LinkQueue queue(8);
    Frame frame;
    frame.buffer = Buffer::allocate(1024);
    frame.keyframe = true;
    const auto before = bench::allocations();
    for (auto _ : state) {
        Frame copy = frame;
        queue.push(std::move(copy));
        auto out = queue.pop();
        benchmark::DoNotOptimize(out);
    }
    state.counters["allocs_per_frame"] =
        benchmark::Counter(double(bench::allocations() - before) / double(state.iterations()));
}
BENCHMARK(BM_LinkQueue);

namespace {

struct GraphRun {
    double allocs_per_frame = 0;
    StatsReport report;
    bool ok = false;
};

/// Builds and runs a graph; `timed` brackets exactly the run.
template <class Timed>
GraphRun run_graph(const std::string& text, std::size_t workers, int frames, Timed&& timed) {
    GraphRun out;
    auto config = parse_graph_config(text, "bench.json", ".");
    if (!config) return out;
    ConsoleLogger log(LogLevel::warn);
    PluginHost host({SWITCHBOARD_TEST_PLUGIN_DIR});
    Runner runner(config.value(), log, workers);
    auto graph = Graph::build(config.value(), host, log, runner.io(), runner.workers());
    if (!graph) {
        runner.workers().join();
        return out;
    }
    const auto before = bench::allocations();
    timed([&] { runner.run(*graph.value()); });
    out.allocs_per_frame = double(bench::allocations() - before) / frames;
    out.report = collect_stats(*graph.value());
    out.ok = true;
    return out;
}

std::string source_json(std::int64_t interval_us, int frames) {
    return R"({"name": "src", "type": "testplug.source", "config": {"interval_ms": )" +
           std::to_string(double(interval_us) / 1000) + R"(, "count": )" + std::to_string(frames) +
           R"(, "gop": 1, "payload_bytes": 64}})";
}

}  // namespace

static void BM_GraphHandoff(benchmark::State& state) {
    const auto workers = std::size_t(state.range(0));
    const auto interval_us = state.range(1);
    const int frames = interval_us ? 2000 : 20000;
    const std::string linked = R"({"nodes": [)" + source_json(interval_us, frames) + R"(,
        {"name": "sink", "type": "testplug.sink"}],
      "links": [{"from": "src.video", "to": "sink.in", "queue": 1024}]})";
    // The same source with nothing linked: what it costs on its own (its timer or post),
    // so that what remains is the handoff's.
    const std::string alone = R"({"nodes": [)" + source_json(interval_us, frames) + "]}";
    double allocs = 0, baseline = 0, p50 = 0, p99 = 0, drops = 0;
    for (auto _ : state) {
        state.PauseTiming();
        auto base = run_graph(alone, workers, frames, [](auto&& run) { run(); });
        auto r = run_graph(linked, workers, frames, [&](auto&& run) {
            state.ResumeTiming();
            run();
            state.PauseTiming();
        });
        if (!r.ok || !base.ok) {
            state.SkipWithError("the graph did not build");
            return;
        }
        allocs += r.allocs_per_frame;
        baseline += base.allocs_per_frame;
        p50 += double(r.report.links[0].handoff.p50_ns);
        p99 += double(r.report.links[0].handoff.p99_ns);
        drops += double(r.report.links[0].drops);
        state.ResumeTiming();
    }
    const double n = double(state.iterations());
    state.SetItemsProcessed(state.iterations() * frames);
    state.counters["time_per_frame"] =
        benchmark::Counter(double(frames) * n, benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
    state.counters["allocs_per_frame"] = allocs / n;
    state.counters["handoff_allocs_per_frame"] = (allocs - baseline) / n;
    state.counters["handoff_p50_ns"] = p50 / n;
    state.counters["handoff_p99_ns"] = p99 / n;
    state.counters["drops"] = drops / n;
}
BENCHMARK(BM_GraphHandoff)
    ->ArgsProduct({{1, 2}, {0, 1000}})
    ->ArgNames({"workers", "interval_us"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(3);

BENCHMARK_MAIN();
