#include "matrix_client/homeserver_url.hpp"

#include <charconv>

#include <boost/asio/ip/address.hpp>

namespace switchboard::matrix {

namespace {

Error bad_url(std::string message) {
    return Error{ErrorKind::refused, "homeserver url", 0, {}, std::move(message)};
}

}  // namespace

bool is_loopback_host(std::string_view host) {
    if (host == "localhost") return true;
    boost::system::error_code ec;
    auto address = boost::asio::ip::make_address(std::string(host), ec);
    return !ec && address.is_loopback();
}

Result<HomeserverUrl> HomeserverUrl::parse(std::string_view url) {
    HomeserverUrl out;
    std::string_view rest;
    if (url.starts_with("https://")) {
        rest = url.substr(8);
    } else if (url.starts_with("http://")) {
        out.tls = false;
        out.port = 80;
        rest = url.substr(7);
    } else {
        return bad_url("'" + std::string(url) + "' is not an http(s) URL");
    }
    auto slash = rest.find('/');
    std::string_view authority = rest.substr(0, slash);
    if (slash != std::string_view::npos) out.base_path = std::string(rest.substr(slash));
    while (!out.base_path.empty() && out.base_path.back() == '/') out.base_path.pop_back();
    if (authority.find('@') != std::string_view::npos) return bad_url("credentials in the homeserver URL");
    std::string_view port_text;
    if (authority.starts_with("[")) {
        auto close = authority.find(']');
        if (close == std::string_view::npos) return bad_url("unclosed '[' in the homeserver URL");
        out.host = std::string(authority.substr(1, close - 1));
        if (close + 1 < authority.size()) {
            if (authority[close + 1] != ':') return bad_url("bad port in the homeserver URL");
            port_text = authority.substr(close + 2);
        }
    } else {
        auto colon = authority.find(':');
        out.host = std::string(authority.substr(0, colon));
        if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
    }
    if (out.host.empty()) return bad_url("no host in the homeserver URL");
    if (!port_text.empty()) {
        unsigned port = 0;
        auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
        if (ec != std::errc() || end != port_text.data() + port_text.size() || port == 0 || port > 65535)
            return bad_url("bad port in the homeserver URL");
        out.port = static_cast<std::uint16_t>(port);
    }
    if (!out.tls && !is_loopback_host(out.host))
        return bad_url("plain http is only allowed to a loopback host, not '" + out.host + "': use https");
    return out;
}

std::string HomeserverUrl::host_header() const {
    std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
    if (port != (tls ? 443 : 80)) h += ":" + std::to_string(port);
    return h;
}

std::string url_encode(std::string_view text) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size());
    for (unsigned char c : text) {
        bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                          c == '.' || c == '_' || c == '~';
        if (unreserved) {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

}  // namespace switchboard::matrix
