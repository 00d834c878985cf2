#include "runtime/runner.hpp"

#include <csignal>
#include <thread>

#include "runtime/exit_codes.hpp"

namespace switchboard::core {

namespace {

std::chrono::steady_clock::duration seconds(double s) {
    return std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(s));
}

std::size_t worker_count(const GraphConfig& config, std::size_t requested) {
    if (requested) return requested;
    if (config.workers) return config.workers;
    auto n = std::thread::hardware_concurrency();
    return n ? n : 2;
}

}  // namespace

Runner::Runner(const GraphConfig& config, Logger& log, std::size_t workers)
    : m_config(config),
      m_log(log),
      m_workers(worker_count(config, workers)),
      m_signals(m_io, SIGINT, SIGTERM),
      m_deadline(m_io),
      m_grace(m_io) {}

int Runner::run(Graph& graph, RunHooks hooks) {
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
        shut_down("a node failed");
    };
    if (auto r = graph.start(std::move(callbacks)); !r) {
        SWITCHBOARD_LOG(m_log, error, r.error().message);
        m_workers.join();
        return exit_runtime_failure;
    }
    if (hooks.started) {
        if (auto r = hooks.started(); !r) {
            SWITCHBOARD_LOG(m_log, error, r.error().message);
            graph.stop();
            m_workers.join();
            return exit_runtime_failure;
        }
    }
    SWITCHBOARD_LOG(
        m_log, info,
        "running " << m_config.path << " (" << graph.nodes().size() << " nodes, " << graph.links().size() << " links)");
    if (m_config.duration_s) {
        m_deadline.expires_after(seconds(*m_config.duration_s));
        m_deadline.async_wait([this](boost::system::error_code ec) {
            if (!ec) shut_down("duration reached");
        });
    }
    m_io.run();
    if (hooks.stopping) hooks.stopping();
    graph.stop();
    m_workers.join();
    return m_exit;
}

void Runner::arm_signals() {
    m_signals.async_wait([this](boost::system::error_code ec, int sig) {
        if (ec) return;
        if (m_draining) {
            SWITCHBOARD_LOG(m_log, warn, "second signal: stopping without draining");
            m_io.stop();
            return;
        }
        shut_down(sig == SIGINT ? "SIGINT" : "SIGTERM");
        arm_signals();
    });
}

void Runner::shut_down(const char* why) {
    if (m_draining) return;
    m_draining = true;
    m_deadline.cancel();
    SWITCHBOARD_LOG(m_log, info, why << ": draining (at most " << m_config.timers.shutdown_grace_s << " s)");
    m_graph->end();
    m_grace.expires_after(seconds(m_config.timers.shutdown_grace_s));
    m_grace.async_wait([this](boost::system::error_code ec) {
        if (ec) return;
        SWITCHBOARD_LOG(m_log, warn,
                        "drain did not finish in " << m_config.timers.shutdown_grace_s << " s; stopping the nodes");
        m_io.stop();
    });
}

}  // namespace switchboard::core
