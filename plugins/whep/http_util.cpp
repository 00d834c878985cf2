// Header and body values for WHEP/WHIP; see http_util.hpp.
#include "http_util.hpp"

#include <cstdint>
#include <random>

namespace switchboard::whep {

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

std::vector<std::string> trickle_candidates(std::string_view sdpfrag) {
    std::vector<std::string> out;
    while (!sdpfrag.empty()) {
        const auto eol = sdpfrag.find('\n');
        auto line = trim(sdpfrag.substr(0, eol));
        sdpfrag.remove_prefix(eol == std::string_view::npos ? sdpfrag.size() : eol + 1);
        if (line.substr(0, 12) == "a=candidate:") {
            out.emplace_back(line);
        } else if (line == "a=end-of-candidates") {
            out.emplace_back();
        }
    }
    return out;
}

bool is_session_id(std::string_view id) noexcept {
    if (id.size() != 16) return false;
    for (char c : id)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    return true;
}

std::string new_session_id() {
    std::random_device random;
    const std::uint64_t value = (std::uint64_t(random()) << 32) ^ random();
    static constexpr char digits[] = "0123456789abcdef";
    std::string id(16, '0');
    for (int i = 0; i < 16; ++i) id[std::size_t(i)] = digits[(value >> (60 - 4 * i)) & 0xf];
    return id;
}

}  // namespace switchboard::whep
