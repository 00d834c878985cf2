#include "rtc/ice/ice_transport.hpp"

#include <nice/agent.h>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <sys/socket.h>

#include <atomic>
#include <cstring>
#include <mutex>
#include <optional>
#include <shared_mutex>

#include "rtc/ice/glib_loop.hpp"
#include "rtc/ice/udp_batch.hpp"

namespace switchboard::rtc {

std::string_view to_string(IceState s) {
    switch (s) {
        case IceState::new_:
            return "new";
        case IceState::checking:
            return "checking";
        case IceState::connected:
            return "connected";
        case IceState::completed:
            return "completed";
        case IceState::failed:
            return "failed";
        case IceState::closed:
            return "closed";
    }
    return "?";
}

namespace {

constexpr guint component_id = 1;  // rtcp-mux: one component

bool is_name(std::string_view address) {
    // An IP literal parses; anything else (mDNS "x.local", a DNS name) does not.
    NiceAddress a;
    nice_address_init(&a);
    return !nice_address_set_from_string(&a, std::string(address).c_str());
}

bool ends_with_local(std::string_view address) {
    constexpr std::string_view suffix = ".local";
    return address.size() > suffix.size() && address.substr(address.size() - suffix.size()) == suffix;
}

std::string describe(const NiceCandidate* c) {
    char text[NICE_ADDRESS_STRING_LEN];
    nice_address_to_string(&c->addr, text);
    std::string out = text;
    out += ':' + std::to_string(nice_address_get_port(&c->addr));
    out += ' ';
    out += nice_candidate_type_to_string(c->type);
    return out;
}

}  // namespace

struct IceTransport::Impl : std::enable_shared_from_this<Impl> {
    Impl(GlibLoop& l, boost::asio::any_io_executor ex, IceConfig cfg, Callbacks cb)
        : loop(l), executor(std::move(ex)), config(std::move(cfg)), callbacks(std::move(cb)), timer(executor) {}

    GlibLoop& loop;
    const boost::asio::any_io_executor executor;
    const IceConfig config;
    const Callbacks callbacks;
    guint stream_id = 0;  ///< set once in create()

    /// The agent; null after close(). Shared by every user of the agent, exclusive for
    /// close(), so send() from media threads never meets a released agent.
    mutable std::shared_mutex agent_mutex;
    NiceAgent* agent = nullptr;

    /// Remote credentials and the candidates and end-of-candidates that came before them.
    std::mutex remote_mutex;
    bool remote_set = false;
    std::string remote_ufrag;
    std::vector<sdp::Candidate> pending;
    bool pending_end_of_candidates = false;

    enum class Gathering { not_started, gathering, done };
    std::atomic<Gathering> gathering{Gathering::not_started};

    mutable std::mutex pair_mutex;
    std::string pair;  ///< under pair_mutex; written on the GLib thread

    /// The selected pair's own UDP socket and peer address, when it has them (not a TURN
    /// relay, not TCP): media then goes out with one sendmmsg() per batch (UdpBatchSender),
    /// without libnice's per-message locking and copying, which cost ~12 us a packet here.
    /// libnice still owns the socket and keeps checks and consent on it.
    struct DirectPath {
        GSocket* socket = nullptr;  ///< a reference we hold
        sockaddr_storage peer{};
        socklen_t peer_len = 0;
    };
    std::shared_mutex direct_mutex;
    DirectPath direct;  ///< under direct_mutex
    UdpBatchSender direct_sender;
    ~Impl() { set_direct(nullptr, nullptr); }

    void set_direct(GSocket* socket, const NiceAddress* peer) {
        std::unique_lock lock(direct_mutex);
        if (direct.socket) g_object_unref(direct.socket);
        direct = {};
        if (!socket) return;
        direct.socket = socket;
        nice_address_copy_to_sockaddr(peer, reinterpret_cast<sockaddr*>(&direct.peer));
        direct.peer_len = direct.peer.ss_family == AF_INET6 ? sizeof(sockaddr_in6) : sizeof(sockaddr_in);
    }

