/// \file call_session.hpp
/// \brief One call's state, shared by the handle the signalling node holds, the call node
/// in the graph and the handlers posted between the control thread and the node's strand.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <switchboard/call.hpp>
#include <switchboard/frame.hpp>

#include "graph/gop_cache.hpp"
#include "rtc/peer_connection.hpp"

namespace switchboard::core {

class CallService;
class NodeRuntime;
class Graph;

struct CallSession : std::enable_shared_from_this<CallSession> {
    CallSession(CallService& service, NodeRuntime& owner, CallOptions options, CallEvents events,
                std::shared_ptr<Logger> log, boost::asio::any_io_executor io);

    // Control thread ------------------------------------------------------------------

    /// Produces a description on the strand, attaches the media once SDP has settled,
    /// and completes `done` on the control thread.
    enum class Step { answer, offer, accept_answer };
    void negotiate(Step step, std::string sdp, Call::DescriptionHandler done);
    void add_remote_candidate(std::string line);
    /// Ends the call once: closes the transport, takes the node out of the graph, and
    /// reports on_state(ended, reason) unless the handle is gone.
    void end(const std::string& reason);
    /// The handle is gone: no callback runs any more.
    void detach_events() { events = {}; }

    // The node's strand ---------------------------------------------------------------

    /// Video that comes before the connection is up (media is attached when the SDP
    /// settles, ICE and DTLS take a while longer) is kept from its last keyframe on and
    /// sent the moment the connection is up, so the far side starts at once instead of
    /// at the source's next keyframe.
    void send(MediaKind kind, const Frame& frame);
    /// The connection is up: sends the video kept until now.
    void flush_early_video();
    void close_transport();

    CallService& service;
    NodeRuntime& owner;
    const std::string id;
    const CallOptions options;
    CallEvents events;  // control thread
    std::shared_ptr<Logger> log;
    boost::asio::any_io_executor io;

    NodeRuntime* node = nullptr;  // the rtc.call node; control thread
    /// The owner's keyframe source for what this call receives (0: none); control thread.
    std::uint64_t keyframe_source = 0;
    boost::asio::any_io_executor strand;
    std::unique_ptr<rtc::PeerConnection> pc;  // strand
    std::atomic<CallState> state{CallState::connecting};
    bool ended = false;  // control thread
    /// How each sent kind reaches the call, decided when media is attached: "video:
    /// passthrough video/H264 ... from camera (rtsp.source)" or "...: transcoded ...".
    /// Set on the control thread before any frame flows; read at the end for the stats.
    std::vector<std::string> media_paths;

private:
    /// Strand: calls `then` once local gathering is done, or after a bound wait.
    void when_gathered(std::function<void()> then);
    /// Control thread: links the call node to its sources in the negotiated formats.
    Result<void> attach_media(const Format& video, const Format& audio);
    void post_io(std::function<void()> fn);

    bool m_gathered = false;                                    // strand
    bool m_negotiated = false;                                  // strand: the first offer/answer exchange is done
    std::function<void()> m_after_gathering;                    // strand
    std::unique_ptr<boost::asio::steady_timer> m_gather_timer;  // strand
    GopCache m_early_video;                                     // strand

    friend class CallService;
};

/// What a signalling node holds: hangs up when destroyed.
class CallHandle final : public Call {
public:
    explicit CallHandle(std::shared_ptr<CallSession> session) : m_session(std::move(session)) {}
    ~CallHandle() override;

    const std::string& id() const noexcept override { return m_session->id; }
    void answer(std::string offer, DescriptionHandler done) noexcept override;
    void offer(DescriptionHandler done) noexcept override;
    void accept_answer(std::string answer, DescriptionHandler done) noexcept override;
    void add_remote_candidate(std::string candidate) noexcept override;
    void hang_up(std::string reason) noexcept override;
    CallState state() const noexcept override { return m_session->state.load(); }

private:
    std::shared_ptr<CallSession> m_session;
};

}  // namespace switchboard::core
