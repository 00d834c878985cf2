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
    return random_hex(8);
}

std::string random_hex(std::size_t bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    std::random_device random;
    std::string hex;
    hex.reserve(2 * bytes);
    while (hex.size() < 2 * bytes) {
        for (std::uint32_t value = random(), i = 0; i < 4 && hex.size() < 2 * bytes; ++i, value >>= 8) {
            hex += digits[(value >> 4) & 0xf];
            hex += digits[value & 0xf];
        }
    }
    return hex;
}

}  // namespace switchboard::whep
