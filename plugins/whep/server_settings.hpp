/// \file server_settings.hpp
/// \brief The whep.server config: its JSON Schema and the typed settings read from it.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include <boost/asio/ip/tcp.hpp>

#include <switchboard/config.hpp>
#include <switchboard/errors.hpp>

namespace switchboard::whep {

/// The JSON Schema (draft-04) of a whep.server "config" object.
extern const char* const server_schema;

/// What a whep.server node listens on and admits. The member initialisers are the
/// defaults the schema documents.
struct ServerSettings {
    boost::asio::ip::tcp::endpoint listen{boost::asio::ip::make_address_v4("127.0.0.1"), 8889};
    /// Bearer token every WHEP/WHIP request must carry; a secret, never logged.
    std::optional<std::string> token;
    int max_sessions = 16;
    std::chrono::milliseconds read_timeout{10'000};
    /// Largest request body (an SDP offer is a few KiB).
    std::size_t max_body_bytes = 64 * 1024;

    /// Reads and checks a validated config. Error::invalid names the JSON pointer of the
    /// offending key: an unparsable `listen`, or no `token` on a non-loopback address.
    static Result<ServerSettings> from(const NodeConfig& config);
};

}  // namespace switchboard::whep