    /// How many of `datagrams` went out directly; nullopt when there is no direct path.
    std::optional<std::size_t> send_direct(std::span<const std::span<const std::uint8_t>> datagrams) {
        std::shared_lock lock(direct_mutex);
        if (!direct.socket) return std::nullopt;
        return direct_sender.send(g_socket_get_fd(direct.socket), reinterpret_cast<const sockaddr*>(&direct.peer),
                                  direct.peer_len, datagrams);
    }

    /// send_when_connected()'s datagrams until the first connected state (on the strand).
    std::vector<std::vector<std::uint8_t>> held;
    bool ever_connected = false;

    // On the strand only.
    std::atomic<bool> closed{false};  ///< also read by send()
    std::atomic<IceState> state{IceState::new_};
    bool timed_out = false;         ///< failed by our timer: libnice's states are ignored until restart
    std::uint64_t timer_epoch = 0;  ///< a wait from before a re-arm or cancel is stale
    boost::asio::steady_timer timer;

    void debug(std::string_view line) const {
        if (config.log) SWITCHBOARD_LOG(*config.log, debug, "ice: " << line);
    }
    void warn(std::string_view line) const {
        if (config.log) SWITCHBOARD_LOG(*config.log, warn, "ice: " << line);
    }

    /// Runs `fn(impl)` on the strand unless the transport is gone or closed by then.
    template <class Fn>
    void post(Fn fn) {
        boost::asio::post(executor, [weak = weak_from_this(), fn = std::move(fn)]() mutable {
            auto self = weak.lock();
            if (!self || self->closed) return;
            fn(*self);
        });
    }

    // --- on the strand ---

    void report(IceState next) {
        if (closed || next == state) return;
        state = next;
        debug(std::string("state ") + std::string(to_string(next)));
        if (next == IceState::connected || next == IceState::completed || next == IceState::failed) cancel_timer();
        if ((next == IceState::connected || next == IceState::completed) && !ever_connected) {
            ever_connected = true;
            for (const auto& d : std::exchange(held, {})) send(d);
        }
        if (callbacks.on_state) callbacks.on_state(next);
    }

    void on_nice_state(guint nice_state) {
        if (timed_out) return;
        switch (nice_state) {
            case NICE_COMPONENT_STATE_CONNECTING:
                report(IceState::checking);
                break;
            case NICE_COMPONENT_STATE_CONNECTED:
                report(IceState::connected);
                break;
            case NICE_COMPONENT_STATE_READY:
                report(IceState::completed);
                break;
            case NICE_COMPONENT_STATE_FAILED:
                report(IceState::failed);
                break;
            default:
                break;  // disconnected, gathering: not connection states
        }
    }

    void arm_timer() {
        const auto epoch = ++timer_epoch;
        timer.expires_after(config.connection_timeout);
        timer.async_wait([weak = weak_from_this(), epoch](const boost::system::error_code& ec) {
            auto self = weak.lock();
            if (ec || !self || self->closed || epoch != self->timer_epoch) return;
            const IceState s = self->state;
            if (s == IceState::connected || s == IceState::completed) return;
            self->debug("no pair connected within the connection timeout");
            self->timed_out = true;
            self->report(IceState::failed);
        });
    }

    void cancel_timer() {
        ++timer_epoch;
        timer.cancel();
    }

    bool send(std::span<const std::uint8_t> datagram) {
        std::shared_lock lock(agent_mutex);
        if (!agent || datagram.empty()) return false;
        const gint sent = nice_agent_send(agent, stream_id, component_id, static_cast<guint>(datagram.size()),
                                          reinterpret_cast<const gchar*>(datagram.data()));
        return sent == static_cast<gint>(datagram.size());
    }

