/// \file graph.hpp
/// \brief The typed pipeline graph: nodes from the config, links checked and negotiated,
/// then run, drained and stopped in order.
///
/// Building (Graph::build, control thread) fails with Error::invalid naming the JSON
/// pointer for: an unknown node type, a node config that breaks its schema, a link to
/// a missing node or port, two links into one input, a cycle, and a link whose two
/// sides share no format (naming both ports and both sets) unless the link says
/// "convert": "auto", in which case a converter chain from a plugin is inserted and
/// logged. Negotiation runs in topological order: an input's format settles before the
/// node's outputs are read again.
///
/// Running: nodes start consumers first, so nothing emits into a node that is not
/// ready. end() asks every root (a node with no linked input) to stop producing; ends
/// flow down the links as end-of-stream, and once every node has ended the graph calls
/// on_done. stop() then stops every node (producers first) and waits for them.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>

#include <switchboard/errors.hpp>
#include <switchboard/log.hpp>

#include "config/graph_config.hpp"
#include "graph/node_runtime.hpp"
#include "plugin_host/plugin_host.hpp"

namespace switchboard::core {

class Graph final : private GraphEvents {
public:
    struct Callbacks {
        std::function<void()> on_done;                                          ///< every node ended
        std::function<void(const std::string& node, const Error&)> on_failure;  ///< a node failed
    };

    /// Creates every node and settles every link. Nothing runs yet. Errors: invalid for
    /// anything the config got wrong (exit 2), others for plugins that failed.
    static Result<std::unique_ptr<Graph>> build(const GraphConfig& config, PluginHost& host, Logger& log,
                                                boost::asio::io_context& io, boost::asio::thread_pool& workers);
    ~Graph() override;

    /// Human-readable: the nodes in start order and every link with its format set; for
    /// links at a negotiated port, the plan for each format the far side might pick.
    std::string describe() const;

    /// Starts the nodes. Callbacks are posted to the io_context. On error, nodes already
    /// started are stopped again.
    Result<void> start(Callbacks callbacks);
    /// Asks the roots to stop producing; the graph drains and then reports on_done.
    void end();
    /// Stops every node that is not stopped yet, producers first, and waits for each.
    void stop();

    /// Nodes in topological order (producers first), converters included.
    const std::vector<NodeRuntime*>& nodes() const noexcept { return m_order; }
    const std::vector<std::unique_ptr<LinkRuntime>>& links() const noexcept { return m_links; }

private:
    Graph(PluginHost& host, Logger& log, boost::asio::io_context& io, boost::asio::thread_pool& workers,
          std::int64_t keyframe_interval_ns);

    Result<NodeRuntime*> add_node(const std::string& name, const LoadedNodeType& type, const rapidjson::Value& config,
                                  const std::string& pointer, const Redactions& redactions);
    Result<void> negotiate_input(NodeRuntime& node, PortIndex input);
    Result<void> sort_topologically();
    Result<void> insert_converter(LinkRuntime& link);
    std::string plan_for(const Format& far_side, const FormatSet& other, bool far_is_producer) const;

    void node_ended(NodeRuntime& node) noexcept override;
    void node_failed(NodeRuntime& node, Error error) noexcept override;

    PluginHost& m_host;
    Logger& m_log;
    boost::asio::io_context& m_io;
    boost::asio::thread_pool& m_workers;
    const std::int64_t m_keyframe_interval_ns;
    std::vector<std::unique_ptr<rapidjson::Document>> m_inserted_configs;  // configs of converters
    // Links are declared before nodes so that they outlive them: nodes hold raw pointers.
    std::vector<std::unique_ptr<LinkRuntime>> m_links;
    std::vector<std::unique_ptr<NodeRuntime>> m_nodes;  // creation order
    std::vector<NodeRuntime*> m_order;                  // topological: producers first
    Callbacks m_callbacks;
    std::atomic<std::size_t> m_ended{0};
    std::size_t m_started = 0;
};

}  // namespace switchboard::core
