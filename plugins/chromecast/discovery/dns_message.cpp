#include "chromecast/discovery/dns_message.hpp"

#include <algorithm>
#include <cstddef>

namespace switchboard::chromecast {

namespace {

constexpr std::size_t header_bytes = 12;
constexpr std::size_t max_name_bytes = 255;  ///< wire form, final zero included (RFC 1035 §2.3.4)
constexpr std::size_t max_label_bytes = 63;
constexpr std::uint16_t class_in = 1;

using Bytes = std::span<const std::uint8_t>;

std::uint16_t u16(Bytes b, std::size_t at) {
    return static_cast<std::uint16_t>((b[at] << 8) | b[at + 1]);
}

std::uint32_t u32(Bytes b, std::size_t at) {
    return (std::uint32_t{b[at]} << 24) | (std::uint32_t{b[at + 1]} << 16) | (std::uint32_t{b[at + 2]} << 8) |
           std::uint32_t{b[at + 3]};
}

void put16(std::vector<std::uint8_t>& out, std::uint16_t v) {
    out.push_back(static_cast<std::uint8_t>(v >> 8));
    out.push_back(static_cast<std::uint8_t>(v & 0xff));
}

std::string at(std::size_t offset) {
    return "offset " + std::to_string(offset);
}

Error malformed(const std::string& what) {
    return Error::invalid("DNS message: " + what);
}

/// Splits a presentation-form name into labels, undoing '\' escapes.
Result<std::vector<std::string>> split_name(std::string_view name) {
    std::vector<std::string> labels(1);
    for (std::size_t i = 0; i < name.size(); ++i) {
        if (name[i] == '\\' && i + 1 < name.size()) {
            labels.back() += name[++i];
        } else if (name[i] == '.') {
            labels.emplace_back();
        } else {
            labels.back() += name[i];
        }
    }
    if (labels.size() > 1 && labels.back().empty()) labels.pop_back();  // "local." ends at the root
    std::size_t wire = 1;
    for (const auto& label : labels) {
        if (label.empty()) return Error::invalid("DNS name \"" + std::string(name) + "\" has an empty label");
        if (label.size() > max_label_bytes)
            return Error::invalid("DNS name \"" + std::string(name) + "\" has a label of " +
                                  std::to_string(label.size()) + " bytes (at most 63)");
        wire += label.size() + 1;
    }
    if (wire > max_name_bytes)
        return Error::invalid("DNS name \"" + std::string(name) + "\" is " + std::to_string(wire) +
                              " bytes on the wire (at most 255)");
    return labels;
}

struct NameRead {
    std::string name;
    std::size_t next = 0;  ///< the offset just after the name where it started
};

/// Reads a possibly compressed name at `offset` (RFC 1035 §4.1.4). A pointer must point
/// before every byte of the name read so far, which rules out loops.
Result<NameRead> read_name(Bytes b, std::size_t offset) {
    NameRead out;
    std::size_t pos = offset;
    std::size_t floor = offset;  ///< pointers must point below this
    bool jumped = false;
    std::size_t wire = 1;
    for (;;) {
        if (pos >= b.size()) return malformed("name at " + at(offset) + " runs past the end of the message");
        const std::uint8_t len = b[pos];
        if ((len & 0xc0) == 0xc0) {
            if (pos + 1 >= b.size()) return malformed("compression pointer at " + at(pos) + " is cut off");
            const std::size_t target = (std::size_t{len & 0x3fu} << 8) | b[pos + 1];
            if (target >= floor)
                return malformed("compression pointer at " + at(pos) + " points to " + at(target) +
                                 ", not before the name's earlier labels (a loop or a forward pointer)");
            if (!jumped) out.next = pos + 2;
            jumped = true;
            floor = target;
            pos = target;
            continue;
        }
        if (len > max_label_bytes)
            return malformed("label at " + at(pos) + " has length byte " + std::to_string(len) +
                             " (labels are at most 63 bytes; 64-191 are reserved label types)");
        if (len == 0) {
            if (!jumped) out.next = pos + 1;
            return out;
        }
        wire += len + 1u;
        if (wire > max_name_bytes) return malformed("name at " + at(offset) + " is over 255 bytes");
        if (pos + 1 + len > b.size())
            return malformed("label at " + at(pos) + " of " + std::to_string(len) +
                             " bytes runs past the end of the message");
        if (!out.name.empty()) out.name += '.';
        for (std::size_t i = pos + 1; i <= pos + len; ++i) {
            const char c = static_cast<char>(b[i]);
            if (c == '.' || c == '\\') out.name += '\\';
            out.name += c;
        }
        pos += 1 + len;
    }
}

/// Decodes the RDATA of the record types discovery uses, within [start, end).
Result<void> read_rdata(Bytes b, std::size_t start, std::size_t end, DnsRecord& r) {
    const std::size_t size = end - start;
    auto name_within = [&](std::size_t offset) -> Result<std::string> {
        auto n = read_name(b, offset);
        if (!n) return n.error();
        if (n->next > end) return malformed("name at " + at(offset) + " runs past its record's data");
        return std::move(n->name);
    };
    switch (static_cast<DnsType>(r.type)) {
        case DnsType::ptr: {
            auto name = name_within(start);
            if (!name) return name.error();
            r.data = std::move(name.value());
            return {};
        }
        case DnsType::srv: {
            if (size < 7) return malformed("SRV data at " + at(start) + " is " + std::to_string(size) + " bytes");
            SrvData srv{u16(b, start), u16(b, start + 2), u16(b, start + 4), {}};
            auto target = name_within(start + 6);
            if (!target) return target.error();
            srv.target = std::move(target.value());
            r.data = std::move(srv);
            return {};
        }
        case DnsType::txt: {
            TxtData txt;
            for (std::size_t pos = start; pos < end;) {
                const std::size_t len = b[pos];
                if (pos + 1 + len > end)
                    return malformed("TXT string at " + at(pos) + " of " + std::to_string(len) +
                                     " bytes runs past its record's data");
                txt.strings.emplace_back(reinterpret_cast<const char*>(b.data() + pos + 1), len);
                pos += 1 + len;
            }
            r.data = std::move(txt);
            return {};
        }
        case DnsType::a: {
            if (size != 4) return malformed("A data at " + at(start) + " is " + std::to_string(size) + " bytes, not 4");
            r.data = std::array<std::uint8_t, 4>{b[start], b[start + 1], b[start + 2], b[start + 3]};
            return {};
        }
        default:
            return {};  // AAAA, NSEC and the rest: not needed for discovery
    }
}

Result<void> read_records(Bytes b, std::size_t& pos, std::uint16_t count, const char* section,
                          std::vector<DnsRecord>& out) {
    for (std::uint16_t i = 0; i < count; ++i) {
        const std::size_t start = pos;
        auto context = [&](const Error& e) {
            return Error{e.kind, e.message + " (" + section + " record " + std::to_string(i + 1) + " of " +
                                     std::to_string(count) + " at " + at(start) + ")"};
        };
        auto name = read_name(b, pos);
        if (!name) return context(name.error());
        pos = name->next;
        if (pos + 10 > b.size()) return context(malformed("record header at " + at(pos) + " is cut off"));
        DnsRecord r;
        r.name = std::move(name->name);
        r.type = u16(b, pos);
        r.cache_flush = (u16(b, pos + 2) & 0x8000) != 0;
        r.ttl = u32(b, pos + 4);
        const std::size_t length = u16(b, pos + 8);
        const std::size_t data = pos + 10;
        if (data + length > b.size())
            return context(malformed("record data of " + std::to_string(length) + " bytes at " + at(data) +
                                     " runs past the end of the message (" + std::to_string(b.size()) + " bytes)"));
        if (auto decoded = read_rdata(b, data, data + length, r); !decoded) return context(decoded.error());
        pos = data + length;
        out.push_back(std::move(r));
    }
    return {};
}

}  // namespace

Result<std::vector<std::uint8_t>> build_dns_query(std::string_view name, DnsType type, bool unicast_response) {
    auto labels = split_name(name);
    if (!labels) return labels.error();
    std::vector<std::uint8_t> out;
    out.reserve(header_bytes + name.size() + 6);
    put16(out, 0);  // id: 0 for multicast queries (RFC 6762 §18.1)
    put16(out, 0);  // flags: a standard query
    put16(out, 1);  // one question
    put16(out, 0);
    put16(out, 0);
    put16(out, 0);
    for (const auto& label : labels.value()) {
        out.push_back(static_cast<std::uint8_t>(label.size()));
        out.insert(out.end(), label.begin(), label.end());
    }
    out.push_back(0);
    put16(out, static_cast<std::uint16_t>(type));
    put16(out, static_cast<std::uint16_t>(class_in | (unicast_response ? 0x8000 : 0)));
    return out;
}

Result<DnsMessage> parse_dns_message(Bytes b) {
    if (b.size() < header_bytes) return malformed(std::to_string(b.size()) + " bytes, shorter than the 12-byte header");
    DnsMessage m;
    m.id = u16(b, 0);
    m.flags = u16(b, 2);
    const std::uint16_t questions = u16(b, 4);
    std::size_t pos = header_bytes;
    for (std::uint16_t i = 0; i < questions; ++i) {
        auto name = read_name(b, pos);
        if (!name) return Error{name.error().kind, name.error().message + " (question " + std::to_string(i + 1) + ")"};
        pos = name->next;
        if (pos + 4 > b.size())
            return malformed("question " + std::to_string(i + 1) + " at " + at(pos) + " is cut off");
        pos += 4;
    }
    if (auto r = read_records(b, pos, u16(b, 6), "answer", m.answers); !r) return r.error();
    if (auto r = read_records(b, pos, u16(b, 8), "authority", m.authorities); !r) return r.error();
    if (auto r = read_records(b, pos, u16(b, 10), "additional", m.additionals); !r) return r.error();
    return m;
}

bool dns_iequals(std::string_view a, std::string_view b) noexcept {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [&](char x, char y) { return lower(x) == lower(y); });
}

std::optional<std::string> txt_value(const TxtData& txt, std::string_view key) {
    for (const auto& s : txt.strings) {
        const auto eq = s.find('=');
        const std::string_view k = std::string_view(s).substr(0, eq);
        if (!k.empty() && dns_iequals(k, key)) return eq == std::string::npos ? std::string() : s.substr(eq + 1);
    }
    return std::nullopt;
}

std::string ipv4_string(const std::array<std::uint8_t, 4>& a) {
    return std::to_string(a[0]) + "." + std::to_string(a[1]) + "." + std::to_string(a[2]) + "." + std::to_string(a[3]);
}

}  // namespace switchboard::chromecast
