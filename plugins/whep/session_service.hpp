/// \file session_service.hpp
/// \brief The WHEP/WHIP resources: routes each HTTP request, and owns one Call per session.
///
/// Routes (draft-ietf-wish-whep, RFC 9725 for WHIP, which is the same shape):
///   POST   /whep, /whip          SDP offer -> 201 + SDP answer + Location /whep/<id>
///   PATCH  /whep/<id>, /whip/<id> trickle-ice-sdpfrag -> 204 (remote candidates)
///   DELETE /whep/<id>, /whip/<id> -> 200, the call hangs up
///   OPTIONS on any of them -> 204 (Allow, Accept-Post; CORS preflight, no token needed)
/// Other paths are the node's own (a viewer page); handle() answers them 404.
/// A session ends when its call ends (CallEvents::on_state ended), on DELETE, or on
/// close(). Runs on the io executor only, as Call requires.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/any_io_executor.hpp>

#include <switchboard/call.hpp>
#include <switchboard/log.hpp>

#include "http/http_connection.hpp"

namespace switchboard::whep {

/// Who the far side of a session is.
enum class Direction {
    viewer,     ///< WHEP: we send (CallMedia::send_*)
    publisher,  ///< WHIP: we receive (CallMedia::receive_*)
};

/// Whether a request's bearer token (nullopt: none was sent) admits it. A secret:
/// compare it in constant time (http::constant_time_equal), never log it.
using Authorizer = std::function<bool(std::optional<std::string_view> bearer)>;

/// An Authorizer for one fixed token (nullopt: everyone is admitted).
Authorizer fixed_token(std::optional<std::string> token);

/// What the service needs from its node.
struct ServiceConfig {
    Authorizer authorize;  ///< empty: everyone is admitted
    std::size_t max_sessions = 16;
    CallMedia viewer_media;     ///< the node's inputs a WHEP call sends from
    CallMedia publisher_media;  ///< the node's outputs a WHIP call receives into
};

class SessionService : public std::enable_shared_from_this<SessionService> {
public:
    SessionService(boost::asio::any_io_executor io, CallHost& calls, ServiceConfig config, std::shared_ptr<Logger> log);
    SessionService(const SessionService&) = delete;
    SessionService& operator=(const SessionService&) = delete;

    /// Answers one request (see the file comment); a RequestHandler.
    void handle(http::Request&& request, http::Reply reply);
    /// Ends every session (each Call is destroyed, which hangs it up); new ones are
    /// still admitted (the node changed who may watch).
    void end_all(const std::string& why) noexcept;
    /// Ends every session and refuses new ones. Idempotent.
    void close() noexcept;

    std::size_t session_count() const noexcept { return m_sessions.size(); }

private:
    struct Session {
        std::string id;
        Direction direction;
        std::shared_ptr<Logger> log;  ///< lines carry "session=<id>"
        std::unique_ptr<Call> call;
        bool answered = false;
    };

    void post_offer(Direction direction, http::Request&& request, http::Reply reply);
    void patch(Session& session, http::Request&& request, http::Reply reply);
    void end_session(const std::string& id, const std::string& why);
    /// The request's bearer token matches, or no token is configured.
    bool authorized(const http::Request& request) const;
    /// Headers every WHEP/WHIP response carries, so a player on another origin can read it.
    static void add_cors(http::Response& response);

    boost::asio::any_io_executor m_io;
    CallHost& m_calls;
    ServiceConfig m_config;
    std::shared_ptr<Logger> m_log;
    std::map<std::string, std::unique_ptr<Session>> m_sessions;
    bool m_closed = false;
};

}  // namespace switchboard::whep
