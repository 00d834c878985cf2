/// \file node_runtime.hpp
/// \brief One node at run time: its strand, its links, its counters, and the
/// NodeContext the plugin sees.
///
/// Frames move like this: the producer's emit() stamps the frame, pushes a copy into
/// each outgoing LinkQueue (never blocking) and makes sure the consumer has a drain
/// scheduled on its strand; drain() pops what is queued and calls Node::on_frame(). The
/// `drain_scheduled` flag means one post per burst, not per frame. The drain is
/// deferred, not posted: it runs on the producer's thread as soon as the producer's
/// handler returns, instead of waking another thread (10-30 us on a VM); a timer or any
/// other work that arrives meanwhile goes to the other workers, so a source still never
/// waits for its consumers.
///
/// Threads: NodeContext calls come from the node's strand (emit) or any thread
/// (request_keyframe, finished, fail); everything that touches the Node runs on the
/// strand.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>

#include <switchboard/call.hpp>
#include <switchboard/node.hpp>
#include <switchboard/plugin.hpp>
#include <switchboard/station.hpp>

#include "graph/gop_cache.hpp"
#include "graph/latency_histogram.hpp"
#include "graph/link_queue.hpp"

namespace switchboard::core {

class NodeRuntime;
struct LoadedNodeType;

/// What a link did, for the run's report.
struct LinkReport {
    std::string text;
    std::string format;
    std::uint64_t drops = 0;
    LatencySummary handoff;
    bool retired = false;  ///< removed while the graph ran
};

/// A settled link between an output port and an input port.
struct LinkRuntime {
    NodeRuntime* from = nullptr;
    PortIndex from_port = 0;
    NodeRuntime* to = nullptr;
    PortIndex to_port = 0;
    Format format;              ///< what the link settled on
    FormatSet offered;          ///< the producer's set at negotiation
    FormatSet accepted;         ///< the consumer's set
    std::string pointer;        ///< "/links/3", or where an inserted converter came from
    bool inserted = false;      ///< made by "convert": "auto"
    bool convert_auto = false;  ///< the config allows a converter on this link
    std::size_t capacity = 0;   ///< queue length from the config; 0: by media kind
    std::unique_ptr<LinkQueue> queue;
    LatencyHistogram handoff;  ///< push into the queue -> on_frame() starts: the core's own delay

    std::string text() const;  ///< "camera.video -> h264.in"
    LinkReport report() const;
};

/// Callbacks from nodes to the graph that owns them (control-thread work is posted).
class GraphEvents {
public:
    virtual ~GraphEvents() = default;
    virtual void node_ended(NodeRuntime& node) noexcept = 0;
    virtual void node_failed(NodeRuntime& node, Error error) noexcept = 0;
};

class NodeRuntime final : public NodeContext {
public:
    NodeRuntime(std::uint32_t index, std::string name, const LoadedNodeType& type, GraphEvents& events,
                boost::asio::io_context& io, boost::asio::thread_pool& workers, std::shared_ptr<Logger> log,
                std::int64_t keyframe_request_interval_ns);
    ~NodeRuntime() override;

    /// Runs the type's factory. Control thread, before negotiation.
    Result<void> create(const NodeConfig& config);
    /// Takes a node the core made itself (a call) instead of running a factory.
    void adopt(std::unique_ptr<Node> node);

    // NodeContext
    std::string_view name() const noexcept override { return m_name; }
    Logger& log() noexcept override { return *m_log; }
    boost::asio::any_io_executor executor() noexcept override { return m_strand; }
    boost::asio::any_io_executor io_executor() noexcept override { return m_io.get_executor(); }
    void emit(PortIndex output, Frame frame) noexcept override;
    void request_keyframe(PortIndex input) noexcept override;
    void request_bitrate(PortIndex input, std::uint64_t bits_per_second) noexcept override;
    void finished() noexcept override;
    void fail(Error error) noexcept override;
    CallHost& calls() noexcept override;
    std::string state_dir() const noexcept override { return m_state_dir; }
    void report_call(const StationCall& call) noexcept override;

    // For the graph.
    /// Where calls() makes calls; set by the graph before the node runs (null: none).
    void set_call_host(CallHost* host) noexcept { m_call_host = host; }
    /// The config's /state_dir (empty: none); the node's own folder is below it.
    void set_state_root(const std::string& root);
    Node& node() noexcept { return *m_node; }
    std::uint32_t index() const noexcept { return m_index; }
    const std::string& type() const noexcept;
    std::vector<PortSpec>& inputs() noexcept { return m_inputs; }
    std::vector<PortSpec>& outputs() noexcept { return m_outputs; }
    const std::vector<PortSpec>& inputs() const noexcept { return m_inputs; }
    const std::vector<PortSpec>& outputs() const noexcept { return m_outputs; }
    /// Each input's link (null if unlinked) and each output's links; set while building.
    std::vector<LinkRuntime*>& input_links() noexcept { return m_input_links; }
    std::vector<std::vector<LinkRuntime*>>& output_links() noexcept { return m_output_links; }
    const std::vector<LinkRuntime*>& input_links() const noexcept { return m_input_links; }
    bool has_linked_input() const noexcept;

