/// \file whep_text.hpp
/// \brief The WHEP/WHIP values that are text of their own: trickle-ice-sdpfrag bodies and
/// session ids. Pure functions that never throw on any input but allocation
/// (tests/fuzz/whep_http_util_fuzz.cpp). The generic header readers are in http/http_util.hpp.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace switchboard::whep {

/// What a trickle-ice-sdpfrag body (RFC 8840) asks of Call::add_remote_candidate(), in
/// order: each "a=candidate:..." line as it is, and "" for "a=end-of-candidates". Other
/// lines (ice-ufrag, ice-pwd, m=, a=mid) are skipped: one BUNDLE transport, no restart.
std::vector<std::string> trickle_candidates(std::string_view sdpfrag);

/// True for what new_session_id() makes: 16 lower-case hex digits.
bool is_session_id(std::string_view id) noexcept;

/// A fresh random session id (64 bits from std::random_device, as hex): it is also the
/// resource URL, so it must not be guessable.
std::string new_session_id();

/// `bytes` random bytes from std::random_device as lower-case hex: session ids, tokens.
std::string random_hex(std::size_t bytes);

}  // namespace switchboard::whep
