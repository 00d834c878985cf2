#include "chromecast/cast/cast_channel.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/asio/ssl/error.hpp>

namespace switchboard::chromecast {

namespace asio = boost::asio;

namespace {
/// A TLS record is at most 16 KiB; a frame (up to 64 KiB) may take several reads.
constexpr std::size_t read_chunk = 16 * 1024;

std::string ms(std::chrono::milliseconds d) {
    return std::to_string(d.count()) + " ms";
}
}  // namespace

std::shared_ptr<CastChannel> CastChannel::create(asio::any_io_executor executor, Logger& log,
                                                 CastChannelOptions options, CastChannelHandlers handlers) {
    return std::shared_ptr<CastChannel>(
        new CastChannel(std::move(executor), log, std::move(options), std::move(handlers)));
}

CastChannel::CastChannel(asio::any_io_executor executor, Logger& log, CastChannelOptions options,
                         CastChannelHandlers handlers)
    : m_executor(executor),
      m_log(log),
      m_options(std::move(options)),
      m_handlers(std::move(handlers)),
      m_stream(executor),
      m_read_buffer(read_chunk),
      m_pending(executor),
      m_heartbeat(executor),
      m_liveness(executor) {}

CastChannel::~CastChannel() {
    close();
}

std::string CastChannel::where() const {
    return "chromecast " + m_options.host + ":" + std::to_string(m_options.port);
}

void CastChannel::connect(std::function<void(Result<void>)> done) {
    auto timer = std::make_shared<asio::steady_timer>(m_executor, m_options.connect_timeout);
    auto finished = std::make_shared<bool>(false);
    timer->async_wait([self = weak_from_this(), finished, done](const boost::system::error_code& ec) {
        auto me = self.lock();
        if (ec || !me || *finished || me->m_closed) return;
        *finished = true;
        me->m_stream.close();
        done(Error::unavailable(me->where() + ": no TLS connection within " + ms(me->m_options.connect_timeout)));
    });
    m_stream.connect(m_options.host, m_options.port,
                     [self = shared_from_this(), timer, finished, done](Result<std::string> r) {
                         if (*finished || self->m_closed) return;
                         *finished = true;
                         timer->cancel();
                         if (!r) return done(Error{r.error().kind, "chromecast: " + r.error().message});
                         self->m_fingerprint = r.value();
                         SWITCHBOARD_LOG(self->m_log, info,
                                         self->where() << ": TLS up, certificate SHA-256 " << self->m_fingerprint);
                         self->m_connected = true;
                         self->m_last_received = std::chrono::steady_clock::now();
                         self->read();
                         (void)self->send(std::string(platform_receiver_id), ns::connection, payload::connect());
                         self->heartbeat();
                         self->watch_liveness();
                         done(Result<void>{});
                     });
}

void CastChannel::get_status(std::function<void(Result<ReceiverStatus>)> done) {
    request(std::string(platform_receiver_id), ns::receiver, "GET_STATUS", payload::get_status,
            [done](Result<ReceivedPayload> r) {
                if (!r) return done(r.error());
                if (auto* s = std::get_if<ReceiverStatus>(&r.value())) return done(std::move(*s));
                done(Error::invalid("GET_STATUS was not answered with RECEIVER_STATUS"));
            });
}

void CastChannel::launch(const std::string& app_id, std::function<void(Result<Application>)> done) {
    request(
        std::string(platform_receiver_id), ns::receiver, "LAUNCH " + app_id,
        [app_id](std::int64_t id) { return payload::launch(id, app_id); },
        [done, app_id](Result<ReceivedPayload> r) {
            if (!r) return done(r.error());
            const auto* s = std::get_if<ReceiverStatus>(&r.value());
            if (!s) return done(Error::invalid("LAUNCH " + app_id + " was not answered with RECEIVER_STATUS"));
            if (const auto* app = s->find_app(app_id)) return done(*app);
            done(Error::unavailable("LAUNCH " + app_id + ": the receiver's answer lists no such app"));
        });
}

void CastChannel::stop(const std::string& session_id, std::function<void(Result<ReceiverStatus>)> done) {
    request(
        std::string(platform_receiver_id), ns::receiver, "STOP " + session_id,
        [session_id](std::int64_t id) { return payload::stop(id, session_id); },
        [done](Result<ReceivedPayload> r) {
            if (!r) return done(r.error());
            if (auto* s = std::get_if<ReceiverStatus>(&r.value())) return done(std::move(*s));
            done(Error::invalid("STOP was not answered with RECEIVER_STATUS"));
        });
}

void CastChannel::connect_app(const std::string& transport_id, const std::vector<std::string>& namespaces) {
    auto [it, added] = m_apps.try_emplace(transport_id);
    it->second.insert(namespaces.begin(), namespaces.end());
    if (added) (void)send(transport_id, ns::connection, payload::connect());
}

Result<void> CastChannel::send_app(const std::string& transport_id, const std::string& name_space,
                                   const std::string& json) {
    if (!m_apps.count(transport_id))
        return Error::invalid(where() + ": no virtual connection to app " + transport_id + " (connect_app first)");
    return send(transport_id, name_space, json);
}

namespace {
void media_answer(Result<ReceivedPayload> r, const std::function<void(Result<MediaStatus>)>& done,
                  const std::string& what) {
    if (!r) return done(r.error());
    if (auto* s = std::get_if<MediaStatus>(&r.value())) return done(std::move(*s));
    done(Error::invalid(what + " was not answered with MEDIA_STATUS"));
}
}  // namespace

void CastChannel::media_load(const std::string& transport_id, const LoadRequest& load,
                             std::function<void(Result<MediaStatus>)> done) {
    if (!m_apps.count(transport_id))
        return done(Error::invalid(where() + ": LOAD to app " + transport_id + " without connect_app"));
    request(
        transport_id, ns::media, "LOAD " + load.content_id,
        [load](std::int64_t id) { return payload::media_load(id, load); },
        [done](Result<ReceivedPayload> r) { media_answer(std::move(r), done, "LOAD"); });
}

void CastChannel::media_get_status(const std::string& transport_id, std::function<void(Result<MediaStatus>)> done) {
    if (!m_apps.count(transport_id))
        return done(Error::invalid(where() + ": media GET_STATUS to app " + transport_id + " without connect_app"));
    request(
        transport_id, ns::media, "media GET_STATUS", [](std::int64_t id) { return payload::media_get_status(id); },
        [done](Result<ReceivedPayload> r) { media_answer(std::move(r), done, "media GET_STATUS"); });
}

void CastChannel::request(const std::string& destination, std::string_view name_space, std::string what,
                          const std::function<std::string(std::int64_t)>& build, Answer done) {
    if (m_closed || !m_connected) return done(Error::unavailable(where() + ": " + what + ": not connected"));
    const std::int64_t id = m_ids.next();
    if (auto sent = send(destination, name_space, build(id)); !sent) return done(sent.error());
    m_pending.add(id, Pending{std::move(what), std::move(done)}, m_options.request_timeout,
                  [self = weak_from_this()](std::int64_t id, Pending late) {
                      auto me = self.lock();
                      if (!me || me->m_closed) return;
                      late.done(Error::unavailable(me->where() + ": " + late.what + " (request " + std::to_string(id) +
                                                   "): no answer within " + ms(me->m_options.request_timeout)));
                  });
}

Result<void> CastChannel::send(const std::string& destination, std::string_view name_space, std::string json) {
    if (m_closed) return Error::unavailable(where() + ": closed");
    CastMessage m{m_options.sender_id, destination, std::string(name_space), std::move(json)};
    auto frame = encode_frame(m);
    if (!frame) return Error{frame.error().kind, where() + ": " + frame.error().message};
    m_writes.push_back(std::move(frame).value());
    if (!m_writing) write_next();
    return {};
}

void CastChannel::write_next() {
    if (m_writes.empty() || m_closed) {
        m_writing = false;
        return;
    }
    m_writing = true;
    m_stream.async_write(
        asio::buffer(m_writes.front()), [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
            if (self->m_closed) return;
            if (ec) return self->fail(Error::unavailable(self->where() + ": write failed: " + ec.message()));
            self->m_writes.pop_front();
            self->write_next();
        });
}

void CastChannel::read() {
    m_stream.async_read_some(
        asio::buffer(m_read_buffer), [self = shared_from_this()](const boost::system::error_code& ec, std::size_t n) {
            if (self->m_closed) return;
            if (ec) {
                const bool eof = ec == asio::error::eof || ec == asio::ssl::error::stream_truncated;
                if (!eof) return self->fail(Error::unavailable(self->where() + ": connection failed: " + ec.message()));
                // A frame cut off by the end of the stream is bad input, not a plain close.
                if (auto rest = self->m_reader.finish(); !rest)
                    return self->fail(Error::invalid(self->where() + ": " + rest.error().message));
                return self->fail(Error::unavailable(self->where() + ": the receiver closed the connection"));
            }
            self->on_bytes({self->m_read_buffer.data(), n});
            if (!self->m_closed) self->read();
        });
}

void CastChannel::on_bytes(std::span<const std::uint8_t> bytes) {
    std::vector<CastMessage> messages;
    auto fed = m_reader.feed(bytes, messages);
    for (const auto& m : messages) {
        if (m_closed) return;
        on_message(m);
    }
    if (!fed && !m_closed) fail(Error::invalid(where() + ": " + fed.error().message));
}

void CastChannel::on_message(const CastMessage& message) {
    ++m_stats.messages_received;
    m_last_received = std::chrono::steady_clock::now();
    // An app's own namespace: handed on as it came, for whoever opened it.
    if (auto app = m_apps.find(message.source_id);
        app != m_apps.end() && !is_platform_namespace(message.name_space) && app->second.count(message.name_space)) {
        if (m_handlers.on_app_message) m_handlers.on_app_message(message);
        return;
    }
    auto parsed = parse_payload(message);
    if (!parsed) return fail(Error::invalid(where() + ": from " + message.source_id + ": " + parsed.error().message));
    on_payload(message, std::move(parsed).value());
}

void CastChannel::on_payload(const CastMessage& message, ReceivedPayload payload) {
    if (const auto* c = std::get_if<ConnectionMessage>(&payload)) {
        if (c->type != ConnectionMessage::Type::close) return;
        if (message.source_id == platform_receiver_id)
            return fail(Error::unavailable(where() + ": the receiver closed our virtual connection"));
        // An app that ended closes its own connection; the next RECEIVER_STATUS says so too.
        if (m_apps.erase(message.source_id))
            SWITCHBOARD_LOG(m_log, info, where() << ": app " << message.source_id << " closed its connection");
        return;
    }
    if (const auto* h = std::get_if<HeartbeatMessage>(&payload)) {
        if (h->type == HeartbeatMessage::Type::pong) {
            ++m_stats.pongs_received;
        } else {
            ++m_stats.pings_answered;
            (void)send(message.source_id, ns::heartbeat, payload::pong());
        }
        return;
    }
    if (auto* s = std::get_if<ReceiverStatus>(&payload)) {
        const auto id = s->request_id;
        if (m_handlers.on_receiver_status) m_handlers.on_receiver_status(*s);
        if (!m_closed) answer(id, std::move(payload));
        return;
    }
    if (auto* s = std::get_if<MediaStatus>(&payload)) {
        const auto id = s->request_id;
        if (m_handlers.on_media_status) m_handlers.on_media_status(message.source_id, *s);
        if (!m_closed) answer(id, std::move(payload));
        return;
    }
    if (const auto* f = std::get_if<RequestFailed>(&payload)) {
        const std::string text = f->name_space + " " + f->type + (f->reason.empty() ? "" : " " + f->reason);
        if (!answer(f->request_id, Error::unavailable(where() + ": " + text)))
            SWITCHBOARD_LOG(m_log, warn, where() << ": " << text << " for no pending request");
        return;
    }
    const auto& u = std::get<UnhandledMessage>(payload);
    SWITCHBOARD_LOG(m_log, debug, where() << ": ignored " << u.name_space << " " << u.type);
}

bool CastChannel::answer(std::optional<std::int64_t> request_id, Result<ReceivedPayload> result) {
    if (!request_id || *request_id == 0) return false;
    auto p = m_pending.take(*request_id);
    if (!p) return false;
    p->done(std::move(result));
    return true;
}

void CastChannel::heartbeat() {
    if (m_closed) return;
    (void)send(std::string(platform_receiver_id), ns::heartbeat, payload::ping());
    ++m_stats.pings_sent;
    m_heartbeat.expires_after(m_options.heartbeat_interval);
    m_heartbeat.async_wait([self = weak_from_this()](const boost::system::error_code& ec) {
        auto me = self.lock();
        if (!ec && me) me->heartbeat();
    });
}

void CastChannel::watch_liveness() {
    if (m_closed) return;
    const auto due = m_last_received + m_options.dead_after;
    if (std::chrono::steady_clock::now() >= due)
        return fail(
            Error::unavailable(where() + ": the receiver is dead: nothing received for " + ms(m_options.dead_after)));
    // Re-armed from the last message rather than reset on each one: one wait per
    // dead_after at most, whatever the message rate.
    m_liveness.expires_at(due);
    m_liveness.async_wait([self = weak_from_this()](const boost::system::error_code& ec) {
        auto me = self.lock();
        if (!ec && me) me->watch_liveness();
    });
}

void CastChannel::fail(const Error& error) {
    if (m_closed) return;
    SWITCHBOARD_LOG(m_log, warn, error.message << "; connection closed");
    m_closed = true;
    m_stream.close();
    m_heartbeat.cancel();
    m_liveness.cancel();
    for (auto& p : m_pending.take_all()) p.done(error);
    if (m_handlers.on_closed) m_handlers.on_closed(error);
}

void CastChannel::close() noexcept {
    if (m_closed) return;
    m_closed = true;
    m_pending.take_all();
    m_heartbeat.cancel();
    m_liveness.cancel();
    m_stream.close();
}

}  // namespace switchboard::chromecast
