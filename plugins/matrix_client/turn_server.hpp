/// \file turn_server.hpp
/// \brief GET /voip/turnServer: TURN URIs and REST credentials for ICE.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include <rapidjson/document.h>

#include "matrix_client/client_api.hpp"

namespace switchboard::matrix {

struct TurnServer {
    std::vector<std::string> uris;  ///< "turn:host:3478?transport=udp", "turns:..."
    std::string username;
    std::string password;  ///< secret
    std::chrono::seconds ttl{0};

    /// `{}` (no TURN configured, as Synapse answers) or no uris.
    bool empty() const noexcept { return uris.empty(); }
};

/// Reads an answer; fields of the wrong type are treated as absent.
TurnServer parse_turn_server(const rapidjson::Value& answer);
/// Fetches and parses. An empty TurnServer is a success (the server has no TURN).
void fetch_turn_server(ClientApi& api, std::function<void(Result<TurnServer>)> handler);

}  // namespace switchboard::matrix
