#include "call/call_session.hpp"

#include <utility>

#include <boost/asio/post.hpp>

#include "call/call_node.hpp"
#include "call/call_service.hpp"
#include "graph/graph.hpp"

namespace switchboard::core {

CallSession::CallSession(CallService& service_, NodeRuntime& owner_, CallOptions options_, CallEvents events_,
                         std::shared_ptr<Logger> log_, boost::asio::any_io_executor io_)
    : service(service_),
      owner(owner_),
      id(options_.id),
      options(std::move(options_)),
      events(std::move(events_)),
      log(std::move(log_)),
      io(std::move(io_)) {}

void CallSession::post_io(std::function<void()> fn) {
    boost::asio::post(io, std::move(fn));
}

void CallSession::negotiate(Step step, std::string sdp, Call::DescriptionHandler done) {
    if (ended) {
        post_io([done = std::move(done)] { done(Error::runtime("the call has ended")); });
        return;
    }
    boost::asio::post(
        strand, [self = shared_from_this(), step, sdp = std::move(sdp), done = std::move(done)]() mutable {
            if (!self->pc) {  // ended meanwhile: still answer, so no request waits forever
                return self->post_io([done = std::move(done)] { done(Error::runtime("the call has ended")); });
            }
            // A first negotiation that fails ends the call; a later one (hold, ICE restart)
            // is refused and the call goes on with what it had.
            const bool renegotiation = self->m_negotiated;
            auto fail = [&](const Error& e) {
                SWITCHBOARD_LOG(*self->log, warn,
                                (renegotiation ? "renegotiation refused: " : "negotiation failed: ") << e.message);
                self->post_io([self, e, renegotiation, done = std::move(done)] {
                    if (!renegotiation) self->end(e.message);
                    done(e);
                });
            };
            Result<std::string> local = std::string();
            switch (step) {
                case Step::answer:
                    if (auto r = self->pc->set_remote_description(sdp, rtc::SdpType::offer); !r) return fail(r.error());
                    local = self->pc->create_answer();
                    break;
                case Step::offer:
                    local = self->pc->create_offer();
                    break;
                case Step::accept_answer:
                    if (auto r = self->pc->set_remote_description(sdp, rtc::SdpType::answer); !r)
                        return fail(r.error());
                    local = sdp;
                    break;
            }
            if (!local) return fail(local.error());
            // Media is attached once, when the first exchange settles; later ones change
            // directions or transport, not what feeds the call.
            const bool settled = step != Step::offer && !self->m_negotiated;
            if (step != Step::offer) self->m_negotiated = true;
            auto finish = [self, settled, step, local = std::move(local.value()), done = std::move(done)]() mutable {
                // With every candidate in it, when the far side cannot trickle.
                if (step != Step::accept_answer && self->options.complete_gathering)
                    local = self->pc->local_description();
                const Format video = settled ? self->pc->video_send_format() : Format{};
                const Format audio = settled ? self->pc->audio_send_format() : Format{};
                self->post_io([self, settled, video, audio, local = std::move(local), done = std::move(done)] {
                    if (self->ended) return done(Error::runtime("the call has ended"));
                    if (settled)
                        if (auto r = self->attach_media(video, audio); !r) {
                            self->end(r.error().message);
                            return done(r.error());
                        }
                    done(local);
                });
            };
            if (step != Step::accept_answer && self->options.complete_gathering)
                self->when_gathered(std::move(finish));
            else
                finish();
        });
}

void CallSession::when_gathered(std::function<void()> then) {
    if (m_gathered) return then();
    m_after_gathering = std::move(then);
    // A far side that never finishes gathering (an unreachable TURN server) must not
    // hold the call for ever.
    m_gather_timer = std::make_unique<boost::asio::steady_timer>(strand, options.gathering_limit);
    m_gather_timer->async_wait([weak = weak_from_this()](boost::system::error_code ec) {
        auto self = weak.lock();
        if (ec || !self || !self->m_after_gathering) return;
        SWITCHBOARD_LOG(*self->log, info,
                        "gathering is still going after " << self->options.gathering_limit.count()
                                                          << " ms: sending the description with what there is");
        std::exchange(self->m_after_gathering, nullptr)();
    });
}

Result<void> CallSession::attach_media(const Format& video, const Format& audio) {
    auto& graph = service.graph();
    auto attach = [&](std::optional<PortIndex> port, PortIndex input, Format format) -> Result<void> {
        if (!port || format.codec == Codec::any) return {};
        // SDP always says opus/48000/2 (RFC 7587 §7); the stream itself may be mono.
        if (format.codec == Codec::opus) format.channels = 0;
        const LinkRuntime* tap = owner.input_links()[*port];
        if (!tap) return {};
        auto r = graph.attach(*node, input, *tap, FormatSet{format});
        if (!r) return Error{r.error().kind, "cannot send " + to_string(format) + ": " + r.error().message};
        // Passthrough when the call is fed by the producer itself, not by a converter.
        const LinkRuntime* fed = node->input_links()[input];
        const bool passthrough = fed && fed->from == tap->from;
        media_paths.push_back(std::string(to_string(r.value().kind)) + ": " +
                              (passthrough ? "passthrough " : "transcoded to ") + to_string(r.value()) + " (" +
                              graph.path_to(*node, input) + ")");
        SWITCHBOARD_LOG(*log, info, "sends " << media_paths.back());
        return {};
    };
    if (auto r = attach(options.media.send_video, CallNode::video_input, video); !r) return r;
    return attach(options.media.send_audio, CallNode::audio_input, audio);
}

void CallSession::add_remote_candidate(std::string line) {
    if (ended) return;
    boost::asio::post(strand, [self = shared_from_this(), line = std::move(line)] {
        if (!self->pc) return;
        if (line.empty()) return self->pc->remote_end_of_candidates();
        if (auto r = self->pc->add_remote_candidate(line); !r)
            SWITCHBOARD_LOG(*self->log, warn, "ignoring a remote candidate: " << r.error().message);
    });
}

void CallSession::end(const std::string& reason) {
    if (ended) return;
    ended = true;
    state = CallState::ended;
    SWITCHBOARD_LOG(*log, info, "ended: " << reason);
    if (keyframe_source) owner.remove_keyframe_source(std::exchange(keyframe_source, 0));
    if (node) {
        // Stops the node, whose stop() closes the transport, and unlinks it.
        service.graph().remove_runtime_node(*node);
        node = nullptr;
    }
    service.forget(id);
    if (events.on_state)
        post_io([self = shared_from_this(), reason] {
            if (self->events.on_state) self->events.on_state(CallState::ended, reason);
        });
}

void CallSession::send(MediaKind kind, const Frame& frame) {
    if (!pc) return;
    if (kind == MediaKind::audio) {
        pc->send_audio(frame);  // audio from before the connection is stale: it goes
        return;
    }
    if (pc->state() != rtc::PeerConnectionState::connected) {
        m_early_video.on_frame(frame);
        return;
    }
    // The connection came up before its state change reached us: the kept frames first.
    if (!m_early_video.frames().empty()) flush_early_video();
    pc->send_video(frame);
}

void CallSession::flush_early_video() {
    if (pc)
        for (const auto& frame : m_early_video.frames()) pc->send_video(frame);
    m_early_video.clear();
}

void CallSession::close_transport() {
    if (m_gather_timer) m_gather_timer->cancel();
    m_after_gathering = nullptr;
    if (pc) pc->close();
    pc.reset();
}

CallHandle::~CallHandle() {
    m_session->detach_events();
    m_session->end("hangup");
}

void CallHandle::answer(std::string offer, DescriptionHandler done) noexcept {
    m_session->negotiate(CallSession::Step::answer, std::move(offer), std::move(done));
}

void CallHandle::offer(DescriptionHandler done) noexcept {
    m_session->negotiate(CallSession::Step::offer, {}, std::move(done));
}

void CallHandle::accept_answer(std::string answer, DescriptionHandler done) noexcept {
    m_session->negotiate(CallSession::Step::accept_answer, std::move(answer), std::move(done));
}

void CallHandle::add_remote_candidate(std::string candidate) noexcept {
    m_session->add_remote_candidate(std::move(candidate));
}

void CallHandle::hang_up(std::string reason) noexcept {
    m_session->end(reason);
}

}  // namespace switchboard::core
