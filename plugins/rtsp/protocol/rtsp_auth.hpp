/// \file rtsp_auth.hpp
/// \brief Signing in to a camera: the WWW-Authenticate challenges of a 401 (RFC 2617 as
/// RTSP uses it, RFC 2326 §D) and the Authorization header of each later request.
/// Digest (MD5, with or without qop=auth) is preferred to Basic, which sends the password
/// readable, and is used only when the camera offers nothing else.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <switchboard/errors.hpp>

#include "rtsp/protocol/rtsp_message.hpp"

namespace switchboard::rtsp {

/// One challenge of a WWW-Authenticate header.
struct Challenge {
    enum class Scheme { basic, digest };
    Scheme scheme = Scheme::basic;
    std::string realm;
    std::string nonce;
    std::string opaque;
    std::string algorithm;  ///< "MD5" or empty (= MD5); others are not supported
    bool qop_auth = false;  ///< the server offers qop=auth
    bool stale = false;     ///< the nonce expired; the credentials were right
};

/// The challenges of the WWW-Authenticate values; unknown schemes are skipped.
std::vector<Challenge> parse_challenges(const std::vector<std::string>& values);

class Authenticator {
public:
    Authenticator(std::string user, std::string password) : m_user(std::move(user)), m_password(std::move(password)) {}

    /// Takes a 401. Error::invalid when there are no credentials or no usable challenge,
    /// or ("wrong user name or password") when the last request already carried
    /// credentials and the camera does not call its nonce stale: retrying cannot help.
    Result<void> on_unauthorized(const RtspResponse& response);
    /// The Authorization header for a request (nullopt before any challenge).
    std::optional<std::string> authorization(std::string_view method, std::string_view uri);

    /// For tests: the client nonce of the next digest with qop.
    void set_cnonce(std::string cnonce) { m_cnonce = std::move(cnonce); }

private:
    std::string m_user;
    std::string m_password;
    std::optional<Challenge> m_challenge;
    bool m_sent = false;  ///< a request carried credentials for m_challenge
    std::uint32_t m_nc = 0;
    std::string m_cnonce;
};

/// MD5 as lower-case hex (digest authentication's hash).
std::string md5_hex(std::string_view data);

}  // namespace switchboard::rtsp
