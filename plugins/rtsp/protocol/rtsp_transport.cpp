// SETUP's Transport and Session headers; see rtsp_transport.hpp.
#include "rtsp/protocol/rtsp_transport.hpp"

#include <vector>

#include "rtsp/protocol/header_text.hpp"

namespace switchboard::rtsp {

namespace {

std::vector<std::string_view> split(std::string_view s, char by) {
    std::vector<std::string_view> out;
    for (;;) {
        const auto at = s.find(by);
        out.push_back(trim(s.substr(0, at)));
        if (at == std::string_view::npos) return out;
        s = s.substr(at + 1);
    }
}

/// "a-b" (or "a", the pair then being a, a+1).
template <class T>
std::optional<std::pair<T, T>> range(std::string_view s) {
    const auto dash = s.find('-');
    auto first = number<T>(s.substr(0, dash));
    if (!first) return std::nullopt;
    if (dash == std::string_view::npos) return std::pair<T, T>{*first, T(*first + 1)};
    auto second = number<T>(s.substr(dash + 1));
    if (!second) return std::nullopt;
    return std::pair<T, T>{*first, *second};
}

}  // namespace

std::string TransportSpec::request_header() const {
    if (lower == Lower::tcp)
        return "RTP/AVP/TCP;unicast;interleaved=" + std::to_string(rtp_channel) + "-" + std::to_string(rtcp_channel);
    return "RTP/AVP;unicast;client_port=" + std::to_string(client_rtp_port) + "-" + std::to_string(client_rtcp_port);
}

Result<TransportSpec> parse_transport(std::string_view header) {
    // A camera may list several transports (comma-separated); the first is the one granted.
    const auto first = split(header, ',').front();
    const auto parts = split(first, ';');
    TransportSpec t;
    const auto protocol = parts.front();
    if (iequals(protocol, "RTP/AVP/TCP")) {
        t.lower = TransportSpec::Lower::tcp;
    } else if (iequals(protocol, "RTP/AVP") || iequals(protocol, "RTP/AVP/UDP")) {
        t.lower = TransportSpec::Lower::udp;
    } else {
        return Error::invalid("Transport \"" + std::string(protocol) + "\" is not RTP/AVP");
    }
    bool channels = false, server_ports = false;
    for (std::size_t i = 1; i < parts.size(); ++i) {
        const auto eq = parts[i].find('=');
        const auto key = parts[i].substr(0, eq);
        const auto value = eq == std::string_view::npos ? std::string_view() : parts[i].substr(eq + 1);
        if (iequals(key, "multicast")) return Error::invalid("the camera granted multicast, which is not supported");
        if (iequals(key, "interleaved")) {
            auto r = range<std::uint8_t>(value);
            if (!r) return Error::invalid("Transport interleaved=\"" + std::string(value) + "\" is not a channel pair");
            t.rtp_channel = r->first;
            t.rtcp_channel = r->second;
            channels = true;
        } else if (iequals(key, "client_port")) {
            auto r = range<std::uint16_t>(value);
            if (r) t.client_rtp_port = r->first, t.client_rtcp_port = r->second;
        } else if (iequals(key, "server_port")) {
            auto r = range<std::uint16_t>(value);
            if (!r) return Error::invalid("Transport server_port=\"" + std::string(value) + "\" is not a port pair");
            t.server_rtp_port = r->first;
            t.server_rtcp_port = r->second;
            server_ports = true;
        } else if (iequals(key, "ssrc")) {
            t.ssrc = number<std::uint32_t>(value, 16);
        }
    }
    if (t.lower == TransportSpec::Lower::tcp && !channels)
        return Error::invalid("the camera's TCP Transport names no interleaved channels");
    if (t.lower == TransportSpec::Lower::udp && !server_ports)
        return Error::invalid("the camera's UDP Transport names no server_port");
    return t;
}

Result<SessionHeader> parse_session(std::string_view header) {
    const auto parts = split(header, ';');
    SessionHeader s;
    s.id = std::string(parts.front());
    if (s.id.empty()) return Error::invalid("an empty Session header");
    for (std::size_t i = 1; i < parts.size(); ++i) {
        const auto eq = parts[i].find('=');
        if (eq == std::string_view::npos || !iequals(parts[i].substr(0, eq), "timeout")) continue;
        if (auto t = number<unsigned>(parts[i].substr(eq + 1)); t && *t > 0) s.timeout = std::chrono::seconds(*t);
    }
    return s;
}

}  // namespace switchboard::rtsp
