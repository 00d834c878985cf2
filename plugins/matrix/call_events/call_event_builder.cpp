#include "matrix/call_events/call_event_builder.hpp"

#include <algorithm>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace switchboard::matrix {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

/// js-sdk drops an invite whose remaining life is under RING_GRACE_PERIOD (3000 ms, §2.2):
/// a shorter lifetime never rings anywhere.
constexpr std::int64_t kMinLifetimeMs = 3001;

void put(Writer& w, std::string_view key, std::string_view value) {
    w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
    w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

Error refuse(std::string_view type, const std::string& what) {
    return Error(ErrorKind::refused, std::string(type), 0, "", std::string(type) + ": " + what);
}

/// Checks the identity and writes the common fields (§1.2) into an open object.
class Content {
public:
    Content(std::string_view type, const OwnCallParty& party) : m_type(type), m_party(party), m_writer(m_buffer) {}

    std::optional<Error> begin() {
        if (!is_opaque_id(m_party.call_id)) return refuse(m_type, "call_id must be 1-255 chars of [0-9A-Za-z._~-]");
        if (v1() && !is_opaque_id(m_party.party_id))
            return refuse(m_type, "party_id must be 1-255 chars of [0-9A-Za-z._~-]");
        m_writer.StartObject();
        put(m_writer, "call_id", m_party.call_id);
        if (v1()) {
            put(m_writer, "party_id", m_party.party_id);
            put(m_writer, "version", "1");  // the string, never the number 1 (§0 item 1)
        } else {
            m_writer.Key("version");
            m_writer.Int(0);
        }
        return std::nullopt;
    }
    bool v1() const noexcept { return m_party.protocol == CallProtocol::v1; }
    Writer& writer() noexcept { return m_writer; }
    std::string finish() {
        m_writer.EndObject();
        return std::string(m_buffer.GetString(), m_buffer.GetSize());
    }

private:
    std::string_view m_type;
    const OwnCallParty& m_party;
    rapidjson::StringBuffer m_buffer;
    Writer m_writer;
};

std::optional<Error> check_sdp(std::string_view type, std::string_view sdp) {
    if (sdp.empty()) return refuse(type, "empty SDP");
    if (sdp.size() > kMaxSdpBytes)
        return refuse(type,
                      "SDP of " + std::to_string(sdp.size()) + " bytes, more than " + std::to_string(kMaxSdpBytes));
    return std::nullopt;
}

void put_description(Writer& w, std::string_view key, std::string_view type, std::string_view sdp) {
    w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
    w.StartObject();
    put(w, "type", type);
    put(w, "sdp", sdp);
    w.EndObject();
}

/// §1.4 / §0 item 20: keys exactly the SDP's msid stream IDs; left out when it has none.
/// Under both names: js-sdk up to at least 37.5.0 reads only the MSC3077 key
/// (lib/webrtc/callEventTypes.js), later ones the stable key.
void put_metadata(Writer& w, std::string_view sdp, const LocalMedia& media) {
    const auto streams = msid_streams(sdp);
    if (streams.empty()) return;
    for (const char* key : {"sdp_stream_metadata", "org.matrix.msc3077.sdp_stream_metadata"}) {
        w.Key(key);
        w.StartObject();
        for (const auto& id : streams) {
            w.Key(id.data(), static_cast<rapidjson::SizeType>(id.size()));
            w.StartObject();
            put(w, "purpose", media.purpose);
            w.Key("audio_muted");
            w.Bool(media.audio_muted);
            w.Key("video_muted");
            w.Bool(media.video_muted);
            w.EndObject();
        }
        w.EndObject();
    }
}

}  // namespace

bool is_opaque_id(std::string_view id) noexcept {
    if (id.empty() || id.size() > kMaxIdBytes) return false;
    return std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '.' || c == '_' ||
               c == '~' || c == '-';
    });
}

std::vector<std::string> msid_streams(std::string_view sdp) {
    constexpr std::string_view kPrefix = "a=msid:";
    std::vector<std::string> out;
    while (!sdp.empty()) {
        const auto end = sdp.find('\n');
        std::string_view line = sdp.substr(0, end);
        sdp = end == std::string_view::npos ? std::string_view() : sdp.substr(end + 1);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.substr(0, kPrefix.size()) != kPrefix) continue;
        line.remove_prefix(kPrefix.size());
        const std::string_view stream = line.substr(0, line.find(' '));
        // "-" is RFC 8830's "no stream": js-sdk ignores streamless tracks.
        if (stream.empty() || stream == "-") continue;
        if (std::find(out.begin(), out.end(), stream) == out.end()) out.emplace_back(stream);
    }
    return out;
}

Result<std::string> build_invite(const OwnCallParty& party, const InviteParams& params) {
    constexpr std::string_view type = "m.call.invite";
    if (auto e = check_sdp(type, params.offer_sdp)) return *e;
    if (params.lifetime_ms < kMinLifetimeMs)
        return refuse(type, "lifetime " + std::to_string(params.lifetime_ms) + " ms is too short to ring (min " +
                                std::to_string(kMinLifetimeMs) + ")");
    Content c(type, party);
    if (c.v1() && !params.invitee.empty() && params.invitee.front() != '@')
        return refuse(type, "invitee must be a user ID");
    if (auto e = c.begin()) return *e;
    auto& w = c.writer();
    w.Key("lifetime");
    w.Int64(params.lifetime_ms);
    put_description(w, "offer", "offer", params.offer_sdp);
    if (c.v1()) {
        if (!params.invitee.empty()) put(w, "invitee", params.invitee);
        put_metadata(w, params.offer_sdp, params.media);
    }
    return c.finish();
}

