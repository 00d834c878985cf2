#include "rtc/sdp/fingerprint.hpp"

#include "rtc/sdp/sdp_text.hpp"

namespace switchboard::rtc::sdp {

namespace {
int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}
// SHA-512 is the longest hash RFC 8122 names.
constexpr std::size_t max_bytes = 64;
}  // namespace

std::optional<Fingerprint> Fingerprint::parse(std::string_view value) {
    auto t = text::tokens(value);
    if (t.size() != 2) return std::nullopt;
    Fingerprint f{text::lower(t[0]), {}};
    std::string_view hex = t[1];
    // "AB:CD:EF": 3 characters per byte but the last.
    if (hex.size() % 3 != 2 || hex.size() / 3 + 1 > max_bytes) return std::nullopt;
    for (std::size_t i = 0; i < hex.size(); i += 3) {
        int hi = hex_digit(hex[i]), lo = hex_digit(hex[i + 1]);
        if (hi < 0 || lo < 0 || (i + 2 < hex.size() && hex[i + 2] != ':')) return std::nullopt;
        f.bytes.push_back(std::uint8_t(hi * 16 + lo));
    }
    return f;
}

std::string Fingerprint::to_string() const {
    static constexpr char digits[] = "0123456789ABCDEF";
    std::string s = algorithm + ' ';
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        if (i) s += ':';
        s += digits[bytes[i] >> 4];
        s += digits[bytes[i] & 15];
    }
    return s;
}

}  // namespace switchboard::rtc::sdp
