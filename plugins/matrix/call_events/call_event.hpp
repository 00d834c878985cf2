/// \file call_event.hpp
/// \brief Typed contents of the legacy 1:1 VoIP room events (m.call.*, matrix-voip.md
/// §1.2–1.4) and their parser. Event contents come from other people's clients: the parser
/// never throws, refuses what breaks a required field, a type or a limit, and says where
/// ("m.call.invite: /offer/sdp: expected string, found number").
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <rapidjson/document.h>

#include "matrix/call_events/hangup_reason.hpp"
#include "matrix_client/error.hpp"

namespace switchboard::matrix {

/// Limits on what we accept (and build). Matrix caps a whole event at 65536 bytes anyway;
/// these bound the work one event can cause.
inline constexpr std::size_t kMaxSdpBytes = 64 * 1024;
inline constexpr std::size_t kMaxCandidatesPerEvent = 256;
inline constexpr std::size_t kMaxCandidateBytes = 4096;
inline constexpr std::size_t kMaxIdBytes = 255;  ///< call_id, party_id (opaque-ID grammar limit)
inline constexpr std::size_t kMaxStreams = 32;   ///< entries of sdp_stream_metadata
inline constexpr std::size_t kMaxContentBytes = 256 * 1024;

/// The `version` field: integer 0, string "1", or anything else, which js-sdk and the spec
/// treat as "1" (§1.2, checklist 2), e.g. the number 1 older Element sent. Only string and
/// number values are accepted; objects, arrays, booleans and null are refused.
class CallVersion {
public:
    enum class Wire { v0, v1, other };

    static CallVersion v0() { return CallVersion(Wire::v0, "0"); }
    static CallVersion v1() { return CallVersion(Wire::v1, "\"1\""); }
    /// A value that is neither 0 nor "1"; `raw` is its JSON text (for logs).
    static CallVersion other(std::string raw) { return CallVersion(Wire::other, std::move(raw)); }

    Wire wire() const noexcept { return m_wire; }
    /// v0 rules apply (no party_id, reject, select_answer, negotiate); everything else is v1.
    bool is_v0() const noexcept { return m_wire == Wire::v0; }
    /// The JSON text as received (`0`, `"1"`, `1`, `"2"`...).
    const std::string& raw() const noexcept { return m_raw; }

    friend bool operator==(const CallVersion& a, const CallVersion& b) {
        return a.m_wire == b.m_wire && a.m_raw == b.m_raw;
    }

private:
    CallVersion(Wire wire, std::string raw) : m_wire(wire), m_raw(std::move(raw)) {}
    Wire m_wire;
    std::string m_raw;
};

/// §1.2: the fields of every m.call.* content.
struct CallCommon {
    std::string call_id;
    CallVersion version = CallVersion::v1();
    /// Required for v1; for v0 ignored (js-sdk treats a v0 opponent's party as null).
    std::optional<std::string> party_id;
};

/// An RTCSessionDescriptionInit: `offer`, `answer`, or a negotiate's `description`.
struct SessionDescription {
    std::string type;  ///< "offer" | "answer"
    std::string sdp;
};

/// §1.4: one entry of sdp_stream_metadata, keyed by the msid stream ID.
struct StreamMetadata {
    std::string purpose = "m.usermedia";  ///< "m.usermedia" | "m.screenshare" | unknown (ignore the stream)
    bool audio_muted = false;
    bool video_muted = false;
    friend bool operator==(const StreamMetadata&, const StreamMetadata&) = default;
};
using SdpStreamMetadata = std::map<std::string, StreamMetadata>;

/// One ICE candidate of m.call.candidates. `candidate` empty = end-of-candidates (§1.10).
struct Candidate {
    std::string candidate;
    std::optional<std::string> sdp_mid;
    std::optional<std::uint32_t> sdp_mline_index;

    bool end_of_candidates() const noexcept { return candidate.empty(); }
    static Candidate end_marker() { return {}; }
    friend bool operator==(const Candidate&, const Candidate&) = default;
};

struct CallInvite : CallCommon {
    SessionDescription offer;
    std::int64_t lifetime_ms = 0;
    std::optional<std::string> invitee;  ///< only that user may answer
    std::optional<SdpStreamMetadata> sdp_stream_metadata;
};

struct CallCandidates : CallCommon {
    std::vector<Candidate> candidates;  ///< may be empty (which signals nothing)
    /// True when the list holds an end-of-candidates entry.
    bool has_end_of_candidates() const noexcept;
};

struct CallAnswer : CallCommon {
    SessionDescription answer;
    std::optional<SdpStreamMetadata> sdp_stream_metadata;
};

/// v1 only.
struct CallSelectAnswer : CallCommon {
    std::string selected_party_id;
};

/// v1 only. The spec gives it no reason; js-sdk reads one (we send "user_busy").
struct CallReject : CallCommon {
    std::optional<std::string> reason;
};

/// v1 only.
struct CallNegotiate : CallCommon {
    SessionDescription description;  ///< type "offer" or "answer"
    std::int64_t lifetime_ms = 0;
    std::optional<SdpStreamMetadata> sdp_stream_metadata;
};

struct CallHangup : CallCommon {
    /// The wire text, any string (js-sdk sends non-spec ones); "user_hangup" when absent.
    std::string reason = "user_hangup";
    bool reason_present = false;
    /// The reason if it is on the spec's list.
    std::optional<HangupReason> known_reason() const noexcept { return parse_hangup_reason(reason); }
};

using CallEvent =
    std::variant<CallInvite, CallCandidates, CallAnswer, CallSelectAnswer, CallReject, CallNegotiate, CallHangup>;

/// The common fields of any call event.
const CallCommon& common(const CallEvent& event) noexcept;
/// The event type ("m.call.invite", ...) of a call event.
std::string_view event_type(const CallEvent& event) noexcept;
/// True for the seven types this model knows.
bool is_call_event_type(std::string_view type) noexcept;

/// Parses the content of a room event of type `type`. Refuses unknown types, v1-only
/// events at version 0, missing/mistyped required fields and values past the limits, with
/// an Error (kind protocol, endpoint = the type) whose message names the JSON pointer.
Result<CallEvent> parse_call_event(std::string_view type, const rapidjson::Value& content);
/// Same, from JSON text (parsed iteratively: deep nesting cannot exhaust the stack).
Result<CallEvent> parse_call_event(std::string_view type, std::string_view content_json);

}  // namespace switchboard::matrix
