#include "rtc/srtp/srtp_key_log.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <vector>

namespace switchboard::rtc {

namespace {

std::string hex(const std::vector<std::uint8_t>& bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    for (auto b : bytes) {
        out += digits[b >> 4];
        out += digits[b & 15];
    }
    return out;
}

std::optional<std::vector<std::uint8_t>> unhex(std::string_view s) {
    if (s.size() % 2) return std::nullopt;
    auto nibble = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    std::vector<std::uint8_t> out;
    for (std::size_t i = 0; i < s.size(); i += 2) {
        const int hi = nibble(s[i]), lo = nibble(s[i + 1]);
        if (hi < 0 || lo < 0) return std::nullopt;
        out.push_back(std::uint8_t(hi << 4 | lo));
    }
    return out;
}

std::vector<std::string_view> fields(std::string_view line) {
    std::vector<std::string_view> out;
    while (!line.empty()) {
        const auto start = line.find_first_not_of(" \t\r\n");
        if (start == std::string_view::npos) break;
        line.remove_prefix(start);
        const auto end = line.find_first_of(" \t\r\n");
        out.push_back(line.substr(0, end));
        if (end == std::string_view::npos) break;
        line.remove_prefix(end);
    }
    return out;
}

}  // namespace

std::string format_srtp_key_log_line(const SrtpKeyLogEntry& e) {
    return "SRTP " + e.connection + " " + std::string(to_string(e.keys.profile)) + " tx=" + hex(e.keys.local) +
           " rx=" + hex(e.keys.remote) + "\n";
}

std::optional<SrtpKeyLogEntry> parse_srtp_key_log_line(std::string_view line) {
    const auto f = fields(line);
    if (f.size() != 5 || f[0] != "SRTP" || !f[3].starts_with("tx=") || !f[4].starts_with("rx=")) return std::nullopt;
    SrtpKeyLogEntry e;
    e.connection = std::string(f[1]);
    if (f[2] == to_string(SrtpProfile::aes128_cm_sha1_80))
        e.keys.profile = SrtpProfile::aes128_cm_sha1_80;
    else if (f[2] == to_string(SrtpProfile::aead_aes_128_gcm))
        e.keys.profile = SrtpProfile::aead_aes_128_gcm;
    else
        return std::nullopt;
    auto tx = unhex(f[3].substr(3));
    auto rx = unhex(f[4].substr(3));
    const auto length = srtp_key_length(e.keys.profile) + srtp_salt_length(e.keys.profile);
    if (!tx || !rx || tx->size() != length || rx->size() != length) return std::nullopt;
    e.keys.local = std::move(*tx);
    e.keys.remote = std::move(*rx);
    return e;
}

Result<void> append_srtp_key_log(const std::string& path, const SrtpKeyLogEntry& entry) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0) return Error::runtime("SRTP key log " + path + ": " + std::strerror(errno));
    const std::string line = format_srtp_key_log_line(entry);
    // One write() with O_APPEND: lines of concurrent connections do not interleave.
    const auto n = ::write(fd, line.data(), line.size());
    const int err = errno;
    ::close(fd);
    if (n != static_cast<ssize_t>(line.size()))
        return Error::runtime("SRTP key log " + path + ": " + (n < 0 ? std::strerror(err) : "short write"));
    return {};
}

std::optional<SrtpKeyLogEntry> read_last_srtp_key_log_entry(const std::string& path) {
    std::ifstream in(path);
    std::optional<SrtpKeyLogEntry> last;
    for (std::string line; std::getline(in, line);)
        if (auto e = parse_srtp_key_log_line(line)) last = std::move(e);
    return last;
}

}  // namespace switchboard::rtc
