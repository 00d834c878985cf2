#include "hls/hls_target.hpp"

#include <charconv>

namespace switchboard::hls {

namespace {

TargetParse fail(TargetParse::Status status, std::string reason) {
    TargetParse p;
    p.status = status;
    p.reason = std::move(reason);
    return p;
}

/// A whole decimal integer, no sign, no leading junk; nullopt otherwise or on overflow.
template <class T>
std::optional<T> decimal(std::string_view text) {
    T value{};
    if (text.empty() || text.size() > 20) return std::nullopt;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

bool consume(std::string_view& text, std::string_view prefix) {
    if (text.substr(0, prefix.size()) != prefix) return false;
    text.remove_prefix(prefix.size());
    return true;
}

bool consume_suffix(std::string_view& text, std::string_view suffix) {
    if (text.size() < suffix.size() || text.substr(text.size() - suffix.size()) != suffix) return false;
    text.remove_suffix(suffix.size());
    return true;
}

/// The resource named by the last path segment; false for a name we do not serve.
bool parse_name(std::string_view name, HlsTarget& t) {
    using R = HlsTarget::Resource;
    if (name == "index.m3u8") {
        t.resource = R::multivariant;
        return true;
    }
    if (name == "media.m3u8") {
        t.resource = R::media_playlist;
        return true;
    }
    if (name == "init.mp4") {
        t.resource = R::init;
        return true;
    }
    if (!consume_suffix(name, ".m4s")) return false;
    if (consume(name, "seg")) {
        auto msn = decimal<std::uint64_t>(name);
        if (!msn) return false;
        t.resource = R::segment;
        t.msn = *msn;
        return true;
    }
    if (consume(name, "part")) {
        auto dot = name.find('.');
        if (dot == std::string_view::npos) return false;
        auto msn = decimal<std::uint64_t>(name.substr(0, dot));
        auto index = decimal<std::uint32_t>(name.substr(dot + 1));
        if (!msn || !index) return false;
        t.resource = R::part;
        t.msn = *msn;
        t.index = *index;
        return true;
    }
    return false;
}

}  // namespace

bool valid_token(std::string_view token) noexcept {
    if (token.empty() || token.size() > 128) return false;
    for (char c : token) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
        if (!ok) return false;
    }
    return true;
}

TargetParse parse_hls_target(std::string_view target) {
    using S = TargetParse::Status;
    std::string_view path = target;
    std::string_view query;
    if (auto q = target.find('?'); q != std::string_view::npos) {
        path = target.substr(0, q);
        query = target.substr(q + 1);
    }
    if (!consume(path, hls_path_prefix)) return fail(S::not_found, "not under /hls/");
    auto slash = path.find('/');
    if (slash == std::string_view::npos) return fail(S::not_found, "no resource after the token");
    std::string_view token = path.substr(0, slash);
    std::string_view name = path.substr(slash + 1);
    if (!valid_token(token)) return fail(S::not_found, "not a stream token");

    TargetParse result;
    result.status = S::ok;
    result.target.token = std::string(token);
    if (!parse_name(name, result.target)) return fail(S::not_found, "no such resource");
    if (result.target.resource != HlsTarget::Resource::media_playlist) return result;

    // Delivery directives: name=value pairs joined by '&'.
    bool skip_seen = false;
    while (!query.empty()) {
        auto amp = query.find('&');
        std::string_view pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
        auto eq = pair.find('=');
        std::string_view key = pair.substr(0, eq);
        std::string_view value = eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
        if (key == "_HLS_msn") {
            auto msn = decimal<std::uint64_t>(value);
            if (!msn || result.target.block_msn) return fail(S::bad_request, "_HLS_msn is not one decimal integer");
            result.target.block_msn = msn;
        } else if (key == "_HLS_part") {
            auto part = decimal<std::uint32_t>(value);
            if (!part || result.target.block_part) return fail(S::bad_request, "_HLS_part is not one decimal integer");
            result.target.block_part = part;
        } else if (key == "_HLS_skip") {
            if ((value != "YES" && value != "v2") || skip_seen)
                return fail(S::bad_request, "_HLS_skip is not YES or v2");
            skip_seen = true;
        }
    }
    if (result.target.block_part && !result.target.block_msn) return fail(S::bad_request, "_HLS_part without _HLS_msn");
    return result;
}

}  // namespace switchboard::hls
