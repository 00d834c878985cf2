/// \file http_util.hpp
/// \brief The few header values our HTTP services read that Beast leaves as text: media
/// types, bearer tokens; and a token compare. Pure functions that never throw on any input
/// (tests/fuzz/whep_http_util_fuzz.cpp).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace switchboard::http {

/// True when a Content-Type value names `type` ("application/sdp", given as lower case),
/// parameters ignored: "Application/SDP; charset=utf-8" names application/sdp
/// (RFC 9110 §8.3.1: type and subtype are case-insensitive).
bool media_type_is(std::string_view content_type, std::string_view type) noexcept;

/// The token of an Authorization value "Bearer <token>" (RFC 6750 §2.1; the scheme is
/// case-insensitive), or nullopt for another scheme or an empty token.
std::optional<std::string_view> bearer_token(std::string_view authorization) noexcept;

/// a == b, in a time that depends on the lengths only, not on where they differ: a
/// token compare must not tell an attacker how many leading bytes were right.
bool constant_time_equal(std::string_view a, std::string_view b) noexcept;

/// A path segment with its %XX escapes decoded (RFC 3986 §2.1; "+" stays "+", as it
/// does in a path); nullopt for a malformed escape or an encoded NUL.
std::optional<std::string> percent_decode(std::string_view segment);

}  // namespace switchboard::http
