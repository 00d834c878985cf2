/// \file runner.hpp
/// \brief One run of a graph: the control loop, the media workers, and the shutdown
/// sequence (duration, signals, failures, grace period).
///
/// The control io_context runs on the thread that calls run(); the media workers are a
/// thread pool whose strands the nodes get. Shutdown always drains: the roots stop
/// producing, end-of-stream flows down, and run() returns when every node has ended or
/// the grace period (timers.shutdown_grace_s) has passed; a second SIGINT/SIGTERM stops
/// at once. Then every node is stopped and the workers are joined.
#pragma once

#include <cstddef>
#include <functional>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>

#include "config/graph_config.hpp"
#include "graph/graph.hpp"

namespace switchboard::core {

/// What runs beside the graph on the control loop (the control API).
struct RunHooks {
    /// Called once the graph has started; an error fails the run (exit 1).
    std::function<Result<void>()> started;
    /// Called once the control loop has stopped, before the graph stops.
    std::function<void()> stopping;
};

class Runner {
public:
    /// `workers`: media threads; 0 takes the config's value, or one per core.
    Runner(const GraphConfig& config, Logger& log, std::size_t workers = 0);
    Runner(const Runner&) = delete;
    Runner& operator=(const Runner&) = delete;

    /// Starts `graph` (built on io() and workers()), runs it to the end, stops it.
    /// Returns 0, or 1 when a node failed to start or while running, or `hooks.started`
    /// failed.
    int run(Graph& graph, RunHooks hooks = {});
    /// Begins a draining shutdown, as SIGTERM would. Control thread.
    void shut_down(const char* why);

    boost::asio::io_context& io() noexcept { return m_io; }
    boost::asio::thread_pool& workers() noexcept { return m_workers; }

private:
    void arm_signals();

    const GraphConfig& m_config;
    Logger& m_log;
    boost::asio::io_context m_io;
    boost::asio::thread_pool m_workers;
    boost::asio::signal_set m_signals;
    boost::asio::steady_timer m_deadline;
    boost::asio::steady_timer m_grace;
    Graph* m_graph = nullptr;
    bool m_draining = false;
    int m_exit = 0;
};

}  // namespace switchboard::core
