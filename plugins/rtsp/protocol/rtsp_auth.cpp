// Camera sign-in; see rtsp_auth.hpp.
#include "rtsp/protocol/rtsp_auth.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace switchboard::rtsp {

namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return out;
}

/// Reads `key=value, key="quoted, value"` parameters after the scheme.
std::vector<std::pair<std::string, std::string>> parameters(std::string_view s) {
    std::vector<std::pair<std::string, std::string>> out;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && (s[i] == ' ' || s[i] == ',' || s[i] == '\t')) ++i;
        const auto eq = s.find('=', i);
        if (eq == std::string_view::npos) break;
        std::string key = lower(s.substr(i, eq - i));
        while (!key.empty() && key.back() == ' ') key.pop_back();
        i = eq + 1;
        while (i < s.size() && s[i] == ' ') ++i;
        std::string value;
        if (i < s.size() && s[i] == '"') {
            ++i;
            while (i < s.size() && s[i] != '"') {
                if (s[i] == '\\' && i + 1 < s.size()) ++i;
                value += s[i++];
            }
            ++i;  // the closing quote
        } else {
            while (i < s.size() && s[i] != ',') value += s[i++];
            while (!value.empty() && value.back() == ' ') value.pop_back();
        }
        out.emplace_back(std::move(key), std::move(value));
    }
    return out;
}

std::string base64(std::string_view data) {
    std::string out(4 * ((data.size() + 2) / 3) + 1, '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(data.data()), int(data.size()));
    out.resize(std::size_t(std::max(n, 0)));
    return out;
}

std::string random_hex(std::size_t bytes) {
    std::vector<unsigned char> raw(bytes);
    RAND_bytes(raw.data(), int(raw.size()));
    std::string out;
    char hex[3];
    for (auto b : raw) {
        std::snprintf(hex, sizeof hex, "%02x", b);
        out += hex;
    }
    return out;
}

std::string quoted(std::string_view s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

}  // namespace

std::string md5_hex(std::string_view data) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_Digest(data.data(), data.size(), digest, &length, EVP_md5(), nullptr);
    std::string out;
    char hex[3];
    for (unsigned int i = 0; i < length; ++i) {
        std::snprintf(hex, sizeof hex, "%02x", digest[i]);
        out += hex;
    }
    return out;
}

std::vector<Challenge> parse_challenges(const std::vector<std::string>& values) {
    std::vector<Challenge> out;
    for (const auto& value : values) {
        const auto space = value.find(' ');
        const std::string scheme = lower(std::string_view(value).substr(0, space));
        const std::string_view rest =
            space == std::string::npos ? std::string_view() : std::string_view(value).substr(space + 1);
        Challenge c;
        if (scheme == "basic") {
            c.scheme = Challenge::Scheme::basic;
        } else if (scheme == "digest") {
            c.scheme = Challenge::Scheme::digest;
        } else {
            continue;
        }
        for (auto& [key, v] : parameters(rest)) {
            if (key == "realm") c.realm = v;
            if (key == "nonce") c.nonce = v;
            if (key == "opaque") c.opaque = v;
            if (key == "algorithm") c.algorithm = v;
            if (key == "stale") c.stale = lower(v) == "true";
            if (key == "qop") {
                // qop is a comma list inside quotes: "auth,auth-int".
                std::string list = lower(v);
                std::size_t at = 0;
                while (at <= list.size()) {
                    const auto comma = list.find(',', at);
                    std::string token = list.substr(at, comma == std::string::npos ? std::string::npos : comma - at);
                    token.erase(0, token.find_first_not_of(' '));
                    token.erase(token.find_last_not_of(' ') + 1);
                    if (token == "auth") c.qop_auth = true;
                    if (comma == std::string::npos) break;
                    at = comma + 1;
                }
            }
        }
        if (c.scheme == Challenge::Scheme::digest && c.nonce.empty()) continue;
        out.push_back(std::move(c));
    }
    return out;
}

Result<void> Authenticator::on_unauthorized(const RtspResponse& response) {
    if (m_user.empty()) return Error::invalid("the camera asks for a user name and password, and none is configured");
    const auto challenges = parse_challenges(find_headers(response.headers, "WWW-Authenticate"));
    const Challenge* pick = nullptr;
    for (const auto& c : challenges)
        if (c.scheme == Challenge::Scheme::digest && (c.algorithm.empty() || lower(c.algorithm) == "md5")) {
            pick = &c;
            break;
        }
    if (!pick)
        for (const auto& c : challenges)
            if (c.scheme == Challenge::Scheme::basic) pick = &c;
    if (!pick) return Error::invalid("the camera offers no sign-in we support (Digest with MD5, or Basic)");
    // A 401 after we answered a challenge means the credentials are wrong, whatever its
    // nonce (gst-rtsp-server makes a new one per challenge), unless it says the nonce we
    // used was only stale (RFC 2617 §3.2.1): then one more try.
    if (m_sent && !pick->stale)
        return Error::invalid("wrong user name or password for the camera (realm \"" + pick->realm + "\")");
    m_challenge = *pick;
    m_sent = false;
    m_nc = 0;
    return {};
}

std::optional<std::string> Authenticator::authorization(std::string_view method, std::string_view uri) {
    if (!m_challenge) return std::nullopt;
    m_sent = true;
    const auto& c = *m_challenge;
    if (c.scheme == Challenge::Scheme::basic) return "Basic " + base64(m_user + ":" + m_password);
    const std::string ha1 = md5_hex(m_user + ":" + c.realm + ":" + m_password);
    const std::string ha2 = md5_hex(std::string(method) + ":" + std::string(uri));
    std::string header = "Digest username=" + quoted(m_user) + ", realm=" + quoted(c.realm) +
                         ", nonce=" + quoted(c.nonce) + ", uri=" + quoted(uri);
    if (c.qop_auth) {
        char nc[9];
        std::snprintf(nc, sizeof nc, "%08x", ++m_nc);
        const std::string cnonce = m_cnonce.empty() ? random_hex(8) : m_cnonce;
        header += ", response=" + quoted(md5_hex(ha1 + ":" + c.nonce + ":" + nc + ":" + cnonce + ":auth:" + ha2)) +
                  ", qop=auth, nc=" + nc + ", cnonce=" + quoted(cnonce);
    } else {
        header += ", response=" + quoted(md5_hex(ha1 + ":" + c.nonce + ":" + ha2));
    }
    if (!c.opaque.empty()) header += ", opaque=" + quoted(c.opaque);
    if (!c.algorithm.empty()) header += ", algorithm=" + c.algorithm;
    return header;
}

}  // namespace switchboard::rtsp
