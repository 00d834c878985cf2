// WHEP/WHIP resources; see session_service.hpp.
#include "session_service.hpp"

#include <utility>
#include <vector>

#include <boost/asio/post.hpp>

#include "http/http_util.hpp"
#include "whep_text.hpp"

namespace switchboard::whep {

using http::Reply;
using http::Request;
using http::Response;

namespace {

constexpr std::string_view sdp_type = "application/sdp";
constexpr std::string_view sdpfrag_type = "application/trickle-ice-sdpfrag";

/// Beast 1.74 speaks boost::string_view.
boost::beast::string_view bsv(std::string_view s) noexcept {
    return {s.data(), s.size()};
}
std::string_view ssv(boost::beast::string_view s) noexcept {
    return {s.data(), s.size()};
}

const char* prefix(Direction d) noexcept {
    return d == Direction::viewer ? "/whep" : "/whip";
}
const char* protocol(Direction d) noexcept {
    return d == Direction::viewer ? "WHEP" : "WHIP";
}

Response make(http::status status, std::string body = {}, std::string_view type = "text/plain; charset=utf-8") {
    Response r{status, 11};
    if (!body.empty()) {
        r.set(http::field::content_type, bsv(type));
        r.body() = std::move(body);
        if (type.substr(0, 10) == "text/plain") r.body() += "\n";
    }
    return r;
}

Response method_not_allowed(std::string_view allow) {
    auto r = make(http::status::method_not_allowed, "method not allowed; allowed: " + std::string(allow));
    r.set(http::field::allow, bsv(allow));
    return r;
}

/// The target's path, without the query ("/?token=..." from the viewer page).
std::string_view path_of(std::string_view target) {
    return target.substr(0, target.find('?'));
}

}  // namespace

SessionService::SessionService(boost::asio::any_io_executor io, CallHost& calls, ServiceConfig config,
                               std::shared_ptr<Logger> log)
    : m_io(std::move(io)), m_calls(calls), m_config(std::move(config)), m_log(std::move(log)) {}

void SessionService::add_cors(Response& response) {
    response.set(http::field::access_control_allow_origin, "*");
    response.set(http::field::access_control_expose_headers, "Location, ETag, Accept-Post");
}

Authorizer fixed_token(std::optional<std::string> token) {
    if (!token) return {};
    return [token = std::move(*token)](std::optional<std::string_view> bearer) {
        return bearer && http::constant_time_equal(*bearer, token);
    };
}

bool SessionService::authorized(const Request& request) const {
    if (!m_config.authorize) return true;
    const auto header = request.find(http::field::authorization);
    if (header == request.end()) return m_config.authorize(std::nullopt);
    const auto token = http::bearer_token(ssv(header->value()));
    return token && m_config.authorize(*token);
}

void SessionService::handle(Request&& request, Reply reply) {
    const std::string_view path = path_of(ssv(request.target()));
    const auto method = request.method();

    // /whep, /whip, /whep/<id>, /whip/<id>
    std::optional<Direction> direction;
    std::string_view rest;
    for (auto d : {Direction::viewer, Direction::publisher}) {
        const std::string_view p = prefix(d);
        if (path.substr(0, p.size()) == p && (path.size() == p.size() || path[p.size()] == '/')) {
            direction = d;
            rest = path.substr(p.size());
        }
    }
    if (!direction || rest == "/") return reply(make(http::status::not_found, "no such resource"));
    const bool is_endpoint = rest.empty();
    const std::string_view allow = is_endpoint ? "OPTIONS, POST" : "OPTIONS, PATCH, DELETE";

    auto finish = [&](Response r) {
        add_cors(r);
        reply(std::move(r));
    };

    if (method == http::verb::options) {
        // A CORS preflight carries no credentials, so OPTIONS needs no token.
        auto r = make(http::status::no_content);
        r.set(http::field::allow, bsv(allow));
        r.set(http::field::access_control_allow_methods, bsv(allow));
        r.set(http::field::access_control_allow_headers, "Authorization, Content-Type, If-Match");
        if (is_endpoint) r.set("Accept-Post", bsv(sdp_type));
        return finish(std::move(r));
    }
    if (is_endpoint ? method != http::verb::post : (method != http::verb::patch && method != http::verb::delete_))
        return finish(method_not_allowed(allow));
    if (!authorized(request)) {
        SWITCHBOARD_LOG(*m_log, info, protocol(*direction) << ": refused a request without the right token");
        auto r = make(http::status::unauthorized, "a valid \"Authorization: Bearer <token>\" is required");
        r.set(http::field::www_authenticate, "Bearer");
        return finish(std::move(r));
    }
    if (m_closed) return finish(make(http::status::service_unavailable, "the server is shutting down"));

    if (is_endpoint) {
        return post_offer(*direction, std::move(request), [reply = std::move(reply)](Response r) {
            add_cors(r);
            reply(std::move(r));
        });
    }
    const std::string id(rest.substr(1));
    auto it = is_session_id(id) ? m_sessions.find(id) : m_sessions.end();
    if (it == m_sessions.end() || it->second->direction != *direction)
        return finish(make(http::status::not_found, "no such session"));
    if (method == http::verb::delete_) {
        end_session(id, "the client sent DELETE");
        return finish(make(http::status::ok));
    }
    patch(*it->second, std::move(request), [reply = std::move(reply)](Response r) {
        add_cors(r);
        reply(std::move(r));
    });
}

void SessionService::post_offer(Direction direction, Request&& request, Reply reply) {
    const auto type = request[http::field::content_type];
    if (!http::media_type_is(ssv(type), sdp_type))
        return reply(make(http::status::unsupported_media_type, "expected Content-Type: application/sdp"));
    std::string offer = std::move(request.body());
    if (offer.substr(0, 2) != "v=") return reply(make(http::status::bad_request, "the body is not an SDP offer"));
    if (m_sessions.size() >= m_config.max_sessions) {
        SWITCHBOARD_LOG(*m_log, warn,
                        protocol(direction) << ": refused a session: " << m_config.max_sessions << " already running");
        auto r = make(http::status::service_unavailable,
                      "too many sessions (" + std::to_string(m_config.max_sessions) + "); try again later");
        r.set(http::field::retry_after, "5");
        return reply(std::move(r));
    }

    std::string id = new_session_id();
    while (m_sessions.count(id)) id = new_session_id();
    auto session = std::make_unique<Session>();
    session->id = id;
    session->direction = direction;
    session->log = m_log->with_context("session=" + id);

    CallOptions options;
    options.id = id;
    options.media = direction == Direction::viewer ? m_config.viewer_media : m_config.publisher_media;
    options.complete_gathering = true;  // WHEP/WHIP clients need every candidate in the answer
    CallEvents events;
    const std::weak_ptr<SessionService> weak = weak_from_this();
    events.on_state = [weak, id](CallState state, const std::string& reason) {
        if (state != CallState::ended) {
            if (auto self = weak.lock()) {
                auto it = self->m_sessions.find(id);
                if (it != self->m_sessions.end()) SWITCHBOARD_LOG(*it->second->log, info, "call " << to_string(state));
            }
            return;
        }
        // Not from inside the callback: the Call may still be on the stack.
        if (auto self = weak.lock())
            boost::asio::post(self->m_io, [weak, id, reason] {
                if (auto service = weak.lock()) service->end_session(id, "call ended: " + reason);
            });
    };
    auto made = m_calls.create_call(std::move(options), std::move(events));
    if (!made) {
        SWITCHBOARD_LOG(*session->log, warn, protocol(direction) << ": cannot make a call: " << made.error().message);
        const auto status = made.error().kind == ErrorKind::unavailable ? http::status::service_unavailable
                                                                        : http::status::internal_server_error;
        return reply(make(status, "cannot make a call: " + made.error().message));
    }
    session->call = std::move(made.value());
    Call& call = *session->call;
    SWITCHBOARD_LOG(*session->log, info,
                    protocol(direction) << ": new " << (direction == Direction::viewer ? "viewer" : "publisher")
                                        << ", answering its offer (" << offer.size() << " bytes)");
    m_sessions.emplace(id, std::move(session));

    call.answer(std::move(offer), [weak, id, direction, reply = std::move(reply)](Result<std::string> sdp) {
        auto self = weak.lock();
        if (!self) return reply(make(http::status::service_unavailable, "the server is shutting down"));
        auto it = self->m_sessions.find(id);
        if (it == self->m_sessions.end())
            return reply(make(http::status::internal_server_error, "the call ended before it was answered"));
        if (!sdp) {
            const auto& error = sdp.error();
            SWITCHBOARD_LOG(*it->second->log, warn, protocol(direction) << ": no answer: " << error.message);
            self->end_session(id, "no answer");
            return reply(
                make(error.kind == ErrorKind::invalid ? http::status::bad_request : http::status::internal_server_error,
                     "cannot answer the offer: " + error.message));
        }
        it->second->answered = true;
        SWITCHBOARD_LOG(*it->second->log, info, protocol(direction) << ": answered");
        auto r = make(http::status::created, std::move(sdp.value()), sdp_type);
        r.set(http::field::location, std::string(prefix(direction)) + "/" + id);
        r.set(http::field::etag, "\"" + id + "\"");
        reply(std::move(r));
    });
}

void SessionService::patch(Session& session, Request&& request, Reply reply) {
    const auto type = request[http::field::content_type];
    if (!http::media_type_is(ssv(type), sdpfrag_type))
        return reply(make(http::status::unsupported_media_type, "expected Content-Type: " + std::string(sdpfrag_type)));
    const auto candidates = trickle_candidates(request.body());
    SWITCHBOARD_LOG(*session.log, debug, "trickle: " << candidates.size() << " candidate line(s)");
    for (const auto& candidate : candidates) session.call->add_remote_candidate(candidate);
    reply(make(http::status::no_content));
}

void SessionService::end_session(const std::string& id, const std::string& why) {
    auto it = m_sessions.find(id);
    if (it == m_sessions.end()) return;
    // Take it out of the map first: destroying the Call must not find it again.
    auto session = std::move(it->second);
    m_sessions.erase(it);
    SWITCHBOARD_LOG(*session->log, info, "session ended: " << why);
    session->call.reset();  // hangs up; no callback runs after
}

void SessionService::end_all(const std::string& why) noexcept {
    std::vector<std::string> ids;
    for (const auto& [id, session] : m_sessions) ids.push_back(id);
    for (const auto& id : ids) end_session(id, why);
}

void SessionService::close() noexcept {
    if (m_closed) return;
    m_closed = true;
    end_all("the server stopped");
}

}  // namespace switchboard::whep
