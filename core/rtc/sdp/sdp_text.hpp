/// \file sdp_text.hpp
/// \brief Small text helpers shared by the SDP parsers and writers (internal to sdp/).
///
/// SDP (RFC 8866) is line-oriented text with space-separated tokens. These helpers never
/// throw and never allocate beyond the tokens they return; numbers are parsed strictly
/// (digits only, range-checked) because a lenient parser would make round trips unstable.
#pragma once

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace switchboard::rtc::sdp::text {

/// Splits on runs of spaces (and tabs); no empty tokens.
std::vector<std::string_view> tokens(std::string_view s);

/// Splits off the first token: {"a", "b c"} for "a b c"; the rest keeps inner spaces
/// but loses the separating run of spaces.
std::pair<std::string_view, std::string_view> split_first(std::string_view s);

/// Removes leading and trailing spaces and tabs.
std::string_view trim(std::string_view s);

/// True when `s` has no space or tab (a single SDP token).
bool is_token(std::string_view s);

/// Decimal digits only, within [lo, hi].
template <class T>
std::optional<T> number(std::string_view s, T lo, T hi) {
    if (s.empty() || s.size() > 20) return std::nullopt;
    for (char c : s)
        if (c < '0' || c > '9') return std::nullopt;
    T value{};
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec != std::errc() || end != s.data() + s.size() || value < lo || value > hi) return std::nullopt;
    return value;
}

/// ASCII case-insensitive equality.
bool iequals(std::string_view a, std::string_view b);

/// Lower-cases ASCII letters.
std::string lower(std::string_view s);

/// Joins with single spaces.
std::string join(const std::vector<std::string>& parts);

}  // namespace switchboard::rtc::sdp::text
