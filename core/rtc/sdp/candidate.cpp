#include "rtc/sdp/candidate.hpp"

#include <limits>

#include "rtc/sdp/sdp_text.hpp"

namespace switchboard::rtc::sdp {

namespace {
std::optional<CandidateType> parse_type(std::string_view s) {
    if (s == "host") return CandidateType::host;
    if (s == "srflx") return CandidateType::srflx;
    if (s == "prflx") return CandidateType::prflx;
    if (s == "relay") return CandidateType::relay;
    return std::nullopt;
}
}  // namespace

std::string_view to_string(CandidateType t) {
    switch (t) {
        case CandidateType::host:
            return "host";
        case CandidateType::srflx:
            return "srflx";
        case CandidateType::prflx:
            return "prflx";
        case CandidateType::relay:
            return "relay";
    }
    return "host";
}

std::optional<Candidate> Candidate::parse(std::string_view value) {
    if (value.substr(0, 10) == "candidate:") value.remove_prefix(10);
    auto t = text::tokens(value);
    // foundation component transport priority address port "typ" type, then name/value pairs.
    if (t.size() < 8 || t[6] != "typ" || (t.size() - 8) % 2 != 0) return std::nullopt;
    Candidate c;
    c.foundation = std::string(t[0]);
    auto component = text::number<std::uint16_t>(t[1], 1, 256);
    auto priority = text::number<std::uint32_t>(t[3], 0, std::numeric_limits<std::uint32_t>::max());
    auto port = text::number<std::uint16_t>(t[5], 0, 65535);
    auto type = parse_type(t[7]);
    if (!component || !priority || !port || !type || c.foundation.size() > 32) return std::nullopt;
    c.component = *component;
    c.transport = std::string(t[2]);
    c.priority = *priority;
    c.address = std::string(t[4]);
    c.port = *port;
    c.type = *type;
    for (std::size_t i = 8; i < t.size(); i += 2) {
        const auto name = t[i];
        const auto val = t[i + 1];
        if (name == "raddr") {
            c.related_address = std::string(val);
        } else if (name == "rport") {
            c.related_port = text::number<std::uint16_t>(val, 0, 65535);
            if (!c.related_port) return std::nullopt;
        } else if (name == "tcptype") {
            c.tcp_type = std::string(val);
        } else {
            c.extensions.emplace_back(std::string(name), std::string(val));
        }
    }
    return c;
}

std::string Candidate::to_string() const {
    std::string s = foundation + ' ' + std::to_string(component) + ' ' + transport + ' ' + std::to_string(priority) +
                    ' ' + address + ' ' + std::to_string(port) + " typ " + std::string(sdp::to_string(type));
    if (related_address) s += " raddr " + *related_address;
    if (related_port) s += " rport " + std::to_string(*related_port);
    if (tcp_type) s += " tcptype " + *tcp_type;
    for (const auto& [name, val] : extensions) s += ' ' + name + ' ' + val;
    return s;
}

}  // namespace switchboard::rtc::sdp
