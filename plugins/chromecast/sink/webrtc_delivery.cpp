// The TV page and its WHEP; see webrtc_delivery.hpp.
#include "webrtc_delivery.hpp"

#include "chromecast/sink/tv_page.hpp"
#include "http/http_server.hpp"
#include "http/http_util.hpp"
#include "http/page_response.hpp"
#include "whep/session_service.hpp"
#include "whep/whep_text.hpp"

namespace switchboard::chromecast {

/// The token of the call being shown; shared with the authorizer, which may run after
/// the delivery is gone.
struct WebrtcDelivery::Admission {
    std::string token;  ///< empty: no call, nothing admitted
    std::string call_id;
};

WebrtcDelivery::WebrtcDelivery(boost::asio::any_io_executor io, CallHost& calls, CallMedia media,
                               std::shared_ptr<Logger> log)
    : m_io(io), m_log(std::move(log)), m_admission(std::make_shared<Admission>()) {
    whep::ServiceConfig config;
    config.viewer_media = media;
    config.max_sessions = 4;  // the TV, and a reload or two while the old one leaves
    config.authorize = [admission = m_admission](std::optional<std::string_view> bearer) {
        return bearer && !admission->token.empty() && http::constant_time_equal(*bearer, admission->token);
    };
    m_service = std::make_shared<whep::SessionService>(io, calls, std::move(config), m_log);
}

WebrtcDelivery::~WebrtcDelivery() {
    close();
}

Result<boost::asio::ip::tcp::endpoint> WebrtcDelivery::listen(const boost::asio::ip::tcp::endpoint& endpoint) {
    std::weak_ptr<whep::SessionService> service = m_service;
    m_server = std::make_shared<http::HttpServer>(
        m_io, http::HttpLimits{},
        [service](http::Request&& request, http::Reply reply) {
            const std::string_view target(request.target().data(), request.target().size());
            const auto path = target.substr(0, target.find('?'));
            // The page itself is no secret; what it plays needs the token.
            if (path == "/tv") return reply(http::page_response(request, tv_page()));
            auto s = service.lock();
            if (s && (path == "/whep" || path.substr(0, 6) == "/whep/"))
                return s->handle(std::move(request), std::move(reply));
            http::Response r{http::status::not_found, request.version()};
            r.set(http::field::content_type, "text/plain; charset=utf-8");
            r.body() = "no such resource\n";
            reply(std::move(r));
        },
        m_log);
    return m_server->listen(endpoint);
}

std::string WebrtcDelivery::open_call(const std::string& call_id) {
    if (!m_admission->token.empty()) close_call();
    m_admission->token = whep::random_hex(16);
    m_admission->call_id = call_id;
    return "/tv?token=" + m_admission->token;
}

void WebrtcDelivery::close_call() {
    if (m_admission->token.empty()) return;
    m_admission->token.clear();
    m_service->end_all("call " + m_admission->call_id + " ended");
    m_admission->call_id.clear();
}

void WebrtcDelivery::close() noexcept {
    m_admission->token.clear();
    if (m_server) m_server->close();
    if (m_service) m_service->close();
    m_server.reset();
}

}  // namespace switchboard::chromecast
