#include "call/call_service.hpp"

#include <boost/asio/post.hpp>

#include "call/call_node.hpp"
#include "call/call_session.hpp"
#include "call/ice_server_uri.hpp"
#include "graph/graph.hpp"
#include "rtc/dtls/certificate.hpp"
#include "rtc/ice/glib_loop.hpp"

namespace switchboard::core {

namespace {

Format video_format(Codec codec) {
    Format f;
    f.kind = MediaKind::video;
    f.codec = codec;
    f.clock_rate = 90000;
    if (codec == Codec::h264) {
        f.profile_level_id = 0x42e01f;  // constrained baseline 3.1: what every WebRTC peer decodes
        f.packetization_mode = 1;
    }
    return f;
}

Format opus_format() {
    Format f;
    f.kind = MediaKind::audio;
    f.codec = Codec::opus;
    f.clock_rate = 48000;
    return f;
}

/// What a call can send from a source of `source` format: the source's own codec first
/// when RTP can carry it (passthrough), then what an encoder can make.
FormatSet send_formats(const Format& source) {
    FormatSet out;
    if (source.kind == MediaKind::audio) {
        out.push_back(opus_format());
        return out;
    }
    if (source.codec == Codec::h264 || source.codec == Codec::vp8) {
        Format f = video_format(source.codec);
        if (source.codec == Codec::h264 && source.profile_level_id) f.profile_level_id = source.profile_level_id;
        out.push_back(f);
    }
    for (Codec c : {Codec::vp8, Codec::h264})
        if (c != source.codec) out.push_back(video_format(c));
    return out;
}

/// What a call can take into `port` of `owner`: the formats its links settled on (so a
/// publisher's media fits them without a converter), or the port's own set.
FormatSet receive_formats(NodeRuntime& owner, PortIndex port) {
    FormatSet out;
    for (const auto* link : owner.output_links()[port]) {
        Format f = link->format;
        if (f.clock_rate == 0) f.clock_rate = f.kind == MediaKind::video ? 90000 : 48000;
        if (f.codec == Codec::h264 && f.packetization_mode < 0) f.packetization_mode = 1;
        if (std::find(out.begin(), out.end(), f) == out.end()) out.push_back(f);
    }
    return out.empty() ? owner.outputs()[port].formats : out;
}

}  // namespace

/// The CallHost of one node.
class CallService::NodeCalls final : public CallHost {
public:
    NodeCalls(CallService& service, NodeRuntime& owner) : m_service(service), m_owner(owner) {}
    Result<std::unique_ptr<Call>> create_call(CallOptions options, CallEvents events) noexcept override {
        try {
            return m_service.create_call(m_owner, std::move(options), std::move(events));
        } catch (const std::exception& e) {
            return Error::runtime("call " + options.id + ": " + e.what());
        }
    }

private:
    CallService& m_service;
    NodeRuntime& m_owner;
};

CallService::CallService(Graph& graph, RtcSpec rtc, std::optional<std::string> state_dir, Logger& log,
                         boost::asio::io_context& io)
    : m_graph(graph), m_rtc(std::move(rtc)), m_state_dir(std::move(state_dir)), m_log(log), m_io(io) {}

CallService::~CallService() {
    close_all("shutdown");
}

CallHost& CallService::host_for(NodeRuntime& owner) {
    auto& host = m_hosts[&owner];
    if (!host) host = std::make_unique<NodeCalls>(*this, owner);
    return *host;
}

void CallService::close_all(const std::string& reason) {
    m_closed = true;
    // end() forgets the session: iterate over a copy.
    auto sessions = m_sessions;
    for (auto& [id, weak] : sessions)
        if (auto s = weak.lock()) s->end(reason);
    m_sessions.clear();
}

Result<void> CallService::ensure_transport() {
    if (!m_certificate) {
        auto cert = m_state_dir ? rtc::Certificate::load_or_create(*m_state_dir) : rtc::Certificate::generate();
        if (!cert) return Error{cert.error().kind, "DTLS certificate: " + cert.error().message};
        m_certificate = cert.value();
    }
    if (!m_glib) m_glib = std::make_unique<rtc::GlibLoop>();
    return {};
}

Result<std::unique_ptr<Call>> CallService::create_call(NodeRuntime& owner, CallOptions options, CallEvents events) {
    const std::string what = "call " + options.id;
    if (m_closed) return Error::unavailable(what + ": the graph is stopping");
    if (options.id.empty()) return Error::invalid("a call needs an id");
    if (m_sessions.count(options.id)) return Error::invalid(what + ": that id is in use");
    auto check = [&](const std::optional<PortIndex>& port, bool input, MediaKind kind) -> Result<void> {
        if (!port) return {};
        const auto& ports = input ? owner.inputs() : owner.outputs();
        if (*port >= ports.size() || ports[*port].kind != kind)
            return Error::invalid(what + ": " + std::string(input ? "input " : "output ") + std::to_string(*port) +
                                  " of " + std::string(owner.name()) + " is not a " +
                                  (kind == MediaKind::video ? "video" : "audio") + " port");
        return {};
    };
    const auto& m = options.media;
    for (auto r : {check(m.send_video, true, MediaKind::video), check(m.send_audio, true, MediaKind::audio),
                   check(m.receive_video, false, MediaKind::video), check(m.receive_audio, false, MediaKind::audio)})
        if (!r) return r.error();
    if (auto r = ensure_transport(); !r) return Error{r.error().kind, what + ": " + r.error().message};

    rtc::PeerConnectionConfig config;
    config.gather_addresses = m_rtc.gather_addresses;
    config.srtp_key_log_path = m_rtc.srtp_key_log;
    if (m_rtc.stun) {
        config.stun_host = m_rtc.stun->first;
        config.stun_port = m_rtc.stun->second;
    }
    for (const auto& t : m_rtc.turn)
        config.turn_servers.push_back(
            rtc::TurnServer{t.host, t.port, t.username, t.password,
                            t.tcp ? rtc::TurnServer::Transport::tcp : rtc::TurnServer::Transport::udp});
    // The protocol's own servers (Matrix's /voip/turnServer) join the configured ones.
    for (const auto& server : options.ice_servers)
        for (const auto& url : server.urls) {
            auto uri = parse_ice_server_uri(url);
            if (!uri) {
                SWITCHBOARD_LOG(owner.log(), info,
                                what << ": skipping ICE server " << url << " (not a stun: or turn: URI we can use)");
                continue;
            }
            if (uri->scheme == IceServerUri::Scheme::stun) {
                if (!config.stun_host) {
                    config.stun_host = uri->host;
                    config.stun_port = uri->port;
                }
                continue;
            }
            config.turn_servers.push_back(rtc::TurnServer{uri->host, uri->port, server.username, server.password,
                                                          uri->transport == IceServerUri::Transport::tcp
                                                              ? rtc::TurnServer::Transport::tcp
                                                              : rtc::TurnServer::Transport::udp});
        }
    config.ice_timeout = std::chrono::milliseconds(std::int64_t(m_rtc.ice_timeout_s * 1000));
    config.stream_id = options.id;
    config.log = owner.log().with_context("call " + options.id);

    // A kind is sent when its input is linked, else received when asked for, else its
    // section is accepted inactive: rejecting it could reject the BUNDLE tag, which
    // libwebrtc does not survive (RFC 8843 §7.3.3 allows it; libwebrtc fails the others).
    auto plan = [&](const std::optional<PortIndex>& send, const std::optional<PortIndex>& receive, MediaKind kind,
                    bool& sending, FormatSet& formats) {
        sending = send && owner.input_links()[*send];
        if (sending)
            formats = send_formats(owner.input_links()[*send]->format);
        else if (receive)
            formats = receive_formats(owner, *receive);
        else
            formats = send_formats(Format{.kind = kind});
    };
    plan(m.send_video, m.receive_video, MediaKind::video, config.send_video, config.video_formats);
    plan(m.send_audio, m.receive_audio, MediaKind::audio, config.send_audio, config.audio_formats);
    const FormatSet node_video = config.send_video ? config.video_formats : FormatSet{};
    const FormatSet node_audio = config.send_audio ? config.audio_formats : FormatSet{};

    auto session =
        std::make_shared<CallSession>(*this, owner, options, std::move(events), config.log, m_io.get_executor());
    auto node = m_graph.add_runtime_node(std::string(owner.name()) + "~" + options.id, "rtc.call",
                                         std::make_unique<CallNode>(session, node_video, node_audio));
    if (!node) return Error{node.error().kind, what + ": " + node.error().message};
    session->node = node.value();
    session->strand = node.value()->executor();

    rtc::PeerConnection::Callbacks cb;
    std::weak_ptr<CallSession> weak = session;
    auto on_io = [weak](auto fn) {
        if (auto s = weak.lock())
            boost::asio::post(s->io, [weak, fn = std::move(fn)] {
                if (auto s = weak.lock(); s && !s->ended) fn(*s);
            });
    };
    cb.on_local_candidate = [on_io](const std::string& candidate, const std::string& mid) {
        on_io([candidate, mid](CallSession& s) {
            if (s.events.on_local_candidate) s.events.on_local_candidate(candidate, mid);
        });
    };
    cb.on_gathering_done = [weak, on_io] {
        if (auto s = weak.lock()) {
            s->m_gathered = true;
            if (s->m_gather_timer) s->m_gather_timer->cancel();
            if (s->m_after_gathering) std::exchange(s->m_after_gathering, nullptr)();
        }
        on_io([](CallSession& s) {
            if (s.events.on_gathering_done) s.events.on_gathering_done();
        });
    };
    cb.on_state = [weak, on_io](rtc::PeerConnectionState state, const std::string& reason) {
        // On the call's strand, where its video is sent.
        if (auto s = weak.lock(); s && state == rtc::PeerConnectionState::connected) s->flush_early_video();
        on_io([state, reason](CallSession& s) {
            if (state == rtc::PeerConnectionState::connected) {
                SWITCHBOARD_LOG(*s.log, info, "connected");
                s.state = CallState::connected;
                if (s.events.on_state) s.events.on_state(CallState::connected, "");
            } else if (state == rtc::PeerConnectionState::failed || state == rtc::PeerConnectionState::closed) {
                s.end(reason.empty() ? std::string(rtc::to_string(state)) : reason);
            }
        });
    };
    auto deliver = [weak](std::optional<PortIndex> port) {
        return [weak, port](const Frame& frame) {
            auto s = weak.lock();
            if (!s || !port) return;
            // Out of the signalling node's own port, from its own strand, as emit() asks.
            NodeRuntime& owner = s->owner;
            boost::asio::post(owner.executor(), [&owner, p = *port, frame] { owner.emit(p, frame); });
        };
    };
    cb.on_video_frame = deliver(m.receive_video);
    cb.on_audio_frame = deliver(m.receive_audio);
    cb.on_keyframe_request = [weak] {
        if (auto s = weak.lock()) {
            // Through the graph, to the encoder (or the source) that can make one.
            boost::asio::post(s->io, [weak] {
                if (auto s = weak.lock(); s && s->node) s->node->request_keyframe(CallNode::video_input);
            });
        }
    };

    cb.on_bandwidth_estimate = [weak](std::uint64_t bps) {
        // The far side's estimate (REMB) caps the encoder feeding this call; a shared
        // encoder follows the smallest of its viewers' estimates.
        if (auto s = weak.lock())
            boost::asio::post(s->io, [weak, bps] {
                if (auto s = weak.lock(); s && s->node) s->node->request_bitrate(CallNode::video_input, bps);
            });
    };

    Result<void> made;
    node.value()->run_blocking([&] {
        auto pc =
            rtc::PeerConnection::create(*m_glib, session->strand, m_certificate, std::move(config), std::move(cb));
        if (!pc) {
            made = pc.error();
            return;
        }
        session->pc = std::move(pc.value());
    });
    if (!made) {
        session->end(made.error().message);
        return Error{made.error().kind, what + ": " + made.error().message};
    }
    m_sessions[options.id] = session;
    if (m.receive_video) {
        // Whoever watches what this call receives (a TV fed from the station) gets a
        // keyframe from the far side, asked with a PLI.
        std::weak_ptr<CallSession> weak_session = session;
        session->keyframe_source = owner.add_keyframe_source(*m.receive_video, [weak_session] {
            if (auto s = weak_session.lock())
                boost::asio::post(s->strand, [weak_session] {
                    if (auto s = weak_session.lock(); s && s->pc) s->pc->request_keyframe();
                });
        });
    }
    SWITCHBOARD_LOG(*session->log, info, "created by " << owner.name());
    return std::unique_ptr<Call>(std::make_unique<CallHandle>(session));
}

}  // namespace switchboard::core