    std::size_t send_batch(std::span<const std::span<const std::uint8_t>> datagrams) {
        if (datagrams.empty() || closed) return 0;
        if (auto sent = send_direct(datagrams)) return *sent;
        std::vector<GOutputVector> vectors(datagrams.size());
        std::vector<NiceOutputMessage> messages(datagrams.size());
        for (std::size_t i = 0; i < datagrams.size(); ++i) {
            vectors[i] = {datagrams[i].data(), datagrams[i].size()};
            messages[i] = {&vectors[i], 1};
        }
        std::shared_lock lock(agent_mutex);
        if (!agent) return 0;
        const gint sent = nice_agent_send_messages_nonblocking(agent, stream_id, component_id, messages.data(),
                                                               guint(messages.size()), nullptr, nullptr);
        return sent > 0 ? std::size_t(sent) : 0;
    }

    // --- callers' threads ---

    /// Hands a candidate to libnice; remote_mutex held, remote credentials set.
    void apply_remote(const sdp::Candidate& c) {
        NiceCandidateType type = NICE_CANDIDATE_TYPE_HOST;
        switch (c.type) {
            case sdp::CandidateType::host:
                type = NICE_CANDIDATE_TYPE_HOST;
                break;
            case sdp::CandidateType::srflx:
                type = NICE_CANDIDATE_TYPE_SERVER_REFLEXIVE;
                break;
            case sdp::CandidateType::prflx:
                type = NICE_CANDIDATE_TYPE_PEER_REFLEXIVE;
                break;
            case sdp::CandidateType::relay:
                type = NICE_CANDIDATE_TYPE_RELAYED;
                break;
        }
        NiceCandidate* nc = nice_candidate_new(type);
        nc->stream_id = stream_id;
        nc->component_id = component_id;
        nc->priority = c.priority;
        std::strncpy(nc->foundation, c.foundation.c_str(), NICE_CANDIDATE_MAX_FOUNDATION - 1);
        nc->foundation[NICE_CANDIDATE_MAX_FOUNDATION - 1] = '\0';
        nc->transport = NICE_CANDIDATE_TRANSPORT_UDP;
        if (c.tcp_type) {
            if (*c.tcp_type == "active") nc->transport = NICE_CANDIDATE_TRANSPORT_TCP_ACTIVE;
            if (*c.tcp_type == "passive") nc->transport = NICE_CANDIDATE_TRANSPORT_TCP_PASSIVE;
            if (*c.tcp_type == "so") nc->transport = NICE_CANDIDATE_TRANSPORT_TCP_SO;
        }
        nice_address_set_from_string(&nc->addr, c.address.c_str());  // checked by the caller
        nice_address_set_port(&nc->addr, c.port);
        if (c.related_address && nice_address_set_from_string(&nc->base_addr, c.related_address->c_str()))
            nice_address_set_port(&nc->base_addr, c.related_port.value_or(0));

        GSList* list = g_slist_append(nullptr, nc);
        int added = -1;
        {
            std::shared_lock lock(agent_mutex);
            if (agent) added = nice_agent_set_remote_candidates(agent, stream_id, component_id, list);
        }
        g_slist_free_full(list, reinterpret_cast<GDestroyNotify>(nice_candidate_free));
        if (added < 1) debug("libnice refused remote candidate " + c.to_string());
    }

    /// Our candidates as they are now, for a restart's re-announcement.
    std::vector<sdp::Candidate> local_candidates() {
        std::vector<sdp::Candidate> out;
        std::shared_lock lock(agent_mutex);
        if (!agent) return out;
        GSList* list = nice_agent_get_local_candidates(agent, stream_id, component_id);
        for (GSList* i = list; i; i = i->next) {
            if (auto c = to_sdp(agent, static_cast<NiceCandidate*>(i->data))) out.push_back(std::move(*c));
        }
        g_slist_free_full(list, reinterpret_cast<GDestroyNotify>(nice_candidate_free));
        return out;
    }

