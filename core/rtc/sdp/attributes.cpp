#include "rtc/sdp/attributes.hpp"

#include <limits>

#include "rtc/sdp/sdp_text.hpp"

namespace switchboard::rtc::sdp {

namespace {
constexpr std::uint32_t max_u32 = std::numeric_limits<std::uint32_t>::max();
constexpr std::uint64_t max_u64 = std::numeric_limits<std::uint64_t>::max();

std::vector<std::string> strings(const std::vector<std::string_view>& views, std::size_t from) {
    std::vector<std::string> out;
    for (std::size_t i = from; i < views.size(); ++i) out.emplace_back(views[i]);
    return out;
}

// RTP payload types are 7 bits (RFC 3550 §5.1).
std::optional<std::uint8_t> parse_payload_type(std::string_view s) {
    return text::number<std::uint8_t>(s, 0, 127);
}
}  // namespace

std::optional<Direction> parse_direction(std::string_view s) {
    if (s == "sendrecv") return Direction::sendrecv;
    if (s == "sendonly") return Direction::sendonly;
    if (s == "recvonly") return Direction::recvonly;
    if (s == "inactive") return Direction::inactive;
    return std::nullopt;
}

std::string_view to_string(Direction d) {
    switch (d) {
        case Direction::sendrecv:
            return "sendrecv";
        case Direction::sendonly:
            return "sendonly";
        case Direction::recvonly:
            return "recvonly";
        case Direction::inactive:
            return "inactive";
    }
    return "sendrecv";
}

Direction reverse(Direction d) {
    if (d == Direction::sendonly) return Direction::recvonly;
    if (d == Direction::recvonly) return Direction::sendonly;
    return d;
}

std::optional<Setup> parse_setup(std::string_view s) {
    if (s == "actpass") return Setup::actpass;
    if (s == "active") return Setup::active;
    if (s == "passive") return Setup::passive;
    if (s == "holdconn") return Setup::holdconn;
    return std::nullopt;
}

std::string_view to_string(Setup s) {
    switch (s) {
        case Setup::actpass:
            return "actpass";
        case Setup::active:
            return "active";
        case Setup::passive:
            return "passive";
        case Setup::holdconn:
            return "holdconn";
    }
    return "actpass";
}

std::optional<Origin> Origin::parse(std::string_view value) {
    auto t = text::tokens(value);
    if (t.size() != 6) return std::nullopt;
    auto id = text::number<std::uint64_t>(t[1], 0, max_u64);
    auto version = text::number<std::uint64_t>(t[2], 0, max_u64);
    if (!id || !version) return std::nullopt;
    return Origin{std::string(t[0]), *id, *version, std::string(t[3]), std::string(t[4]), std::string(t[5])};
}

std::string Origin::to_string() const {
    return username + ' ' + std::to_string(session_id) + ' ' + std::to_string(session_version) + ' ' + net_type + ' ' +
           addr_type + ' ' + address;
}

std::optional<Connection> Connection::parse(std::string_view value) {
    auto t = text::tokens(value);
    if (t.size() != 3) return std::nullopt;
    return Connection{std::string(t[0]), std::string(t[1]), std::string(t[2])};
}

std::string Connection::to_string() const {
    return net_type + ' ' + addr_type + ' ' + address;
}

std::optional<Group> Group::parse(std::string_view value) {
    auto t = text::tokens(value);
    if (t.empty()) return std::nullopt;
    return Group{std::string(t[0]), strings(t, 1)};
}

std::string Group::to_string() const {
    std::string s = semantics;
    for (const auto& mid : mids) s += ' ' + mid;
    return s;
}

std::optional<MsidSemantic> MsidSemantic::parse(std::string_view value) {
    auto t = text::tokens(value);
    if (t.empty()) return std::nullopt;
    return MsidSemantic{std::string(t[0]), strings(t, 1)};
}

std::string MsidSemantic::to_string() const {
    std::string s = semantic;
    for (const auto& id : ids) s += ' ' + id;
    return s;
}

std::optional<Msid> Msid::parse(std::string_view value) {
    auto t = text::tokens(value);
    if (t.empty() || t.size() > 2) return std::nullopt;
    return Msid{std::string(t[0]), t.size() > 1 ? std::string(t[1]) : std::string()};
}

std::string Msid::to_string() const {
    return track_id.empty() ? stream_id : stream_id + ' ' + track_id;
}

std::optional<RtpMap> RtpMap::parse(std::string_view value) {
    auto t = text::tokens(value);
    if (t.size() != 2) return std::nullopt;
    auto pt = parse_payload_type(t[0]);
    if (!pt) return std::nullopt;
    std::string_view rest = t[1];
    auto slash = rest.find('/');
    if (slash == 0 || slash == std::string_view::npos) return std::nullopt;
    RtpMap map{*pt, std::string(rest.substr(0, slash)), 0, std::nullopt};
    rest.remove_prefix(slash + 1);
    slash = rest.find('/');
    auto rate = text::number<std::uint32_t>(rest.substr(0, slash), 1, max_u32);
    if (!rate) return std::nullopt;
    map.clock_rate = *rate;
    if (slash != std::string_view::npos) {
        map.channels = text::number<std::uint16_t>(rest.substr(slash + 1), 1, 255);
        if (!map.channels) return std::nullopt;
    }
    return map;
}

std::string RtpMap::to_string() const {
    std::string s = std::to_string(payload_type) + ' ' + encoding + '/' + std::to_string(clock_rate);
    if (channels) s += '/' + std::to_string(*channels);
    return s;
}

std::optional<Fmtp> Fmtp::parse(std::string_view value) {
    auto [first, rest] = text::split_first(value);
    auto pt = parse_payload_type(first);
    if (!pt) return std::nullopt;
    return Fmtp{*pt, std::string(rest)};
}

std::string Fmtp::to_string() const {
    return parameters.empty() ? std::to_string(payload_type) : std::to_string(payload_type) + ' ' + parameters;
}

std::vector<std::pair<std::string, std::string>> parse_parameters(std::string_view parameters) {
    std::vector<std::pair<std::string, std::string>> out;
    while (!parameters.empty()) {
        auto semi = parameters.find(';');
        auto part = text::trim(parameters.substr(0, semi));
        parameters = semi == std::string_view::npos ? std::string_view() : parameters.substr(semi + 1);
        if (part.empty()) continue;
        auto eq = part.find('=');
        if (eq == std::string_view::npos)
            out.emplace_back(std::string(part), std::string());
        else
            out.emplace_back(std::string(text::trim(part.substr(0, eq))), std::string(text::trim(part.substr(eq + 1))));
    }
    return out;
}

std::optional<std::string> parameter(std::string_view parameters, std::string_view key) {
    for (auto& [k, v] : parse_parameters(parameters))
        if (text::iequals(k, key)) return v;
    return std::nullopt;
}

std::optional<RtcpFeedback> RtcpFeedback::parse(std::string_view value) {
    auto [first, rest] = text::split_first(value);
    RtcpFeedback fb;
    if (first != "*") {
        auto pt = parse_payload_type(first);
        if (!pt) return std::nullopt;
        fb.payload_type = *pt;
    }
    auto [type, parameter] = text::split_first(rest);
    if (type.empty()) return std::nullopt;
    fb.type = std::string(type);
    fb.parameter = std::string(parameter);
    return fb;
}

std::string RtcpFeedback::to_string() const {
    std::string s = payload_type == wildcard ? std::string("*") : std::to_string(payload_type);
    s += ' ' + type;
    if (!parameter.empty()) s += ' ' + parameter;
    return s;
}

std::optional<ExtMap> ExtMap::parse(std::string_view value) {
    auto [first, rest] = text::split_first(value);
    auto [uri, attributes] = text::split_first(rest);
    if (uri.empty()) return std::nullopt;
    ExtMap map;
    auto slash = first.find('/');
    // RFC 8285 §5: 1-14 (one-byte), up to 255 (two-byte), 4096-4351 while negotiating.
    auto id = text::number<std::uint16_t>(first.substr(0, slash), 1, 4351);
    if (!id) return std::nullopt;
    map.id = *id;
    if (slash != std::string_view::npos) {
        map.direction = parse_direction(first.substr(slash + 1));
        if (!map.direction) return std::nullopt;
    }
    map.uri = std::string(uri);
    map.attributes = std::string(attributes);
    return map;
}

std::string ExtMap::to_string() const {
    std::string s = std::to_string(id);
    if (direction) s += '/' + std::string(sdp::to_string(*direction));
    s += ' ' + uri;
    if (!attributes.empty()) s += ' ' + attributes;
    return s;
}

std::optional<SsrcAttribute> SsrcAttribute::parse(std::string_view value) {
    auto [first, rest] = text::split_first(value);
    auto ssrc = text::number<std::uint32_t>(first, 0, max_u32);
    if (!ssrc || rest.empty()) return std::nullopt;
    SsrcAttribute a{*ssrc, {}, std::nullopt};
    auto colon = rest.find(':');
    a.attribute = std::string(rest.substr(0, colon));
    if (a.attribute.empty()) return std::nullopt;
    if (colon != std::string_view::npos) a.value = std::string(rest.substr(colon + 1));
    return a;
}

std::string SsrcAttribute::to_string() const {
    std::string s = std::to_string(ssrc) + ' ' + attribute;
    if (value) s += ':' + *value;
    return s;
}

std::optional<SsrcGroup> SsrcGroup::parse(std::string_view value) {
    auto t = text::tokens(value);
    if (t.size() < 2) return std::nullopt;
    SsrcGroup g{std::string(t[0]), {}};
    for (std::size_t i = 1; i < t.size(); ++i) {
        auto ssrc = text::number<std::uint32_t>(t[i], 0, max_u32);
        if (!ssrc) return std::nullopt;
        g.ssrcs.push_back(*ssrc);
    }
    return g;
}

std::string SsrcGroup::to_string() const {
    std::string s = semantics;
    for (auto ssrc : ssrcs) s += ' ' + std::to_string(ssrc);
    return s;
}

}  // namespace switchboard::rtc::sdp
