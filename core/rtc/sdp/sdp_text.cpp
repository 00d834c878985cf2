#include "rtc/sdp/sdp_text.hpp"

namespace switchboard::rtc::sdp::text {

namespace {
bool is_space(char c) {
    return c == ' ' || c == '\t';
}
}  // namespace

std::vector<std::string_view> tokens(std::string_view s) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && is_space(s[i])) ++i;
        std::size_t start = i;
        while (i < s.size() && !is_space(s[i])) ++i;
        if (i > start) out.push_back(s.substr(start, i - start));
    }
    return out;
}

std::pair<std::string_view, std::string_view> split_first(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size() && !is_space(s[i])) ++i;
    std::size_t rest = i;
    while (rest < s.size() && is_space(s[rest])) ++rest;
    return {s.substr(0, i), s.substr(rest)};
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return s;
}

bool is_token(std::string_view s) {
    for (char c : s)
        if (is_space(c)) return false;
    return true;
}

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z') x = char(x + 32);
        if (y >= 'A' && y <= 'Z') y = char(y + 32);
        if (x != y) return false;
    }
    return true;
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = char(c + 32);
    return out;
}

std::string join(const std::vector<std::string>& parts) {
    std::string out;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (i) out += ' ';
        out += parts[i];
    }
    return out;
}

}  // namespace switchboard::rtc::sdp::text
