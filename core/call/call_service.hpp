/// \file call_service.hpp
/// \brief The host side of call.hpp: WebRTC calls that signalling nodes make, each one a
/// peer connection (core/rtc) plus a node in the running graph.
///
/// A call is an `rtc.call` node added to the graph at run time (Graph::add_runtime_node)
/// and given a PeerConnection on that node's strand. Once SDP settles, its inputs are
/// attached to whatever feeds the signalling node's send ports (Graph::attach): frames
/// pass through when the far side takes the source codec, else through a converter
/// chain that every call wanting that codec shares. What the far side sends is emitted
/// from the signalling node's receive ports. The GLib loop and the DTLS certificate
/// (kept in the state directory when there is one) are made with the first call, so a
/// graph without calls starts no thread for them.
///
/// Threads: everything here runs on the control thread (the io_context), except the
/// peer connection and the call node, which run on the node's strand.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/io_context.hpp>

#include <switchboard/call.hpp>
#include <switchboard/log.hpp>

#include "config/graph_config.hpp"

namespace switchboard::rtc {
class Certificate;
class GlibLoop;
}  // namespace switchboard::rtc

namespace switchboard::core {

class Graph;
class NodeRuntime;
struct CallSession;

class CallService {
public:
    CallService(Graph& graph, RtcSpec rtc, std::optional<std::string> state_dir, Logger& log,
                boost::asio::io_context& io);
    /// Ends the calls still running (close_all()).
    ~CallService();
    CallService(const CallService&) = delete;
    CallService& operator=(const CallService&) = delete;

    /// The CallHost that `owner`'s NodeContext::calls() hands out.
    CallHost& host_for(NodeRuntime& owner);

    /// Ends every call with `reason` and refuses new ones: the graph is stopping.
    void close_all(const std::string& reason);

    // For CallSession.
    Result<std::unique_ptr<Call>> create_call(NodeRuntime& owner, CallOptions options, CallEvents events);
    void forget(const std::string& id) { m_sessions.erase(id); }
    Graph& graph() noexcept { return m_graph; }
    bool closed() const noexcept { return m_closed; }

private:
    class NodeCalls;
    Result<void> ensure_transport();

    Graph& m_graph;
    const RtcSpec m_rtc;
    const std::optional<std::string> m_state_dir;
    Logger& m_log;
    boost::asio::io_context& m_io;
    std::unique_ptr<rtc::GlibLoop> m_glib;
    std::shared_ptr<const rtc::Certificate> m_certificate;
    std::map<NodeRuntime*, std::unique_ptr<NodeCalls>> m_hosts;
    std::map<std::string, std::weak_ptr<CallSession>> m_sessions;  // live calls by id
    bool m_closed = false;
};

}  // namespace switchboard::core
