/// \file client_api.hpp
/// \brief Client-Server API requests: `/_matrix/client/v3` paths, the access token,
/// JSON bodies (RapidJSON) and the CS API's error shape turned into Error.
#pragma once

#include <chrono>
#include <functional>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>

#include <rapidjson/document.h>
#include <boost/beast/http/verb.hpp>

#include "matrix_client/error.hpp"
#include "matrix_client/http_client.hpp"

namespace switchboard::matrix {

using JsonHandler = std::function<void(Result<rapidjson::Document>)>;
using TextHandler = std::function<void(Result<std::string>)>;

class ClientApi {
public:
    explicit ClientApi(std::shared_ptr<HttpClient> http);

    /// The token sent with every request from now on (empty: none).
    void set_access_token(std::string token) { m_token = std::move(token); }
    bool has_access_token() const noexcept { return !m_token.empty(); }

    /// `path` follows /_matrix/client/v3 (build it with api_path()); `query` is encoded,
    /// without '?'; `body` is JSON text or empty. A 2xx answer must be JSON; anything else
    /// becomes an Error with the endpoint, status, errcode and retry hint.
    void call(boost::beast::http::verb method, std::string path, std::string query, std::string body,
              std::chrono::milliseconds timeout, JsonHandler handler);
    /// As call(), but a 2xx answer's body is handed over unparsed (for the parsers that
    /// read it into their own types, e.g. /sync).
    PendingRequest call_text(boost::beast::http::verb method, std::string path, std::string query, std::string body,
                             std::chrono::milliseconds timeout, TextHandler handler);
    void get(std::string path, std::string query, JsonHandler handler) {
        call(boost::beast::http::verb::get, std::move(path), std::move(query), {}, m_timeout, std::move(handler));
    }
    void put(std::string path, std::string body, JsonHandler handler) {
        call(boost::beast::http::verb::put, std::move(path), {}, std::move(body), m_timeout, std::move(handler));
    }
    void post(std::string path, std::string body, JsonHandler handler) {
        call(boost::beast::http::verb::post, std::move(path), {}, std::move(body), m_timeout, std::move(handler));
    }

    /// The deadline of get/put/post (long-polls pass their own to call()).
    void set_default_timeout(std::chrono::milliseconds timeout) { m_timeout = timeout; }
    std::chrono::milliseconds default_timeout() const noexcept { return m_timeout; }
    HttpClient& http() noexcept { return *m_http; }
    void cancel_all() { m_http->cancel_all(); }

private:
    std::shared_ptr<HttpClient> m_http;
    std::string m_token;
    std::chrono::milliseconds m_timeout{20'000};
};

/// "/seg1/seg2/..." with each segment percent-encoded (room ids hold '!' and ':').
std::string api_path(std::initializer_list<std::string_view> segments);

/// Turns a non-2xx answer into an Error: errcode, error, retry_after_ms, soft_logout, and
/// the Retry-After header (preferred, spec v1.10).
Error error_from_response(const std::string& endpoint, const HttpResponse& response);

}  // namespace switchboard::matrix
