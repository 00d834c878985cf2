/// \file dns_message.hpp
/// \brief The DNS messages of multicast DNS service discovery (RFC 1035 §4, RFC 6762,
/// RFC 6763), as bytes: a one-question query, and the records of a response.
///
/// A response comes from whoever is on the link, so the parser trusts nothing: every read
/// is bounds-checked, compressed names (RFC 1035 §4.1.4) may only point backwards (so a
/// pointer loop cannot exist), names are at most 255 bytes and labels at most 63. Every
/// refusal is an Error naming what and the offset; the parser never throws. Only the
/// records discovery needs are decoded (PTR, SRV, TXT, A); others keep their header.
///
/// Names are in presentation form: labels joined by '.', with a '.' or '\' inside a label
/// escaped by '\' (an instance label such as "Living Room TV" may hold dots).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <switchboard/errors.hpp>

namespace switchboard::chromecast {

/// The service type every Cast receiver announces (RFC 6763 §7).
inline constexpr std::string_view googlecast_service = "_googlecast._tcp.local";

/// The record types discovery uses (RFC 1035 §3.2.2, RFC 2782, RFC 3596).
enum class DnsType : std::uint16_t { a = 1, ptr = 12, txt = 16, aaaa = 28, srv = 33 };

struct SrvData {
    std::uint16_t priority = 0;
    std::uint16_t weight = 0;
    std::uint16_t port = 0;
    std::string target;  ///< the host name whose A record gives the address
};

/// The character-strings of a TXT record, raw ("key=value", or a bare "key").
struct TxtData {
    std::vector<std::string> strings;
};

struct DnsRecord {
    std::string name;
    std::uint16_t type = 0;    ///< a DnsType, or another type left undecoded
    bool cache_flush = false;  ///< the top bit of the class (RFC 6762 §10.2)
    std::uint32_t ttl = 0;
    /// PTR: the target name (std::string); SRV; TXT; A: the IPv4 address; else nothing.
    std::variant<std::monostate, std::string, SrvData, TxtData, std::array<std::uint8_t, 4>> data;
};

/// A parsed message: its header fields and every resource record (questions skipped).
struct DnsMessage {
    std::uint16_t id = 0;
    std::uint16_t flags = 0;
    bool is_response() const noexcept { return (flags & 0x8000) != 0; }
    std::vector<DnsRecord> answers;
    std::vector<DnsRecord> authorities;
    std::vector<DnsRecord> additionals;
};

/// A query with one question for `name` of `type`, class IN, id 0 (RFC 6762 §18.1).
/// `unicast_response` sets the QU bit (RFC 6762 §5.4). Invalid for a name that is empty,
/// has an empty label or one over 63 bytes, or is over 255 bytes in wire form.
Result<std::vector<std::uint8_t>> build_dns_query(std::string_view name, DnsType type, bool unicast_response = false);

/// Parses a whole DNS message; never reads outside `bytes`, never throws.
Result<DnsMessage> parse_dns_message(std::span<const std::uint8_t> bytes);

/// The value of `key` in a TXT record (keys compare case-insensitively, RFC 6763 §6.4):
/// "" for a bare key or "key=", nullopt when absent.
std::optional<std::string> txt_value(const TxtData& txt, std::string_view key);

/// ASCII case-insensitive equality, as DNS compares names (RFC 1035 §2.3.3).
bool dns_iequals(std::string_view a, std::string_view b) noexcept;

/// "192.0.2.1".
std::string ipv4_string(const std::array<std::uint8_t, 4>& address);

}  // namespace switchboard::chromecast