Result<std::string> build_answer(const OwnCallParty& party, std::string_view answer_sdp, const LocalMedia& media) {
    constexpr std::string_view type = "m.call.answer";
    if (auto e = check_sdp(type, answer_sdp)) return *e;
    Content c(type, party);
    if (auto e = c.begin()) return *e;
    put_description(c.writer(), "answer", "answer", answer_sdp);
    if (c.v1()) put_metadata(c.writer(), answer_sdp, media);
    return c.finish();
}

Result<std::string> build_candidates(const OwnCallParty& party, const std::vector<Candidate>& candidates) {
    constexpr std::string_view type = "m.call.candidates";
    // [] carries no meaning (§1.10): nothing worth a rate-limited event.
    if (candidates.empty()) return refuse(type, "no candidates");
    if (candidates.size() > kMaxCandidatesPerEvent)
        return refuse(type, std::to_string(candidates.size()) + " candidates, more than " +
                                std::to_string(kMaxCandidatesPerEvent));
    for (std::size_t i = 0; i < candidates.size(); ++i) {
        const auto& cand = candidates[i];
        if (cand.end_of_candidates()) {
            if (i + 1 != candidates.size()) return refuse(type, "end-of-candidates must be the last entry");
            continue;
        }
        if (cand.candidate.size() > kMaxCandidateBytes) return refuse(type, "candidate too long");
        // The v0 schema required both; v1 (spec 1.10) needs one of them.
        const bool located = party.protocol == CallProtocol::v0 ? cand.sdp_mid && cand.sdp_mline_index
                                                                : cand.sdp_mid || cand.sdp_mline_index;
        if (!located) return refuse(type, "candidate " + std::to_string(i) + " lacks sdpMid/sdpMLineIndex");
    }
    Content c(type, party);
    if (auto e = c.begin()) return *e;
    auto& w = c.writer();
    w.Key("candidates");
    w.StartArray();
    for (const auto& cand : candidates) {
        w.StartObject();
        put(w, "candidate", cand.candidate);
        // The end marker is exactly {"candidate": ""} (§0 item 8).
        if (!cand.end_of_candidates()) {
            if (cand.sdp_mid) put(w, "sdpMid", *cand.sdp_mid);
            if (cand.sdp_mline_index) {
                w.Key("sdpMLineIndex");
                w.Uint(*cand.sdp_mline_index);
            }
        }
        w.EndObject();
    }
    w.EndArray();
    return c.finish();
}

Result<std::string> build_select_answer(const OwnCallParty& party, std::string_view selected_party_id) {
    constexpr std::string_view type = "m.call.select_answer";
    if (party.protocol == CallProtocol::v0) return refuse(type, "not part of version 0");
    if (selected_party_id.empty() || selected_party_id.size() > kMaxIdBytes)
        return refuse(type, "selected_party_id must be 1-255 bytes");
    Content c(type, party);
    if (auto e = c.begin()) return *e;
    put(c.writer(), "selected_party_id", selected_party_id);
    return c.finish();
}

Result<std::string> build_reject(const OwnCallParty& party, std::optional<HangupReason> reason) {
    constexpr std::string_view type = "m.call.reject";
    // A v0 caller knows no reject: decline with m.call.hangup instead (§0 item 14).
    if (party.protocol == CallProtocol::v0) return refuse(type, "not part of version 0, send m.call.hangup");
    Content c(type, party);
    if (auto e = c.begin()) return *e;
    if (reason) put(c.writer(), "reason", to_string(*reason));
    return c.finish();
}

Result<std::string> build_negotiate(const OwnCallParty& party, std::string_view sdp_type, std::string_view sdp,
                                    const LocalMedia& media, std::int64_t lifetime_ms) {
    constexpr std::string_view type = "m.call.negotiate";
    if (party.protocol == CallProtocol::v0) return refuse(type, "not part of version 0");
    if (sdp_type != "offer" && sdp_type != "answer") return refuse(type, "description type must be offer or answer");
    if (auto e = check_sdp(type, sdp)) return *e;
    if (lifetime_ms <= 0) return refuse(type, "lifetime must be positive");
    Content c(type, party);
    if (auto e = c.begin()) return *e;
    auto& w = c.writer();
    w.Key("lifetime");
    w.Int64(lifetime_ms);
    put_description(w, "description", sdp_type, sdp);
    put_metadata(w, sdp, media);
    return c.finish();
}

Result<std::string> build_hangup(const OwnCallParty& party, HangupReason reason) {
    Content c("m.call.hangup", party);
    if (auto e = c.begin()) return *e;
    if (c.v1() || reason != HangupReason::user_hangup) put(c.writer(), "reason", to_string(reason));
    return c.finish();
}

}  // namespace switchboard::matrix
