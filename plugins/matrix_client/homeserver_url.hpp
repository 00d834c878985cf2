/// \file homeserver_url.hpp
/// \brief The homeserver's base URL, split and checked once: https anywhere, plain http
/// only to a loopback host (an access token must never cross a network in clear).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "matrix_client/error.hpp"

namespace switchboard::matrix {

struct HomeserverUrl {
    bool tls = true;
    std::string host;  ///< without brackets for IPv6
    std::uint16_t port = 443;
    std::string base_path;  ///< "" or "/prefix" (no trailing slash)

    /// Parses "https://matrix.example.org[:port][/prefix]" or "http://127.0.0.1:8008".
    /// Refuses (ErrorKind::refused) plain http to anything but loopback.
    static Result<HomeserverUrl> parse(std::string_view url);
    /// The Host header value.
    std::string host_header() const;
};

/// localhost, 127.0.0.0/8, ::1.
bool is_loopback_host(std::string_view host);

/// Percent-encodes one path segment or query value (RFC 3986 unreserved kept).
std::string url_encode(std::string_view text);

}  // namespace switchboard::matrix