    static std::optional<sdp::Candidate> to_sdp(NiceAgent* agent, NiceCandidate* c) {
        gchar* text = nice_agent_generate_local_candidate_sdp(agent, c);
        if (!text) return std::nullopt;
        std::string_view line = text;
        if (line.substr(0, 2) == "a=") line.remove_prefix(2);
        auto parsed = sdp::Candidate::parse(line);
        g_free(text);
        return parsed;
    }

    // --- GLib signal handlers: the GLib thread, or a thread inside a libnice call ---

    static void on_new_candidate(NiceAgent* agent, NiceCandidate* c, gpointer data) {
        auto* self = static_cast<Impl*>(data);
        auto candidate = to_sdp(agent, c);
        if (!candidate) return self->warn("a local candidate libnice wrote did not parse");
        self->post([candidate = std::move(*candidate)](Impl& s) {
            if (s.callbacks.on_local_candidate) s.callbacks.on_local_candidate(candidate);
        });
    }

    static void on_gathering_done(NiceAgent*, guint, gpointer data) {
        auto* self = static_cast<Impl*>(data);
        self->gathering = Gathering::done;
        self->post([](Impl& s) {
            if (s.callbacks.on_gathering_done) s.callbacks.on_gathering_done();
        });
    }

    static void on_component_state(NiceAgent*, guint, guint, guint nice_state, gpointer data) {
        static_cast<Impl*>(data)->post([nice_state](Impl& s) { s.on_nice_state(nice_state); });
    }

    static void on_selected_pair(NiceAgent*, guint, guint, NiceCandidate* local, NiceCandidate* remote, gpointer data) {
        auto* self = static_cast<Impl*>(data);
        std::string text = std::string(local->transport == NICE_CANDIDATE_TRANSPORT_UDP ? "udp " : "tcp ") +
                           describe(local) + " <-> " + describe(remote);
        self->debug("selected pair " + text);
        {
            std::lock_guard lock(self->pair_mutex);
            self->pair = std::move(text);
        }
        // Direct sends only where the datagram needs no framing from libnice.
        GSocket* socket = nullptr;
        if (local->transport == NICE_CANDIDATE_TRANSPORT_UDP && local->type != NICE_CANDIDATE_TYPE_RELAYED &&
            remote->transport == NICE_CANDIDATE_TRANSPORT_UDP) {
            std::shared_lock lock(self->agent_mutex);
            if (self->agent) socket = nice_agent_get_selected_socket(self->agent, self->stream_id, component_id);
        }
        self->set_direct(socket, &remote->addr);
    }

