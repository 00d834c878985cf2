// Header values for our HTTP services; see http_util.hpp.
#include "http_util.hpp"

namespace switchboard::http {

namespace {

char lower(char c) noexcept {
    return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
}

bool iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (lower(a[i]) != lower(b[i])) return false;
    return true;
}

std::string_view trim(std::string_view s) noexcept {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

}  // namespace

bool media_type_is(std::string_view content_type, std::string_view type) noexcept {
    return iequals(trim(content_type.substr(0, content_type.find(';'))), type);
}

std::optional<std::string_view> bearer_token(std::string_view authorization) noexcept {
    authorization = trim(authorization);
    constexpr std::string_view scheme = "bearer";
    if (authorization.size() <= scheme.size() || !iequals(authorization.substr(0, scheme.size()), scheme))
        return std::nullopt;
    if (authorization[scheme.size()] != ' ') return std::nullopt;
    auto token = trim(authorization.substr(scheme.size() + 1));
    if (token.empty()) return std::nullopt;
    return token;
}

bool constant_time_equal(std::string_view a, std::string_view b) noexcept {
    // Walk all of b whatever a holds; fold the length difference into the result.
    std::size_t diff = a.size() ^ b.size();
    for (std::size_t i = 0; i < b.size(); ++i) {
        const unsigned char x = a.empty() ? 0 : static_cast<unsigned char>(a[i % a.size()]);
        diff |= std::size_t(x ^ static_cast<unsigned char>(b[i]));
    }
    return diff == 0;
}

std::optional<std::string> percent_decode(std::string_view segment) {
    auto hex = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        c = lower(c);
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        return -1;
    };
    std::string out;
    out.reserve(segment.size());
    for (std::size_t i = 0; i < segment.size(); ++i) {
        if (segment[i] != '%') {
            out.push_back(segment[i]);
            continue;
        }
        if (segment.size() - i < 3) return std::nullopt;
        const int high = hex(segment[i + 1]), low = hex(segment[i + 2]);
        if (high < 0 || low < 0 || (high == 0 && low == 0)) return std::nullopt;
        out.push_back(char(high * 16 + low));
        i += 2;
    }
    return out;
}

}  // namespace switchboard::http
