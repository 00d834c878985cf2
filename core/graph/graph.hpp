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

#include <deque>
#include <functional>
#include <map>
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

class CallService;

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

    // Run-time nodes: calls join and leave a running graph (architecture.md §3). All of
    // these run on the control thread.

    /// Adds a node the core made (a call) under `name` with type name `type`, and starts
    /// it. Its inputs are linked later by attach().
    Result<NodeRuntime*> add_runtime_node(const std::string& name, const std::string& type, std::unique_ptr<Node> node);
    /// Feeds `consumer.input` from the producer behind `tap` (another node's input link):
    /// straight through when that producer's format meets `wanted`, otherwise through a
    /// converter chain planned by the plugins, one per (producer port, target codec) and
    /// shared by every consumer that wants that codec. Returns the settled format, and
    /// asks for a keyframe so the newcomer can start decoding.
    Result<Format> attach(NodeRuntime& consumer, PortIndex input, const LinkRuntime& tap, const FormatSet& wanted);
    /// The chain of nodes feeding `node.input`, source first:
    /// "camera (testsrc.camera) -> h264 (transcode.encoder) -> viewer (rtc.call)".
    std::string path_to(const NodeRuntime& node, PortIndex input) const;
    /// Unlinks a node added by add_runtime_node, stops and destroys it; a shared chain
    /// nobody is fed from any more goes too.
    void remove_runtime_node(NodeRuntime& node);

    /// Nodes in topological order (producers first), converters included.
    const std::vector<NodeRuntime*>& nodes() const noexcept { return m_order; }
    const std::vector<std::unique_ptr<LinkRuntime>>& links() const noexcept { return m_links; }
    /// The reports of run-time nodes and links removed so far, oldest first; the last
    /// max_retired of each, so a gateway that ran for months does not grow with its calls.
    const std::deque<NodeRuntime::Report>& retired_nodes() const noexcept { return m_retired_nodes; }
    const std::deque<LinkReport>& retired_links() const noexcept { return m_retired_links; }
    static constexpr std::size_t max_retired = 256;

private:
    Graph(PluginHost& host, Logger& log, boost::asio::io_context& io, boost::asio::thread_pool& workers,
          std::int64_t keyframe_interval_ns);

    Result<NodeRuntime*> add_node(const std::string& name, const LoadedNodeType& type, const rapidjson::Value& config,
                                  const std::string& pointer, const Redactions& redactions);
    Result<void> negotiate_input(NodeRuntime& node, PortIndex input);
    Result<void> sort_topologically();
    Result<void> insert_converter(LinkRuntime& link);
    std::string plan_for(const Format& far_side, const FormatSet& other, bool far_is_producer) const;

    /// A converter chain made for run-time consumers (see attach()).
    struct SharedChain {
        NodeRuntime* producer = nullptr;
        PortIndex port = 0;
        Codec codec = Codec::any;
        std::vector<NodeRuntime*> nodes;  ///< first is fed by producer.port
        std::size_t users = 0;
    };
    Result<NodeRuntime*> make_chain(const LinkRuntime& tap, const FormatSet& wanted);
    /// Creates a link and hooks it onto a running producer (on the producer's strand).
    LinkRuntime& link_running(NodeRuntime& from, PortIndex from_port, NodeRuntime& to, PortIndex to_port,
                              const Format& format, const std::string& pointer);
    /// Unhooks, stops, retires and destroys `node` and the link into each of its inputs.
    void unlink_and_destroy(NodeRuntime& node);

    void node_ended(NodeRuntime& node) noexcept override;
    void node_failed(NodeRuntime& node, Error error) noexcept override;

    PluginHost& m_host;
    Logger& m_log;
    boost::asio::io_context& m_io;
    boost::asio::thread_pool& m_workers;
    const std::int64_t m_keyframe_interval_ns;
    // Declared first so that it goes last: nodes hold calls, whose handles end through it.
    std::unique_ptr<CallService> m_calls;
    std::string m_state_root;                                                ///< the config's /state_dir; empty: none
    std::map<std::string, std::unique_ptr<LoadedNodeType>> m_runtime_types;  // of core-made nodes; nodes refer to them
    std::vector<std::unique_ptr<rapidjson::Document>> m_inserted_configs;    // configs of converters
    // Links are declared before nodes so that they outlive them: nodes hold raw pointers.
    std::vector<std::unique_ptr<LinkRuntime>> m_links;
    std::vector<std::unique_ptr<NodeRuntime>> m_nodes;  // creation order
    std::vector<NodeRuntime*> m_order;                  // topological: producers first
    std::vector<SharedChain> m_chains;
    std::deque<NodeRuntime::Report> m_retired_nodes;
    std::deque<LinkReport> m_retired_links;
    std::uint32_t m_next_index = 0;  // node indices are never reused: frames carry them
    Callbacks m_callbacks;
    std::atomic<std::size_t> m_unended{0};  // nodes that have not ended; on_done at zero
    std::size_t m_started = 0;
};

}  // namespace switchboard::core
