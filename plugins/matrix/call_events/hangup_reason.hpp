/// \file hangup_reason.hpp
/// \brief The `reason` of m.call.hangup: the spec's fixed list (matrix-voip.md §1.3). We
/// only ever send these; on receive any string is accepted (js-sdk sends `replaced`,
/// `signalling_timeout`, `new_session`), so parsing unknown text yields nullopt, not an error.
#pragma once

#include <optional>
#include <string_view>

namespace switchboard::matrix {

enum class HangupReason {
    ice_failed,         ///< ICE failed, no media connection was ever established
    ice_timeout,        ///< connection lost after media had flowed
    invite_timeout,     ///< the other party did not answer within `lifetime`
    user_hangup,        ///< the user ended the call; also what a missing reason means
    user_media_failed,  ///< could not capture local media
    user_busy,          ///< busy; also sent as a (non-spec) m.call.reject reason, js-sdk reads it
    unknown_error,      ///< any other failure
};

/// The wire string ("ice_failed", ...).
std::string_view to_string(HangupReason reason) noexcept;
/// The enum value of a wire string; nullopt for anything outside the spec's list.
std::optional<HangupReason> parse_hangup_reason(std::string_view text) noexcept;

}  // namespace switchboard::matrix
