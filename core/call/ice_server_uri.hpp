/// \file ice_server_uri.hpp
/// \brief STUN and TURN URIs (RFC 7064, RFC 7065) as signalling protocols hand them out
/// ("turn:turn.example.org:3478?transport=udp"), read into what ICE is configured with.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace switchboard::core {

struct IceServerUri {
    enum class Scheme { stun, turn };
    enum class Transport { udp, tcp };
    Scheme scheme = Scheme::stun;
    std::string host;
    std::uint16_t port = 3478;
    Transport transport = Transport::udp;
};

/// nullopt for what we cannot use: stuns:/turns: (TLS), an unknown scheme or transport,
/// a bad port, no host. IPv6 hosts are in brackets ("turn:[::1]:3478").
std::optional<IceServerUri> parse_ice_server_uri(std::string_view uri);

}  // namespace switchboard::core
