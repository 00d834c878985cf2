/// \file call_event_builder.hpp
/// \brief Writes the contents of the m.call.* events we send, exactly as matrix-voip.md
/// says each version carries them (§0 items 1, 3, 5, 8, 15, 20; §1.2–1.3):
/// - version "1": `version` the string "1", `party_id` on every event, `invitee` and
///   `lifetime` on the invite, `sdp_stream_metadata` keyed by the SDP's msid stream IDs;
/// - version 0: `version` the integer 0 and only the v0 fields (no party_id, invitee,
///   metadata; no select_answer, reject or negotiate at all).
/// Each builder checks its input (ID grammar, SDP size) and refuses rather than send
/// something the far side drops.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "matrix/call_events/call_event.hpp"

namespace switchboard::matrix {

/// js-sdk's CALL_TIMEOUT_MS: the `lifetime` it sends on invites and negotiates (§2.2).
inline constexpr std::int64_t kDefaultLifetimeMs = 60000;

/// Which version a call speaks; fixed for the whole call (§0 item 16).
enum class CallProtocol { v0, v1 };

/// Who we are in one call: the same call_id, version and party_id on every event.
struct OwnCallParty {
    std::string call_id;
    CallProtocol protocol = CallProtocol::v1;
    /// Ours for the whole call (v1): 1-255 chars of [0-9A-Za-z._~-], e.g. the device ID.
    std::string party_id;
};

/// Mute flags for the metadata of our one camera stream.
struct LocalMedia {
    std::string purpose = "m.usermedia";
    bool audio_muted = false;
    bool video_muted = false;
};

struct InviteParams {
    std::string offer_sdp;
    std::int64_t lifetime_ms = kDefaultLifetimeMs;
    /// The target user (v1). Empty only for a room call with no single callee.
    std::string invitee;
    LocalMedia media;
};

/// True for the opaque-ID grammar [0-9A-Za-z._~-], 1-255 chars (call_id, party_id).
bool is_opaque_id(std::string_view id) noexcept;
/// The stream IDs of the SDP's `a=msid:<stream> <track>` lines, in first-seen order,
/// without duplicates and without "-" (no stream).
std::vector<std::string> msid_streams(std::string_view sdp);

Result<std::string> build_invite(const OwnCallParty& party, const InviteParams& params);
Result<std::string> build_answer(const OwnCallParty& party, std::string_view answer_sdp, const LocalMedia& media = {});
/// `candidates` in order; an end marker must be last (the batcher puts it there).
Result<std::string> build_candidates(const OwnCallParty& party, const std::vector<Candidate>& candidates);
/// v1 only.
Result<std::string> build_select_answer(const OwnCallParty& party, std::string_view selected_party_id);
/// v1 only. `reason` is not in the spec; js-sdk reads it (we send user_busy when busy).
Result<std::string> build_reject(const OwnCallParty& party, std::optional<HangupReason> reason = std::nullopt);
/// v1 only. `type` "offer" or "answer" (the reply to a received offer).
Result<std::string> build_negotiate(const OwnCallParty& party, std::string_view type, std::string_view sdp,
                                    const LocalMedia& media = {}, std::int64_t lifetime_ms = kDefaultLifetimeMs);
/// v1 always carries a reason. v0 leaves out user_hangup, as js-sdk does for a v0
/// opponent, and carries any other reason (user_busy declines a busy v0 call).
Result<std::string> build_hangup(const OwnCallParty& party, HangupReason reason);

}  // namespace switchboard::matrix
