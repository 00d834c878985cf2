#include "matrix/call_events/hangup_reason.hpp"

#include <array>
#include <utility>

namespace switchboard::matrix {
namespace {

constexpr std::array<std::pair<HangupReason, std::string_view>, 7> kReasons{{
    {HangupReason::ice_failed, "ice_failed"},
    {HangupReason::ice_timeout, "ice_timeout"},
    {HangupReason::invite_timeout, "invite_timeout"},
    {HangupReason::user_hangup, "user_hangup"},
    {HangupReason::user_media_failed, "user_media_failed"},
    {HangupReason::user_busy, "user_busy"},
    {HangupReason::unknown_error, "unknown_error"},
}};

}  // namespace

std::string_view to_string(HangupReason reason) noexcept {
    for (const auto& [value, text] : kReasons)
        if (value == reason) return text;
    return "unknown_error";
}

std::optional<HangupReason> parse_hangup_reason(std::string_view text) noexcept {
    for (const auto& [value, name] : kReasons)
        if (name == text) return value;
    return std::nullopt;
}

}  // namespace switchboard::matrix
