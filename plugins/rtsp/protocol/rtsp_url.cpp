// rtsp:// URLs; see rtsp_url.hpp.
#include "rtsp/protocol/rtsp_url.hpp"

#include "rtsp/protocol/header_text.hpp"

namespace switchboard::rtsp {

namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

bool percent_decode(std::string_view in, std::string& out) {
    out.clear();
    for (std::size_t i = 0; i < in.size(); ++i) {
        if (in[i] != '%') {
            out += in[i];
            continue;
        }
        if (i + 2 >= in.size()) return false;
        const int hi = hex_value(in[i + 1]), lo = hex_value(in[i + 2]);
        if (hi < 0 || lo < 0) return false;
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
    }
    return true;
}

}  // namespace

std::string RtspUrl::to_string() const {
    const bool v6 = host.find(':') != std::string::npos;
    return std::string(tls ? "rtsps://" : "rtsp://") + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port) +
           path;
}

Result<RtspUrl> parse_rtsp_url(std::string_view text) {
    RtspUrl url;
    std::string_view rest;
    if (text.rfind("rtsp://", 0) == 0) {
        rest = text.substr(7);
    } else if (text.rfind("rtsps://", 0) == 0) {
        rest = text.substr(8);
        url.tls = true;
        url.port = 322;
    } else {
        return Error::invalid("an RTSP URL starts with rtsp:// or rtsps://");
    }
    const auto slash = rest.find('/');
    std::string_view authority = rest.substr(0, slash);
    if (slash != std::string_view::npos) url.path = std::string(rest.substr(slash));
    if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
        const std::string_view userinfo = authority.substr(0, at);
        authority = authority.substr(at + 1);
        const auto colon = userinfo.find(':');
        if (!percent_decode(userinfo.substr(0, colon), url.user))
            return Error::invalid("the URL's user name has a bad %-escape");
        if (colon != std::string_view::npos && !percent_decode(userinfo.substr(colon + 1), url.password))
            return Error::invalid("the URL's password has a bad %-escape");
    }
    std::string_view port;
    if (!authority.empty() && authority.front() == '[') {
        const auto close = authority.find(']');
        if (close == std::string_view::npos) return Error::invalid("an IPv6 host without its closing ']'");
        url.host = std::string(authority.substr(1, close - 1));
        const auto after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') return Error::invalid("something after the IPv6 host that is not a port");
            port = after.substr(1);
        }
    } else {
        const auto colon = authority.rfind(':');
        url.host = std::string(authority.substr(0, colon));
        if (colon != std::string_view::npos) port = authority.substr(colon + 1);
    }
    if (url.host.empty()) return Error::invalid("the URL has no host");
    if (!port.empty()) {
        const auto value = number<unsigned>(port);
        if (!value || *value == 0 || *value > 65535)
            return Error::invalid("the URL's port \"" + std::string(port) + "\" is not 1-65535");
        url.port = static_cast<std::uint16_t>(*value);
    }
    return url;
}

}  // namespace switchboard::rtsp
