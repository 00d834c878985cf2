// STUN/TURN URIs; see ice_server_uri.hpp.
#include "call/ice_server_uri.hpp"

#include <charconv>

namespace switchboard::core {

std::optional<IceServerUri> parse_ice_server_uri(std::string_view uri) {
    IceServerUri out;
    const auto colon = uri.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    const auto scheme = uri.substr(0, colon);
    if (scheme == "stun")
        out.scheme = IceServerUri::Scheme::stun;
    else if (scheme == "turn")
        out.scheme = IceServerUri::Scheme::turn;
    else
        return std::nullopt;
    auto rest = uri.substr(colon + 1);
    std::string_view query;
    if (const auto q = rest.find('?'); q != std::string_view::npos) {
        query = rest.substr(q + 1);
        rest = rest.substr(0, q);
    }
    std::string_view host = rest;
    std::string_view port;
    if (!rest.empty() && rest.front() == '[') {
        const auto close = rest.find(']');
        if (close == std::string_view::npos) return std::nullopt;
        host = rest.substr(1, close - 1);
        auto after = rest.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') return std::nullopt;
            port = after.substr(1);
        }
    } else if (const auto c = rest.rfind(':'); c != std::string_view::npos) {
        host = rest.substr(0, c);
        port = rest.substr(c + 1);
    }
    if (host.empty()) return std::nullopt;
    out.host = std::string(host);
    if (!port.empty()) {
        unsigned value = 0;
        auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
        if (ec != std::errc() || end != port.data() + port.size() || value == 0 || value > 65535) return std::nullopt;
        out.port = static_cast<std::uint16_t>(value);
    }
    if (!query.empty()) {
        if (out.scheme != IceServerUri::Scheme::turn) return std::nullopt;
        if (query == "transport=udp")
            out.transport = IceServerUri::Transport::udp;
        else if (query == "transport=tcp")
            out.transport = IceServerUri::Transport::tcp;
        else
            return std::nullopt;
    }
    return out;
}

}  // namespace switchboard::core
