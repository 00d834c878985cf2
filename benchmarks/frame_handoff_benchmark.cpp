/// Frame handoff through a link: what the core itself costs per frame.
///
///  BM_LinkQueue       push + pop of one frame on one thread: the queue alone.
///  BM_GraphHandoff    a real graph (source -> sink, nodes on strands of the worker
///                     pool) with 1 or 2 worker threads: emit, queue, post, drain,
///                     on_frame. Reports the time and heap allocations per frame, and the
///                     link's handoff delay (push to on_frame) p50/p99.
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

static void BM_GraphHandoff(benchmark::State& state) {
    const auto workers = std::size_t(state.range(0));
    constexpr int frames = 20000;
    const std::string text = R"({"nodes": [
        {"name": "src", "type": "testplug.source", "config": {"interval_ms": 0, "count": )" +
                             std::to_string(frames) + R"(, "gop": 1, "payload_bytes": 64}},
        {"name": "sink", "type": "testplug.sink"}],
      "links": [{"from": "src.video", "to": "sink.in", "queue": 1024}]})";
    double allocs = 0, p50 = 0, p99 = 0;
    for (auto _ : state) {
        state.PauseTiming();
        auto config = parse_graph_config(text, "bench.json", ".");
        ConsoleLogger log(LogLevel::warn);
        PluginHost host({SWITCHBOARD_TEST_PLUGIN_DIR});
        Runner runner(config.value(), log, workers);
        auto graph = Graph::build(config.value(), host, log, runner.io(), runner.workers());
        if (!graph) {
            state.SkipWithError(graph.error().message.c_str());
            runner.workers().join();
            return;
        }
        const auto before = bench::allocations();
        state.ResumeTiming();
        runner.run(*graph.value());
        state.PauseTiming();
        // The source allocates its payload (1) and the test sink logs what it saw
        // (amortised vector growth): everything above that is the core's.
        allocs += double(bench::allocations() - before) / frames;
        auto report = collect_stats(*graph.value());
        p50 += double(report.links[0].handoff.p50_ns);
        p99 += double(report.links[0].handoff.p99_ns);
        state.ResumeTiming();
    }
    const double n = double(state.iterations());
    state.SetItemsProcessed(state.iterations() * frames);
    state.counters["time_per_frame"] =
        benchmark::Counter(double(frames) * n, benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
    state.counters["allocs_per_frame"] = allocs / n;
    state.counters["handoff_p50_ns"] = p50 / n;
    state.counters["handoff_p99_ns"] = p99 / n;
}
BENCHMARK(BM_GraphHandoff)->Arg(1)->Arg(2)->ArgName("workers")->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(5);

BENCHMARK_MAIN();
