/// \file http_request.hpp
/// \brief A blocking HTTP/1.1 request to a server on 127.0.0.1, for tests that drive a
/// peer's or homeserver's HTTP API: one connection per request, Boost.Beast's synchronous
/// calls, a deadline on the whole exchange. Errors are reported, never thrown.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>

namespace switchboard::test {

/// What came back: `status` 0 means no answer (connect failed, timed out), see `error`.
struct HttpReply {
    int status = 0;     ///< the HTTP status, or 0 when there was no answer
    std::string body;   ///< the response body
    std::string error;  ///< why there was no answer; empty when there was one
};

/// Sends `method` (GET, POST, PUT, DELETE) to http://127.0.0.1:port`target` with `body`
/// (Content-Type `content_type` when the body is not empty) and reads the reply, all
/// within `timeout`.
HttpReply http_request(const std::string& method, std::uint16_t port, const std::string& target,
                       const std::string& body = {}, const std::string& content_type = "application/json",
                       std::chrono::milliseconds timeout = std::chrono::seconds(10),
                       const std::map<std::string, std::string>& headers = {});

}  // namespace switchboard::test
