// sdpfrag bodies and session ids; see whep_text.hpp.
#include "whep_text.hpp"

#include <cstdint>
#include <random>

namespace switchboard::whep {

namespace {

std::string_view trim(std::string_view s) noexcept {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

}  // namespace

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
