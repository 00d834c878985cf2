/// \file rtsp_url.hpp
/// \brief rtsp:// and rtsps:// URLs (RFC 2326 §3.2): host, port, path, and credentials a
/// user may have put in them (taken out, so they never reach a log).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <switchboard/errors.hpp>

namespace switchboard::rtsp {

struct RtspUrl {
    bool tls = false;  ///< rtsps://
    std::string host;  ///< without brackets for IPv6
    std::uint16_t port = 554;
    std::string path = "/";  ///< with its query, as given
    std::string user;        ///< percent-decoded; empty when none
    std::string password;    ///< percent-decoded; a secret

    /// The URL without credentials, as requests carry it: "rtsp://host:port/path".
    std::string to_string() const;
};

/// Reads a URL; Error::invalid says what is wrong (without echoing a password).
Result<RtspUrl> parse_rtsp_url(std::string_view text);

}  // namespace switchboard::rtsp
