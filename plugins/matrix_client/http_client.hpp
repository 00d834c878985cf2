/// \file http_client.hpp
/// \brief Async HTTP(S) requests to one homeserver on Boost.Beast.
///
/// TLS verifies the peer against the system CAs and checks the host name (OpenSSL through
/// Asio SSL); plain HTTP is possible only to loopback (HomeserverUrl refuses it otherwise).
/// Every request has a deadline: tcp_stream's expiry covers connect, handshake, write and
/// read, a timer covers name resolution. One connection per request: the long-poll /sync
/// and sends run side by side, and a dead keep-alive connection never stalls a send.
/// Runs on the given executor only, which must be serial; no threads of its own (Asio's
/// resolver uses its internal one for host names; IP literals skip it).
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <list>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/http/verb.hpp>

#include "matrix_client/error.hpp"
#include "matrix_client/homeserver_url.hpp"

namespace switchboard::matrix {

struct HttpRequest {
    boost::beast::http::verb method = boost::beast::http::verb::get;
    /// Path and query, already percent-encoded, starting with '/' (the base path is added).
    std::string target;
    /// JSON text; empty: no body.
    std::string body;
    /// Sent as "Authorization: Bearer ..."; never logged, never in the query.
    std::string bearer_token;
    std::chrono::milliseconds timeout{30'000};
};

struct HttpResponse {
    unsigned status = 0;
    std::string body;
    /// From a Retry-After header given in seconds.
    std::optional<std::chrono::milliseconds> retry_after;
};

using HttpHandler = std::function<void(Result<HttpResponse>)>;

class HttpExchange;

/// A request in flight, to cancel it alone (its handler then gets "cancelled").
class PendingRequest {
public:
    PendingRequest() = default;
    explicit PendingRequest(std::weak_ptr<HttpExchange> exchange) : m_exchange(std::move(exchange)) {}
    void cancel();

private:
    std::weak_ptr<HttpExchange> m_exchange;
};

class HttpClient {
public:
    /// `extra_ca_file` (PEM) is trusted besides the system CAs (a home server with its own
    /// CA); `max_body_bytes` bounds any answer (a /sync after a long absence is large).
    HttpClient(boost::asio::any_io_executor executor, HomeserverUrl url, const std::string& extra_ca_file = {},
               std::size_t max_body_bytes = 64 << 20);
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    /// Sends `request`; `handler` runs once on the executor with the answer (any status)
    /// or a network / timeout / refused Error.
    PendingRequest request(HttpRequest request, HttpHandler handler);
    /// Ends every request in flight; their handlers get ErrorKind::refused ("cancelled").
    void cancel_all();

    const HomeserverUrl& url() const noexcept { return m_url; }
    boost::asio::any_io_executor executor() const { return m_executor; }

private:
    boost::asio::any_io_executor m_executor;
    HomeserverUrl m_url;
    std::size_t m_max_body_bytes;
    std::optional<boost::asio::ssl::context> m_tls;
    std::list<std::weak_ptr<HttpExchange>> m_live;
};

/// "METHOD /path" of a target, without the query: the context for errors and logs.
std::string endpoint_of(boost::beast::http::verb method, const std::string& target);

}  // namespace switchboard::matrix
