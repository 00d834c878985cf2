/// \file http_util.hpp
/// \brief The few header and body values WHEP/WHIP read that Beast leaves as text:
/// media types, bearer tokens, trickle-ice-sdpfrag bodies. Pure functions that never
/// throw on any input (tests/fuzz/whep_http_util_fuzz.cpp).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace switchboard::whep {

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

/// What a trickle-ice-sdpfrag body (RFC 8840) asks of Call::add_remote_candidate(), in
/// order: each "a=candidate:..." line as it is, and "" for "a=end-of-candidates". Other
/// lines (ice-ufrag, ice-pwd, m=, a=mid) are skipped: one BUNDLE transport, no restart.
std::vector<std::string> trickle_candidates(std::string_view sdpfrag);

/// True for what new_session_id() makes: 16 lower-case hex digits.
bool is_session_id(std::string_view id) noexcept;

/// A fresh random session id (64 bits from std::random_device, as hex): it is also the
/// resource URL, so it must not be guessable.
std::string new_session_id();

}  // namespace switchboard::whep
