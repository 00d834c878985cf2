/// \file login.hpp
/// \brief Signing in: a stored session checked with whoami, an access token given by the
/// config, or m.login.password with a fixed device id, so that a restart keeps the same
/// device (party_id, transaction scope and to-device routing depend on it).
#pragma once

#include <functional>
#include <memory>
#include <string>

#include <switchboard/log.hpp>

#include "matrix_client/client_api.hpp"
#include "matrix_client/session_store.hpp"

namespace switchboard::matrix {

/// How to sign in. Either `password` or `access_token` (a token wins when both are set).
struct Credentials {
    std::string user;          ///< "camgw" or "@camgw:example.org"
    std::string password;      ///< secret
    std::string access_token;  ///< secret
    /// The device to log in as; empty: the stored one, else the server picks.
    std::string device_id;
    std::string device_display_name = "Switchboard";
};

struct WhoAmI {
    std::string user_id;
    std::string device_id;  ///< may be empty (older servers)
};

/// POST /login with m.login.password. The answer's user_id, device_id and access_token.
void login_password(ClientApi& api, const Credentials& credentials, std::function<void(Result<SessionState>)> handler);
/// GET /account/whoami with the api's current token.
void whoami(ClientApi& api, std::function<void(Result<WhoAmI>)> handler);

/// The whole start-up: load the store; a stored session for this homeserver and user is
/// checked with whoami and reused (an unknown token means a password login again, as the
/// same device); else the configured token (whoami tells user and device) or a password
/// login. The session is saved before `handler` runs and the api carries its token.
/// `homeserver` is the base URL as configured (stored, to notice a change of server).
void sign_in(ClientApi& api, const SessionStore& store, const std::string& homeserver, Credentials credentials,
             std::shared_ptr<Logger> log, std::function<void(Result<SessionState>)> handler);

}  // namespace switchboard::matrix
