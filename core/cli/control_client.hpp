/// \file control_client.hpp
/// \brief The client side of the control API for `switchboard call|hangup|calls`: one
/// HTTP/1.1 request at a time, synchronous for the caller, bounded by a timeout.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include <boost/beast/http/verb.hpp>

#include <switchboard/errors.hpp>

namespace switchboard::core {

/// Where the control API is and how to get in.
struct ControlEndpoint {
    std::string address = "127.0.0.1:8890";  ///< host:port
    std::optional<std::string> token;        ///< bearer token; a secret, never printed
};

/// What the API answered.
struct ControlReply {
    unsigned status = 0;
    std::string body;
    /// The `error` member of a JSON error body, or the body itself when it is not one.
    std::string error_message() const;
};

/// Sends one request and waits at most `timeout` for the whole answer. Error::unavailable
/// when the API cannot be reached or does not answer in time (the message names the
/// address); any HTTP status is a reply, not an error.
Result<ControlReply> control_request(const ControlEndpoint& endpoint, boost::beast::http::verb method,
                                     const std::string& target, const std::string& body,
                                     std::chrono::milliseconds timeout);

}  // namespace switchboard::core
