// The legacy call event parser (m.call.* contents from other people's clients). The first
// byte picks the event type, the rest is the content JSON. Checks what the parser promises:
// an accepted event has the requested type, its required fields and the limits kept; a
// refusal names the event type.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "matrix/call_events/call_event.hpp"

namespace {

constexpr std::string_view kTypes[] = {"m.call.invite", "m.call.candidates", "m.call.answer", "m.call.select_answer",
                                       "m.call.reject", "m.call.negotiate",  "m.call.hangup", "m.call.unknown"};

void check_sdp(const switchboard::matrix::SessionDescription& d) {
    if (d.sdp.empty() || d.sdp.size() > switchboard::matrix::kMaxSdpBytes || d.type.empty()) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace switchboard::matrix;
    if (size == 0) return 0;
    const std::string_view type = kTypes[data[0] % (sizeof(kTypes) / sizeof(kTypes[0]))];
    const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
    auto result = parse_call_event(type, text);
    if (!result) {
        if (result.error().message.substr(0, type.size()) != type) __builtin_trap();
        return 0;
    }
    const CallEvent& event = result.value();
    if (event_type(event) != type) __builtin_trap();
    const CallCommon& c = common(event);
    if (c.call_id.empty() || c.call_id.size() > kMaxIdBytes) __builtin_trap();
    if (!c.version.is_v0() && (!c.party_id || c.party_id->empty())) __builtin_trap();
    if (const auto* invite = std::get_if<CallInvite>(&event)) {
        check_sdp(invite->offer);
        if (invite->offer.type != "offer" || invite->lifetime_ms < 0) __builtin_trap();
    } else if (const auto* answer = std::get_if<CallAnswer>(&event)) {
        check_sdp(answer->answer);
    } else if (const auto* negotiate = std::get_if<CallNegotiate>(&event)) {
        check_sdp(negotiate->description);
    } else if (const auto* list = std::get_if<CallCandidates>(&event)) {
        if (list->candidates.size() > kMaxCandidatesPerEvent) __builtin_trap();
        for (const auto& cand : list->candidates)
            if (!cand.end_of_candidates() && !cand.sdp_mid && !cand.sdp_mline_index) __builtin_trap();
    } else if (const auto* hangup = std::get_if<CallHangup>(&event)) {
        if (hangup->reason.empty() && hangup->reason_present == false) __builtin_trap();
    }
    return 0;
}