    /// Calls Node::start() on the strand and waits for it.
    Result<void> start_blocking();
    /// Ends the node's production: a root (a node with no linked input) is stopped and
    /// its outputs end. Any thread; idempotent.
    void end_production();
    /// Calls Node::stop() on the strand (once) and waits for it. Control thread.
    void stop_blocking();
    /// Runs `fn` on the strand and waits for it: how the control thread changes what the
    /// strand reads (the links of a running node). Control thread.
    void run_blocking(const std::function<void()>& fn);
    /// Counts the node as ended for the graph without ending its outputs: a run-time node
    /// leaving a running graph. Idempotent.
    void retire();
    /// How many frames attach_output() would replay into a new link from `output` now.
    /// On the strand (run_blocking).
    std::size_t cached_frames(PortIndex output) const noexcept;
    /// Adds a link to a running output: first the output's cached group of pictures
    /// (gop_cache.hpp), then live frames. On the strand (run_blocking), after the
    /// consumer knows the link.
    void attach_output(PortIndex output, LinkRuntime* link);
    /// Forgets the bitrate requests that came through `link` (it is being removed).
    void forget_bitrate_requests(const LinkRuntime* link);

    /// Something other than the node that makes the keyframes of `output`: a call that
    /// emits what its far side sends from it (the source asks the far side, with a PLI).
    /// Keyframe requests reaching that output go to its sources instead of the node's
    /// inputs (where they would reach our own camera, not the far side). Any thread;
    /// `source` runs on the strand and must not block. Returns an id for removal.
    std::uint64_t add_keyframe_source(PortIndex output, std::function<void()> source);
    void remove_keyframe_source(std::uint64_t id);
    bool ended() const noexcept { return m_ended.load(); }

    struct Stats {
        std::uint64_t frames_in = 0;
        std::uint64_t frames_out = 0;
        std::uint64_t drops = 0;               ///< on this node's input links
        std::uint64_t keyframe_requests = 0;   ///< received on its outputs
        std::uint64_t keyframe_coalesced = 0;  ///< of those, folded into one already pending
    };
    Stats stats() const;
    const LatencyHistogram& latency() const noexcept { return m_latency; }
    /// What it did, for the run's report.
    struct Report {
        std::string name;
        std::string type;
        Stats stats;
        LatencySummary latency;
        bool retired = false;  ///< removed while the graph ran
    };
    Report report() const;

private:
    /// On the strand: hands `call` to every node this one feeds.
    void forward_call(const StationCall& call);
    /// From an upstream node: Node::on_call() on our strand, then on downstream.
    void deliver_call(StationCall call);
    struct BitrateRequest {
        const LinkRuntime* link = nullptr;
        std::uint64_t bits_per_second = 0;
        std::int64_t at_ns = 0;
    };
    struct OutputState {
        std::atomic<std::int64_t> keyframe_pending_since{0};
        /// Encoded video that no input feeds (a camera, a file): replayed to new links.
        bool cache_gop = false;
        GopCache gop;
        std::mutex bitrate_mutex;
        std::vector<BitrateRequest> bitrate_requests;  // one per link that asked
    };

    void schedule_drain();
    void drain();
    void end_outputs();
    void keyframe_requested(PortIndex output);
    void bitrate_requested(PortIndex output, const LinkRuntime* link, std::uint64_t bits_per_second);

    const std::uint32_t m_index;
    const std::string m_name;
    const LoadedNodeType& m_type;
    std::shared_ptr<const struct LoadedPlugin> m_plugin;  // keeps the code of m_node loaded
    GraphEvents& m_events;
    boost::asio::io_context& m_io;
    boost::asio::strand<boost::asio::thread_pool::executor_type> m_strand;
    std::shared_ptr<Logger> m_log;
    const std::int64_t m_keyframe_interval_ns;

    CallHost* m_call_host = nullptr;
    std::string m_state_dir;
    std::unique_ptr<Node> m_node;  // destroyed before m_type's library can go
    std::vector<PortSpec> m_inputs;
    std::vector<PortSpec> m_outputs;
    std::vector<LinkRuntime*> m_input_links;
    std::vector<std::vector<LinkRuntime*>> m_output_links;
    /// Calls reported through this node and the state each was last seen in (on the
    /// strand): a node fed twice from a station (video and audio) hears each change once.
    std::map<std::string, CallState> m_calls_seen;
    std::unique_ptr<OutputState[]> m_output_state;
    struct KeyframeSource {
        std::uint64_t id;
        PortIndex output;
        std::function<void()> ask;
    };
    std::mutex m_keyframe_sources_mutex;
    std::vector<KeyframeSource> m_keyframe_sources;
    std::uint64_t m_next_keyframe_source = 1;

    std::atomic<bool> m_drain_scheduled{false};
    std::atomic<bool> m_production_ended{false};
    std::atomic<bool> m_ended{false};
    bool m_stopped = false;        // strand only
    bool m_eos_delivered = false;  // strand only

    std::atomic<std::uint64_t> m_frames_in{0};
    std::atomic<std::uint64_t> m_frames_out{0};
    std::atomic<std::uint64_t> m_keyframe_requests{0};
    std::atomic<std::uint64_t> m_keyframe_coalesced{0};
    LatencyHistogram m_latency;
};

}  // namespace switchboard::core