    static void on_receive(NiceAgent*, guint, guint, guint len, gchar* buf, gpointer data) {
        auto* self = static_cast<Impl*>(data);
        if (self->closed) return;
        const auto* bytes = reinterpret_cast<const std::uint8_t*>(buf);
        self->post([datagram = std::vector<std::uint8_t>(bytes, bytes + len)](Impl& s) {
            if (s.callbacks.on_data) s.callbacks.on_data(datagram);
        });
    }
};

Result<std::unique_ptr<IceTransport>> IceTransport::create(GlibLoop& loop, boost::asio::any_io_executor executor,
                                                           IceConfig config, Callbacks callbacks) {
    // Validate before libnice sees anything: it takes only IP literals.
    for (const auto& a : config.gather_addresses) {
        if (is_name(a)) return Error::invalid("ice: gather address '" + a + "' is not an IP address");
    }
    if (config.stun_host && is_name(*config.stun_host))
        return Error::invalid("ice: STUN server '" + *config.stun_host + "' is not an IP address (resolve it first)");
    for (const auto& t : config.turn_servers) {
        if (is_name(t.host))
            return Error::invalid("ice: TURN server '" + t.host + "' is not an IP address (resolve it first)");
    }
    if (config.connection_timeout <= std::chrono::milliseconds::zero())
        return Error::invalid("ice: connection_timeout must be positive");

    auto impl = std::make_shared<Impl>(loop, std::move(executor), std::move(config), std::move(callbacks));
    const IceConfig& cfg = impl->config;
    auto* context = static_cast<GMainContext*>(loop.native_context());

    auto options = static_cast<NiceAgentOption>(NICE_AGENT_OPTION_ICE_TRICKLE | NICE_AGENT_OPTION_REGULAR_NOMINATION |
                                                (cfg.consent_freshness ? NICE_AGENT_OPTION_CONSENT_FRESHNESS : 0));
    NiceAgent* agent = nice_agent_new_full(context, NICE_COMPATIBILITY_RFC5245, options);
    if (!agent) return Error::runtime("ice: libnice could not create an agent");

    g_object_set(agent, "controlling-mode", cfg.controlling ? TRUE : FALSE, "ice-tcp", cfg.ice_tcp ? TRUE : FALSE,
                 "ice-trickle", TRUE, "force-relay", cfg.relay_only ? TRUE : FALSE, nullptr);
    // UPnP would probe the LAN's gateway: never wanted implicitly (and tests stay on loopback).
    if (g_object_class_find_property(G_OBJECT_GET_CLASS(agent), "upnp")) g_object_set(agent, "upnp", FALSE, nullptr);
    if (cfg.stun_host)
        g_object_set(agent, "stun-server", cfg.stun_host->c_str(), "stun-server-port", guint{cfg.stun_port}, nullptr);

    for (const auto& a : cfg.gather_addresses) {
        NiceAddress address;
        nice_address_init(&address);
        nice_address_set_from_string(&address, a.c_str());
        if (!nice_agent_add_local_address(agent, &address)) {
            g_object_unref(agent);
            return Error::runtime("ice: libnice refused local address " + a);
        }
    }

    const guint stream = nice_agent_add_stream(agent, 1);
    if (stream == 0) {
        g_object_unref(agent);
        return Error::runtime("ice: libnice could not add a stream");
    }
    impl->stream_id = stream;
    for (const auto& t : cfg.turn_servers) {
        const NiceRelayType type =
            t.transport == TurnServer::Transport::tcp ? NICE_RELAY_TYPE_TURN_TCP : NICE_RELAY_TYPE_TURN_UDP;
        if (!nice_agent_set_relay_info(agent, stream, component_id, t.host.c_str(), t.port, t.username.c_str(),
                                       t.password.c_str(), type)) {
            g_object_unref(agent);
            return Error::invalid("ice: libnice refused TURN server " + t.host + ":" + std::to_string(t.port));
        }
    }

    // The Impl outlives these connections: close() disconnects them on the GLib thread.
    Impl* raw = impl.get();
    g_signal_connect(agent, "new-candidate-full", G_CALLBACK(Impl::on_new_candidate), raw);
    g_signal_connect(agent, "candidate-gathering-done", G_CALLBACK(Impl::on_gathering_done), raw);
    g_signal_connect(agent, "component-state-changed", G_CALLBACK(Impl::on_component_state), raw);
    g_signal_connect(agent, "new-selected-pair-full", G_CALLBACK(Impl::on_selected_pair), raw);
    nice_agent_attach_recv(agent, stream, component_id, context, Impl::on_receive, raw);
    impl->agent = agent;
    return std::unique_ptr<IceTransport>(new IceTransport(std::move(impl)));
}

IceTransport::IceTransport(std::shared_ptr<Impl> impl) : m_impl(std::move(impl)) {}

IceTransport::~IceTransport() {
    close();
}

IceCredentials IceTransport::local_credentials() const {
    IceCredentials out;
    std::shared_lock lock(m_impl->agent_mutex);
    if (!m_impl->agent) return out;
    gchar* ufrag = nullptr;
    gchar* pwd = nullptr;
    if (nice_agent_get_local_credentials(m_impl->agent, m_impl->stream_id, &ufrag, &pwd)) {
        out.ufrag = ufrag;
        out.pwd = pwd;
    }
    g_free(ufrag);
    g_free(pwd);
    return out;
}

Result<void> IceTransport::gather() {
    std::shared_lock lock(m_impl->agent_mutex);
    if (!m_impl->agent) return Error::runtime("ice: gather() after close()");
    auto expected = Impl::Gathering::not_started;
    if (!m_impl->gathering.compare_exchange_strong(expected, Impl::Gathering::gathering)) return {};
    if (!nice_agent_gather_candidates(m_impl->agent, m_impl->stream_id))
        return Error::unavailable("ice: libnice could not gather candidates (no usable local address?)");
    return {};
}

Result<void> IceTransport::set_remote_credentials(const IceCredentials& remote) {
    if (remote.ufrag.empty() || remote.pwd.empty()) return Error::invalid("ice: empty remote ufrag or pwd");
    bool peer_restarted = false;
    {
        std::lock_guard lock(m_impl->remote_mutex);
        peer_restarted = m_impl->remote_set && m_impl->remote_ufrag != remote.ufrag;
    }
    if (peer_restarted) {
        m_impl->debug("remote ufrag changed: the peer restarts ICE");
        if (auto r = restart(); !r) return r;
    }
    std::lock_guard lock(m_impl->remote_mutex);
    if (m_impl->remote_set && m_impl->remote_ufrag == remote.ufrag) return {};  // same description again
    {
        std::shared_lock agent_lock(m_impl->agent_mutex);
        if (!m_impl->agent) return Error::runtime("ice: set_remote_credentials() after close()");
        if (!nice_agent_set_remote_credentials(m_impl->agent, m_impl->stream_id, remote.ufrag.c_str(),
                                               remote.pwd.c_str()))
            return Error::invalid("ice: libnice refused the remote credentials");
    }
    m_impl->remote_set = true;
    m_impl->remote_ufrag = remote.ufrag;
    for (const auto& c : m_impl->pending) m_impl->apply_remote(c);
    if (!m_impl->pending.empty()) m_impl->debug(std::to_string(m_impl->pending.size()) + " early candidates applied");
    m_impl->pending.clear();
    if (m_impl->pending_end_of_candidates) {
        std::shared_lock agent_lock(m_impl->agent_mutex);
        if (m_impl->agent) nice_agent_peer_candidate_gathering_done(m_impl->agent, m_impl->stream_id);
        m_impl->pending_end_of_candidates = false;
    }
    m_impl->post([](Impl& s) { s.arm_timer(); });
    return {};
}

void IceTransport::add_remote_candidate(const sdp::Candidate& candidate) {
    if (ends_with_local(candidate.address)) {
        m_impl->debug("skipping mDNS candidate " + candidate.address +
                      ": not resolved; its checks arrive as peer-reflexive");
        return;
    }
    if (is_name(candidate.address)) {
        m_impl->debug("skipping candidate with a host name " + candidate.address + ": IP addresses only");
        return;
    }
    if (candidate.component != component_id) {
        m_impl->debug("skipping candidate for component " + std::to_string(candidate.component) + " (rtcp-mux)");
        return;
    }
    if (candidate.tcp_type && !m_impl->config.ice_tcp) {
        m_impl->debug("skipping TCP candidate: ICE-TCP is off");
        return;
    }
    std::lock_guard lock(m_impl->remote_mutex);
    if (!m_impl->remote_set) {
        m_impl->pending.push_back(candidate);
        return;
    }
    m_impl->apply_remote(candidate);
}

void IceTransport::remote_end_of_candidates() {
    std::lock_guard lock(m_impl->remote_mutex);
    if (!m_impl->remote_set) {
        m_impl->pending_end_of_candidates = true;
        return;
    }
    std::shared_lock agent_lock(m_impl->agent_mutex);
    if (m_impl->agent) nice_agent_peer_candidate_gathering_done(m_impl->agent, m_impl->stream_id);
}

bool IceTransport::send(std::span<const std::uint8_t> datagram) {
    return m_impl->send(datagram);
}

bool IceTransport::send_when_connected(std::span<const std::uint8_t> datagram) {
    if (m_impl->closed) return false;
    // libnice may have selected a pair before its state reached the strand: try first.
    if (m_impl->send(datagram)) return true;
    if (m_impl->ever_connected) return false;
    m_impl->held.emplace_back(datagram.begin(), datagram.end());
    return true;
}

std::size_t IceTransport::send_batch(std::span<const std::span<const std::uint8_t>> datagrams) {
    return m_impl->send_batch(datagrams);
}

Result<void> IceTransport::restart() {
    {
        std::shared_lock lock(m_impl->agent_mutex);
        if (!m_impl->agent) return Error::runtime("ice: restart() after close()");
        if (!nice_agent_restart_stream(m_impl->agent, m_impl->stream_id))
            return Error::runtime("ice: libnice could not restart the stream");
    }
    {
        std::lock_guard lock(m_impl->remote_mutex);
        m_impl->remote_set = false;
        m_impl->remote_ufrag.clear();
        m_impl->pending.clear();
        m_impl->pending_end_of_candidates = false;
    }
    // libnice keeps the local candidates (and the selected pair, so media flows on) and
    // only changes the credentials: the peer hears of the candidates again, for the new
    // ufrag. While gathering is still running its own gathering-done follows.
    const auto gathering = m_impl->gathering.load();
    auto candidates =
        gathering == Impl::Gathering::not_started ? std::vector<sdp::Candidate>{} : m_impl->local_candidates();
    m_impl->post([candidates = std::move(candidates), done = gathering == Impl::Gathering::done](Impl& s) {
        s.timed_out = false;
        s.cancel_timer();
        for (const auto& c : candidates) {
            if (s.closed) return;
            if (s.callbacks.on_local_candidate) s.callbacks.on_local_candidate(c);
        }
        if (done && !s.closed && s.callbacks.on_gathering_done) s.callbacks.on_gathering_done();
    });
    return {};
}

void IceTransport::close() {
    Impl& impl = *m_impl;
    NiceAgent* agent = nullptr;
    {
        std::unique_lock lock(impl.agent_mutex);
        if (impl.closed.exchange(true)) return;
        agent = std::exchange(impl.agent, nullptr);
    }
    impl.set_direct(nullptr, nullptr);
    impl.state = IceState::closed;
    // Release the agent where its sources live, and wait: once this returns no libnice
    // handler can still be running with our Impl, so nothing is posted any more.
    const guint stream = impl.stream_id;
    impl.loop.invoke_and_wait([&impl, agent, stream] {
        g_signal_handlers_disconnect_by_data(agent, &impl);
        nice_agent_attach_recv(agent, stream, component_id, nullptr, nullptr, nullptr);
        if (impl.loop.on_loop_thread()) {
            // Frees TURN allocations (RFC 8656 §7) before the agent goes.
            nice_agent_close_async(
                agent, [](GObject*, GAsyncResult*, gpointer a) { g_object_unref(a); }, agent);
        } else {
            g_object_unref(agent);  // the loop has stopped: no context left to finish on
        }
    });
    // The timer belongs to the strand.
    boost::asio::post(impl.executor, [weak = impl.weak_from_this()] {
        if (auto self = weak.lock()) self->cancel_timer();
    });
}

IceState IceTransport::state() const noexcept {
    return m_impl->state;
}

std::string IceTransport::selected_pair() const {
    std::lock_guard lock(m_impl->pair_mutex);
    return m_impl->pair;
}

}  // namespace switchboard::rtc
