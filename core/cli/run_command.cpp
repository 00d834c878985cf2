#include <csignal>
#include <cstdio>
#include <fstream>
#include <thread>

#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include "cli/commands.hpp"
#include "config/graph_config.hpp"
#include "graph/graph.hpp"
#include "graph/stats_report.hpp"
#include "log/console_logger.hpp"
#include "plugin_host/plugin_host.hpp"

namespace switchboard::core {

namespace {

std::vector<std::filesystem::path> to_paths(const std::vector<std::string>& dirs) {
    return {dirs.begin(), dirs.end()};
}

std::chrono::steady_clock::duration seconds(double s) {
    return std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(s));
}

/// Owns one run: the loop, the workers, the graph, and the shutdown sequence.
class Runner {
public:
    Runner(const GraphConfig& config, Logger& log, std::size_t workers)
        : m_config(config), m_log(log), m_workers(workers), m_signals(m_io, SIGINT, SIGTERM), m_deadline(m_io),
          m_grace(m_io) {}

    int run(Graph& graph) {
        m_graph = &graph;
        arm_signals();
        Graph::Callbacks callbacks;
        callbacks.on_done = [this] {
            SWITCHBOARD_LOG(m_log, info, "every node has ended");
            m_io.stop();
        };
        callbacks.on_failure = [this](const std::string& node, const Error& error) {
            SWITCHBOARD_LOG(m_log, error, "node \"" << node << "\" failed: " << error.message);
            m_exit = exit_runtime_failure;
            begin_shutdown("a node failed");
        };
        if (auto r = graph.start(std::move(callbacks)); !r) {
            SWITCHBOARD_LOG(m_log, error, r.error().message);
            m_workers.join();
            return exit_runtime_failure;
        }
        SWITCHBOARD_LOG(m_log, info, "running " << m_config.path << " (" << graph.nodes().size() << " nodes, "
                                               << graph.links().size() << " links)");
        if (m_config.duration_s) {
            m_deadline.expires_after(seconds(*m_config.duration_s));
            m_deadline.async_wait([this](boost::system::error_code ec) {
                if (!ec) begin_shutdown("duration reached");
            });
        }
        m_io.run();
        graph.stop();
        m_workers.join();
        return m_exit;
    }

    boost::asio::io_context& io() { return m_io; }
    boost::asio::thread_pool& workers() { return m_workers; }

private:
    void arm_signals() {
        m_signals.async_wait([this](boost::system::error_code ec, int sig) {
            if (ec) return;
            if (m_draining) {
                SWITCHBOARD_LOG(m_log, warn, "second signal: stopping without draining");
                m_io.stop();
                return;
            }
            begin_shutdown(sig == SIGINT ? "SIGINT" : "SIGTERM");
            arm_signals();
        });
    }

    /// Roots stop producing, the rest drains; past the grace period, stop regardless.
    void begin_shutdown(const char* why) {
        if (m_draining) return;
        m_draining = true;
        m_deadline.cancel();
        SWITCHBOARD_LOG(m_log, info, why << ": draining (at most " << m_config.timers.shutdown_grace_s << " s)");
        m_graph->end();
        m_grace.expires_after(seconds(m_config.timers.shutdown_grace_s));
        m_grace.async_wait([this](boost::system::error_code ec) {
            if (ec) return;
            SWITCHBOARD_LOG(m_log, warn, "drain did not finish in " << m_config.timers.shutdown_grace_s
                                                                    << " s; stopping the nodes");
            m_io.stop();
        });
    }

    const GraphConfig& m_config;
    Logger& m_log;
    boost::asio::io_context m_io;
    boost::asio::thread_pool m_workers;
    boost::asio::signal_set m_signals;
    boost::asio::steady_timer m_deadline;
    boost::asio::steady_timer m_grace;
    Graph* m_graph = nullptr;
    bool m_draining = false;
    int m_exit = exit_ok;
};

std::size_t worker_count(const GraphConfig& config) {
    if (config.workers) return config.workers;
    auto n = std::thread::hardware_concurrency();
    return n ? n : 2;
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
    Runner runner(config.value(), log, worker_count(config.value()));
    auto graph = Graph::build(config.value(), host, log, runner.io(), runner.workers());
    if (!graph) {
        std::fprintf(stderr, "switchboard: %s\n", graph.error().message.c_str());
        runner.workers().join();
        return exit_bad_config;
    }
    const int code = runner.run(*graph.value());
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
