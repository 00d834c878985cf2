#include <cstdio>
#include <fstream>

#include "cli/commands.hpp"
#include "config/graph_config.hpp"
#include "control/control_server.hpp"
#include "graph/graph.hpp"
#include "graph/stats_report.hpp"
#include "log/console_logger.hpp"
#include "plugin_host/plugin_host.hpp"
#include "runtime/runner.hpp"

namespace switchboard::core {

namespace {

std::vector<std::filesystem::path> to_paths(const std::vector<std::string>& dirs) {
    return {dirs.begin(), dirs.end()};
}

}  // namespace

int run_command(const RunOptions& options) {
    auto config = load_graph_config(options.config_path);
    if (!config) {
        std::fprintf(stderr, "switchboard: %s\n", config.error().message.c_str());
        return exit_bad_config;
    }
    auto level = config->log_level;
    if (options.log_level) {
        auto l = log_level_from_string(*options.log_level);
        if (!l) {
            std::fprintf(stderr, "switchboard: --log-level: expected trace, debug, info, warn or error\n");
            return exit_bad_config;
        }
        level = *l;
    }
    ConsoleLogger log(level);
    PluginHost host(to_paths(config->plugin_path));
    // Declared after the host: the runner's workers and the graph go before the plugins.
    Runner runner(config.value(), log);
    auto graph = Graph::build(config.value(), host, log, runner.io(), runner.workers());
    if (!graph) {
        std::fprintf(stderr, "switchboard: %s\n", graph.error().message.c_str());
        runner.workers().join();
        return exit_bad_config;
    }
    // The control API: the stations it serves are nodes, so it closes before they stop.
    std::unique_ptr<ControlServer> control;
    RunHooks hooks;
    hooks.started = [&]() -> Result<void> {
        auto stations = graph_stations(*graph.value());
        auto spec = control_wanted(config.value(), stations);
        if (!spec) return {};
        auto started = ControlServer::start(runner.io().get_executor(), *spec, std::move(stations), log);
        if (!started) return started.error();
        control = std::move(started.value());
        return {};
    };
    hooks.stopping = [&] {
        if (control) control->close();
    };
    const int code = runner.run(*graph.value(), std::move(hooks));
    auto report = collect_stats(*graph.value());
    std::fputs(format_table(report).c_str(), stdout);
    std::fflush(stdout);
    if (options.stats_json_path) {
        std::ofstream out(*options.stats_json_path);
        out << format_json(report) << "\n";
        if (!out) {
            std::fprintf(stderr, "switchboard: cannot write %s\n", options.stats_json_path->c_str());
            return exit_runtime_failure;
        }
    }
    return code;
}

int check_command(const std::string& config_path) {
    auto config = load_graph_config(config_path);
    if (!config) {
        std::fprintf(stderr, "switchboard: %s\n", config.error().message.c_str());
        return exit_bad_config;
    }
    ConsoleLogger log(LogLevel::warn);
    PluginHost host(to_paths(config->plugin_path));
    boost::asio::io_context io;
    boost::asio::thread_pool workers(1);
    auto graph = Graph::build(config.value(), host, log, io, workers);
    if (!graph) {
        std::fprintf(stderr, "switchboard: %s\n", graph.error().message.c_str());
        workers.join();
        return exit_bad_config;
    }
    std::printf("%s: OK\n%s", config_path.c_str(), graph.value()->describe().c_str());
    graph.value()->stop();
    workers.join();
    return exit_ok;
}

}  // namespace switchboard::core
