#include "rtsp/client/rtsp_session.hpp"

#include <algorithm>

#include "rtsp/protocol/header_text.hpp"

namespace switchboard::rtsp {

namespace asio = boost::asio;

namespace {
/// TEARDOWN is a courtesy (the camera frees the session at once instead of at its
/// timeout); a camera that does not answer it quickly is left.
constexpr std::chrono::milliseconds teardown_grace{1000};

std::string status_text(const RtspResponse& r) {
    return std::to_string(r.status) + (r.reason.empty() ? "" : " " + r.reason);
}
}  // namespace

std::shared_ptr<RtspSession> RtspSession::create(asio::any_io_executor executor, SessionOptions options,
                                                 SessionEvents events) {
    return std::shared_ptr<RtspSession>(new RtspSession(std::move(executor), std::move(options), std::move(events)));
}

RtspSession::RtspSession(asio::any_io_executor executor, SessionOptions options, SessionEvents events)
    : m_executor(executor), m_options(std::move(options)), m_events(std::move(events)), m_keepalive(executor) {}

RtspSession::~RtspSession() {
    if (m_connection) m_connection->close();
    for (auto& t : m_transports)
        if (t.udp) t.udp->close();
}

RtspRequest RtspSession::make_request(std::string method, std::string uri) const {
    RtspRequest r;
    r.method = std::move(method);
    r.uri = std::move(uri);
    if (!m_session_id.empty()) r.headers.emplace_back("Session", m_session_id);
    return r;
}

void RtspSession::start() {
    ConnectionHandlers handlers;
    handlers.on_interleaved = [self = weak_from_this()](std::uint8_t channel, std::span<const std::uint8_t> packet) {
        if (auto me = self.lock()) me->on_interleaved(channel, packet);
    };
    handlers.on_closed = [self = weak_from_this()](const Error& e) {
        if (auto me = self.lock()) me->end(e);
    };
    m_connection = RtspConnection::create(m_executor, m_options.connection, std::move(handlers));
    m_connection->connect([self = shared_from_this()](Result<void> r) {
        if (self->m_ended) return;
        if (!r) return self->end(r.error());
        self->options();
    });
}

bool RtspSession::expect_ok(const Result<RtspResponse>& r, std::string_view what) {
    if (m_ended) return false;
    if (!r) {
        end(r.error());
        return false;
    }
    if (r.value().status / 100 != 2) {
        // 4xx is about what we asked (a wrong path, sign-in, transport): asking again will
        // not mend it. 5xx is the camera's state (busy, too many clients): it may.
        const auto kind = r.value().status / 100 == 4 ? ErrorKind::invalid : ErrorKind::unavailable;
        end(Error{kind, std::string(what) + " " + m_options.connection.url.to_string() + ": the camera answered " +
                            status_text(r.value())});
        return false;
    }
    return true;
}

void RtspSession::options() {
    m_connection->request(make_request("OPTIONS", m_options.connection.url.to_string()),
                          [self = shared_from_this()](Result<RtspResponse> r) {
                              // Some cameras answer OPTIONS with an error yet stream fine;
                              // only a broken connection or a refused sign-in stops here.
                              if (self->m_ended) return;
                              if (!r) return self->end(r.error());
                              if (auto pub = r.value().header("Public")) {
                                  std::string methods = *pub;
                                  std::transform(methods.begin(), methods.end(), methods.begin(), ::toupper);
                                  self->m_get_parameter = methods.find("GET_PARAMETER") != std::string::npos;
                              }
                              self->describe();
                          });
}

void RtspSession::describe() {
    auto request = make_request("DESCRIBE", m_options.connection.url.to_string());
    request.headers.emplace_back("Accept", "application/sdp");
    m_connection->request(std::move(request), [self = shared_from_this()](Result<RtspResponse> r) {
        if (!self->expect_ok(r, "DESCRIBE")) return;
        const auto& response = r.value();
        const std::string base =
            response.header("Content-Base")
                .value_or(response.header("Content-Location").value_or(self->m_options.connection.url.to_string()));
        auto description = describe_camera(response.body, base);
        if (!description)
            return self->end(
                Error::invalid(self->m_options.connection.url.to_string() + ": " + description.error().message));
        self->m_description = std::move(description).value();
        self->m_aggregate_url = base;
        self->m_transports.assign(self->m_description->tracks.size(), {});
        if (self->m_events.on_described) self->m_events.on_described(*self->m_description);
        if (!self->m_ended) self->setup(0);
    });
}

void RtspSession::setup(std::size_t track) {
    if (track == m_transports.size()) return play();
    TransportSpec ask;
    if (m_options.transport == MediaTransport::tcp) {
        ask.lower = TransportSpec::Lower::tcp;
        ask.rtp_channel = std::uint8_t(2 * track);
        ask.rtcp_channel = std::uint8_t(2 * track + 1);
    } else {
        auto local = m_connection->stream().local_address();
        if (!local) return end(Error::unavailable("RTSP connection lost before SETUP"));
        auto ports = UdpPorts::open(m_executor, *local);
        if (!ports) return end(ports.error());
        m_transports[track].udp = ports.value();
        ask.lower = TransportSpec::Lower::udp;
        ask.client_rtp_port = ports.value()->rtp_port();
        ask.client_rtcp_port = ports.value()->rtcp_port();
    }
    auto request = make_request("SETUP", m_description->tracks[track].control_url);
    request.headers.emplace_back("Transport", ask.request_header());
    m_connection->request(std::move(request), [self = shared_from_this(), track](Result<RtspResponse> r) {
        if (!self->expect_ok(r, "SETUP")) return;
        const auto& response = r.value();
        auto granted = parse_transport(response.header("Transport").value_or(""));
        if (!granted) return self->end(Error::invalid("SETUP answer: " + granted.error().message));
        const bool want_tcp = self->m_options.transport == MediaTransport::tcp;
        if ((granted.value().lower == TransportSpec::Lower::tcp) != want_tcp)
            return self->end(Error::unavailable(std::string("the camera refused RTP over ") +
                                                (want_tcp ? "TCP" : "UDP") + " (set \"transport\" to \"" +
                                                (want_tcp ? "udp" : "tcp") + "\")"));
        auto session = parse_session(response.header("Session").value_or(""));
        if (!session) return self->end(Error::invalid("SETUP answer: " + session.error().message));
        if (self->m_session_id.empty()) {
            self->m_session_id = session.value().id;
            self->m_timeout = session.value().timeout;
        }
        auto& transport = self->m_transports[track];
        transport.granted = granted.value();
        if (transport.udp) {
            auto camera = self->m_connection->stream().remote_address();
            if (!camera) return self->end(Error::unavailable("RTSP connection lost during SETUP"));
            transport.udp->start(*camera, transport.granted.server_rtcp_port,
                                 [weak = self->weak_from_this(), track](bool rtcp, std::span<const std::uint8_t> p) {
                                     if (auto me = weak.lock(); me && !me->m_ended && me->m_events.on_packet)
                                         me->m_events.on_packet(track, rtcp, p);
                                 });
        }
        self->setup(track + 1);
    });
}

void RtspSession::play() {
    auto request = make_request("PLAY", m_aggregate_url);
    request.headers.emplace_back("Range", "npt=0.000-");
    m_connection->request(std::move(request), [self = shared_from_this()](Result<RtspResponse> r) {
        if (!self->expect_ok(r, "PLAY")) return;
        self->arm_keepalive();
        if (self->m_events.on_playing) self->m_events.on_playing();
    });
}

void RtspSession::arm_keepalive() {
    // Half the timeout leaves room for one slow answer; never more often than 1/s.
    const auto interval = std::max<std::chrono::milliseconds>(std::chrono::milliseconds(1000), m_timeout / 2);
    m_keepalive.expires_after(interval);
    m_keepalive.async_wait([self = weak_from_this()](const boost::system::error_code& ec) {
        auto me = self.lock();
        if (ec || !me || me->m_ended) return;
        ++me->m_keepalives;
        auto request = me->make_request(me->m_get_parameter ? "GET_PARAMETER" : "OPTIONS", me->m_aggregate_url);
        me->m_connection->request(std::move(request), [weak = me->weak_from_this()](Result<RtspResponse> r) {
            // Any answer keeps the session; no answer ends the connection through its
            // own deadline, which on_closed reports.
            (void)r;
            (void)weak;
        });
        me->arm_keepalive();
    });
}

void RtspSession::on_interleaved(std::uint8_t channel, std::span<const std::uint8_t> packet) {
    if (m_ended || !m_events.on_packet) return;
    for (std::size_t i = 0; i < m_transports.size(); ++i) {
        const auto& g = m_transports[i].granted;
        if (g.lower != TransportSpec::Lower::tcp) continue;
        if (channel == g.rtp_channel) return m_events.on_packet(i, false, packet);
        if (channel == g.rtcp_channel) return m_events.on_packet(i, true, packet);
    }
}

void RtspSession::send_rtcp(std::size_t track, std::span<const std::uint8_t> packet) {
    if (m_ended || track >= m_transports.size()) return;
    auto& t = m_transports[track];
    if (t.udp)
        t.udp->send_rtcp(packet);
    else if (t.granted.lower == TransportSpec::Lower::tcp)
        m_connection->send_interleaved(t.granted.rtcp_channel, packet);
}

void RtspSession::end(const Error& error) {
    if (m_ended) return;
    m_ended = true;
    m_keepalive.cancel();
    for (auto& t : m_transports)
        if (t.udp) t.udp->close();
    if (m_connection) m_connection->close();
    auto on_ended = std::move(m_events.on_ended);
    m_events = {};
    if (on_ended) on_ended(error);
}

void RtspSession::stop() noexcept {
    if (m_ended) return;
    m_ended = true;
    m_events = {};
    m_keepalive.cancel();
    for (auto& t : m_transports)
        if (t.udp) t.udp->close();
    if (!m_connection) return;
    if (m_session_id.empty()) return m_connection->close();
    // The connection lives on (its handlers hold it) until TEARDOWN is answered or the
    // grace timer closes it.
    auto connection = std::move(m_connection);
    auto timer = std::make_shared<asio::steady_timer>(m_executor, teardown_grace);
    timer->async_wait([connection, timer](const boost::system::error_code&) { connection->close(); });
    connection->request(make_request("TEARDOWN", m_aggregate_url), [connection, timer](Result<RtspResponse>) {
        timer->cancel();
        connection->close();
    });
}

}  // namespace switchboard::rtsp
