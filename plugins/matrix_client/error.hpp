/// \file error.hpp
/// \brief What went wrong with a Client-Server API request, with enough context to act on
/// (retry, back off, log in again) and to log: the endpoint, the HTTP status, the errcode.
///
/// Async results carry either a value or an Error (Result<T>); nothing in this library
/// throws across a completion handler.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace switchboard::matrix {

enum class ErrorKind {
    network,   ///< resolve, connect, TLS or socket failure: worth retrying
    timeout,   ///< the request's deadline passed: worth retrying
    http,      ///< the server answered with a non-2xx status (see status, errcode)
    protocol,  ///< the answer was not what the CS API promises (bad JSON, missing field)
    refused,   ///< we would not send it (plain HTTP off loopback, a full queue, stopped)
    io,        ///< local files (the state directory)
};

struct Error {
    Error() = default;
    Error(ErrorKind kind_, std::string endpoint_, int status_, std::string errcode_, std::string message_)
        : kind(kind_),
          endpoint(std::move(endpoint_)),
          status(status_),
          errcode(std::move(errcode_)),
          message(std::move(message_)) {}

    ErrorKind kind = ErrorKind::network;
    /// "METHOD /path" (no query, no token) or the file for io errors.
    std::string endpoint;
    /// HTTP status; 0 when no answer was read.
    int status = 0;
    /// The CS API errcode ("M_LIMIT_EXCEEDED"), empty when the body had none.
    std::string errcode;
    /// Human text: the server's "error" field or the local reason.
    std::string message;
    /// How long the server asked us to wait (Retry-After or retry_after_ms).
    std::optional<std::chrono::milliseconds> retry_after;
    /// 401 with soft_logout: the same device may log in again.
    bool soft_logout = false;

    /// 429 / M_LIMIT_EXCEEDED.
    bool rate_limited() const noexcept { return status == 429 || errcode == "M_LIMIT_EXCEEDED"; }
    /// The access token is no longer valid (log in again).
    bool unknown_token() const noexcept { return errcode == "M_UNKNOWN_TOKEN"; }
    /// Sending the same request again later may succeed: network trouble, timeouts, rate
    /// limits and server errors; never a 4xx the server meant.
    bool retryable() const noexcept {
        return kind == ErrorKind::network || kind == ErrorKind::timeout || rate_limited() ||
               (kind == ErrorKind::http && status >= 500);
    }
    /// One line for logs: "PUT /rooms/!r/send/m.call.invite/t1: HTTP 429 M_LIMIT_EXCEEDED: Too Many Requests".
    std::string to_string() const;
};

/// A value or an Error. (Not std::expected: clang 14 cannot use libstdc++ 12's.)
template <class T>
class Result {
public:
    Result(T value) : m_v(std::in_place_index<0>, std::move(value)) {}
    Result(Error error) : m_v(std::in_place_index<1>, std::move(error)) {}

    bool ok() const noexcept { return m_v.index() == 0; }
    explicit operator bool() const noexcept { return ok(); }
    T& value() & { return std::get<0>(m_v); }
    const T& value() const& { return std::get<0>(m_v); }
    T&& value() && { return std::get<0>(std::move(m_v)); }
    const Error& error() const { return std::get<1>(m_v); }

private:
    std::variant<T, Error> m_v;
};

/// For operations that return nothing but may fail.
struct Done {};

}  // namespace switchboard::matrix
