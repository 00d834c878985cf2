#include "rtsp/client/rtsp_connection.hpp"

#include <boost/asio/buffer.hpp>

namespace switchboard::rtsp {

namespace asio = boost::asio;

namespace {
/// A camera answers a request once; a 401 after credentials were sent twice (a stale
/// nonce allows one extra) means they are wrong.
constexpr int max_challenges = 2;
constexpr std::size_t read_chunk = 64 * 1024;
}  // namespace

std::shared_ptr<RtspConnection> RtspConnection::create(asio::any_io_executor executor, ConnectionOptions options,
                                                       ConnectionHandlers handlers) {
    return std::shared_ptr<RtspConnection>(
        new RtspConnection(std::move(executor), std::move(options), std::move(handlers)));
}

RtspConnection::RtspConnection(asio::any_io_executor executor, ConnectionOptions options, ConnectionHandlers handlers)
    : m_executor(executor),
      m_options(std::move(options)),
      m_handlers(std::move(handlers)),
      m_stream(executor, m_options.url.tls ? std::optional<TlsOptions>(m_options.tls) : std::nullopt),
      m_read_buffer(read_chunk),
      m_pending(executor) {
    if (!m_options.url.user.empty()) m_auth.emplace(m_options.url.user, m_options.url.password);
}

RtspConnection::~RtspConnection() {
    close();
}

void RtspConnection::connect(std::function<void(Result<void>)> done) {
    auto timer = std::make_shared<asio::steady_timer>(m_executor, m_options.timeout);
    auto finished = std::make_shared<bool>(false);
    timer->async_wait([self = weak_from_this(), finished, done](const boost::system::error_code& ec) {
        auto me = self.lock();
        if (ec || !me || *finished) return;
        *finished = true;
        me->m_stream.close();
        done(Error::unavailable("no connection to " + me->m_options.url.to_string() + " within " +
                                std::to_string(me->m_options.timeout.count()) + " ms"));
    });
    m_stream.connect(m_options.url.host, m_options.url.port,
                     [self = shared_from_this(), timer, finished, done](Result<void> r) {
                         if (*finished || self->m_closed) return;
                         *finished = true;
                         timer->cancel();
                         if (r) self->read();
                         done(std::move(r));
                     });
}

void RtspConnection::request(RtspRequest request, ResponseHandler done) {
    if (m_closed) return done(Error::unavailable("RTSP connection to " + m_options.url.to_string() + " is closed"));
    Pending p;
    p.request = std::move(request);
    p.done = std::move(done);
    send(std::move(p));
}

void RtspConnection::send(Pending pending) {
    const std::uint32_t cseq = m_next_cseq++;
    RtspRequest wire = pending.request;
    wire.headers.insert(wire.headers.begin(), {"CSeq", std::to_string(cseq)});
    wire.headers.emplace_back("User-Agent", m_options.user_agent);
    if (m_auth)
        if (auto a = m_auth->authorization(wire.method, wire.uri)) wire.headers.emplace_back("Authorization", *a);
    m_pending.add(cseq, std::move(pending), m_options.timeout,
                  [self = weak_from_this(), method = wire.method](std::uint32_t, Pending late) {
                      auto me = self.lock();
                      if (!me || me->m_closed) return;
                      me->fail(
                          Error::unavailable(method + " to " + me->m_options.url.to_string() + ": no answer within " +
                                             std::to_string(me->m_options.timeout.count()) + " ms"),
                          std::move(late));
                  });
    write(wire.serialize());
}

void RtspConnection::send_interleaved(std::uint8_t channel, std::span<const std::uint8_t> packet) {
    if (m_closed || packet.size() > 0xffff) return;
    std::string frame;
    frame.reserve(4 + packet.size());
    frame += '$';
    frame += char(channel);
    frame += char(packet.size() >> 8);
    frame += char(packet.size() & 0xff);
    frame.append(reinterpret_cast<const char*>(packet.data()), packet.size());
    write(std::move(frame));
}

void RtspConnection::write(std::string bytes) {
    m_writes.push_back(std::move(bytes));
    if (!m_writing) write_next();
}

void RtspConnection::write_next() {
    if (m_writes.empty() || m_closed) {
        m_writing = false;
        return;
    }
    m_writing = true;
    m_stream.async_write(
        asio::buffer(m_writes.front()), [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
            if (self->m_closed) return;
            if (ec)
                return self->fail(
                    Error::unavailable("write to " + self->m_options.url.to_string() + " failed: " + ec.message()));
            self->m_writes.pop_front();
            self->write_next();
        });
}

void RtspConnection::read() {
    m_stream.async_read_some(
        asio::buffer(m_read_buffer), [self = shared_from_this()](const boost::system::error_code& ec, std::size_t n) {
            if (self->m_closed) return;
            if (ec) {
                const bool eof = ec == asio::error::eof || ec == asio::ssl::error::stream_truncated;
                return self->fail(
                    Error::unavailable("camera " + self->m_options.url.to_string() +
                                       (eof ? " closed the connection" : " connection failed: " + ec.message())));
            }
            self->on_bytes({self->m_read_buffer.data(), n});
            if (!self->m_closed) self->read();
        });
}

void RtspConnection::on_bytes(std::span<const std::uint8_t> bytes) {
    std::vector<RtspItem> items;
    auto fed = m_parser.feed(bytes, items);
    for (auto& item : items) {
        if (m_closed) return;
        if (auto* packet = std::get_if<InterleavedPacket>(&item)) {
            if (m_handlers.on_interleaved) m_handlers.on_interleaved(packet->channel, packet->data);
        } else if (auto* response = std::get_if<RtspResponse>(&item)) {
            on_response(std::move(*response));
        } else {
            on_server_request(std::get<RtspRequest>(item));
        }
    }
    if (!fed && !m_closed) fail(Error::invalid("camera " + m_options.url.to_string() + ": " + fed.error().message));
}

void RtspConnection::on_response(RtspResponse response) {
    const auto cseq = response.cseq();
    auto taken = cseq ? m_pending.take(*cseq) : std::nullopt;
    if (!taken) return;  // late answer to a request already failed, or no CSeq: nothing waits
    Pending pending = std::move(*taken);
    if (response.status == 401 && pending.challenges < max_challenges) {
        if (!m_auth)
            return pending.done(Error::invalid("camera " + m_options.url.to_string() +
                                               " asks for a user name and password, and none is configured"));
        if (auto r = m_auth->on_unauthorized(response); !r)
            return pending.done(
                Error{r.error().kind, "camera " + m_options.url.to_string() + ": " + r.error().message});
        ++pending.challenges;
        return send(std::move(pending));
    }
    pending.done(std::move(response));
}

void RtspConnection::on_server_request(const RtspRequest& request) {
    // A camera may ask us (ANNOUNCE, GET_PARAMETER as its own keep-alive); we offer
    // nothing, and say so instead of leaving it waiting.
    std::string answer = "RTSP/1.0 501 Not Implemented\r\n";
    if (auto cseq = request.header("CSeq")) answer += "CSeq: " + *cseq + "\r\n";
    write(answer + "\r\n");
}

void RtspConnection::fail(const Error& error, std::optional<Pending> expired) {
    if (m_closed) return;
    m_closed = true;
    m_stream.close();
    auto pending = m_pending.take_all();
    if (expired) expired->done(error);
    for (auto& p : pending) p.done(error);
    if (m_handlers.on_closed) m_handlers.on_closed(error);
}

void RtspConnection::close() noexcept {
    if (m_closed) return;
    m_closed = true;
    m_pending.take_all();
    m_stream.close();
}

}  // namespace switchboard::rtsp
