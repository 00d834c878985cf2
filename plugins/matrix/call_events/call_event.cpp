#include "matrix/call_events/call_event.hpp"

#include <rapidjson/error/en.h>
#include <rapidjson/pointer.h>
#include <rapidjson/stringbuffer.h>

#include "matrix_client/json_util.hpp"

namespace switchboard::matrix {
namespace {

using Value = rapidjson::Value;
using Path = rapidjson::Pointer;

constexpr std::string_view kInvite = "m.call.invite";
constexpr std::string_view kCandidates = "m.call.candidates";
constexpr std::string_view kAnswer = "m.call.answer";
constexpr std::string_view kSelectAnswer = "m.call.select_answer";
constexpr std::string_view kReject = "m.call.reject";
constexpr std::string_view kNegotiate = "m.call.negotiate";
constexpr std::string_view kHangup = "m.call.hangup";
/// Older Element Android still sends the unstable MSC3077 key (§1.4); the stable one wins.
constexpr const char* kMetadataKey = "sdp_stream_metadata";
constexpr const char* kUnstableMetadataKey = "org.matrix.msc3077.sdp_stream_metadata";
/// Bounds on free-text fields (reasons, purposes, the raw text of an unknown version).
constexpr std::size_t kMaxShortText = 255;

const char* json_kind(const Value& v) noexcept {
    switch (v.GetType()) {
        case rapidjson::kNullType:
            return "null";
        case rapidjson::kFalseType:
        case rapidjson::kTrueType:
            return "boolean";
        case rapidjson::kObjectType:
            return "object";
        case rapidjson::kArrayType:
            return "array";
        case rapidjson::kStringType:
            return "string";
        case rapidjson::kNumberType:
            return "number";
    }
    return "value";
}

/// Path + key. (RapidJSON 1.1's Append(const char*) does not compile: StrLen unqualified.)
Path operator/(const Path& path, const char* key) {
    return path.Append(key, static_cast<rapidjson::SizeType>(std::char_traits<char>::length(key)));
}

std::string_view view(const Value& v) noexcept {
    return {v.GetString(), v.GetStringLength()};
}

/// Collects the first failure; every reader returns false once it has one.
class Reader {
public:
    explicit Reader(std::string_view type) : m_type(type) {}

    bool fail(const Path& at, std::string_view what) {
        if (m_error) return false;
        rapidjson::StringBuffer buffer;
        at.Stringify(buffer);
        std::string where = buffer.GetSize() == 0 ? std::string("content") : std::string(buffer.GetString());
        m_error = Error(ErrorKind::protocol, std::string(m_type), 0, "",
                        std::string(m_type) + ": " + where + ": " + std::string(what));
        return false;
    }
    bool expected(const Path& at, std::string_view want, const Value& found) {
        return fail(at, "expected " + std::string(want) + ", found " + json_kind(found));
    }
    Error take_error() { return m_error ? std::move(*m_error) : Error(); }

    /// A string member; `required` decides whether absence (or null) fails.
    bool text(const Value& obj, const Path& at, const char* key, std::optional<std::string>& out, std::size_t max,
              bool required, bool allow_empty = true) {
        const Path here = at / key;
        const Value* v = json::member(obj, key);
        if (!v || v->IsNull()) return required ? fail(here, "required field missing") : true;
        if (!v->IsString()) return expected(here, "string", *v);
        if (v->GetStringLength() > max)
            return fail(here, std::to_string(v->GetStringLength()) + " bytes, more than " + std::to_string(max));
        if (!allow_empty && v->GetStringLength() == 0) return fail(here, "must not be empty");
        out = std::string(view(*v));
        return true;
    }
    bool required_text(const Value& obj, const Path& at, const char* key, std::string& out, std::size_t max,
                       bool allow_empty) {
        std::optional<std::string> value;
        if (!text(obj, at, key, value, max, true, allow_empty)) return false;
        out = std::move(*value);
        return true;
    }
    bool boolean(const Value& obj, const Path& at, const char* key, bool& out) {
        const Value* v = json::member(obj, key);
        if (!v || v->IsNull()) return true;
        if (!v->IsBool()) return expected(at / key, "boolean", *v);
        out = v->GetBool();
        return true;
    }
    /// `lifetime`: a non-negative integer of milliseconds.
    bool lifetime(const Value& obj, std::int64_t& out) {
        const Path here = Path() / "lifetime";
        const Value* v = json::member(obj, "lifetime");
        if (!v || v->IsNull()) return fail(here, "required field missing");
        if (!v->IsInt64()) return expected(here, "integer", *v);
        if (v->GetInt64() < 0) return fail(here, "must not be negative");
        out = v->GetInt64();
        return true;
    }

    bool version(const Value& obj, CallVersion& out) {
        const Path here = Path() / "version";
        const Value* v = json::member(obj, "version");
        if (!v || v->IsNull()) return fail(here, "required field missing");
        if (v->IsNumber()) {
            // js-sdk tests `version === 0`: 0, 0.0 and -0 are all v0 there.
            out = v->GetDouble() == 0.0 ? CallVersion::v0() : CallVersion::other(json::to_string(*v));
            return true;
        }
        if (!v->IsString()) return expected(here, "string \"1\" or integer 0", *v);
        if (v->GetStringLength() > kMaxShortText) return fail(here, "unknown version, too long");
        out = view(*v) == "1" ? CallVersion::v1() : CallVersion::other(json::to_string(*v));
        return true;
    }

    bool common(const Value& obj, CallCommon& out) {
        if (!required_text(obj, Path(), "call_id", out.call_id, kMaxIdBytes, false)) return false;
        if (!version(obj, out.version)) return false;
        if (out.version.is_v0()) {
            // v0 has no party_id; one sent anyway is ignored like js-sdk does, so no type check.
            const Value* v = json::member(obj, "party_id");
            if (v && v->IsString() && v->GetStringLength() > 0 && v->GetStringLength() <= kMaxIdBytes)
                out.party_id = std::string(view(*v));
            return true;
        }
        std::optional<std::string> party;
        if (!text(obj, Path(), "party_id", party, kMaxIdBytes, true, false)) return false;
        out.party_id = std::move(party);
        return true;
    }

    bool v1_only(const CallCommon& c) {
        if (!c.version.is_v0()) return true;
        return fail(Path() / "version", std::string(m_type) + " exists only in version \"1\", found 0");
    }

    /// `offer` / `answer` / `description`: {type, sdp}; `types` lists the accepted types.
    bool description(const Value& obj, const char* key, std::initializer_list<std::string_view> types,
                     SessionDescription& out) {
        const Path here = Path() / key;
        const Value* v = json::member(obj, key);
        if (!v || v->IsNull()) return fail(here, "required field missing");
        if (!v->IsObject()) return expected(here, "object", *v);
        if (!required_text(*v, here, "type", out.type, kMaxShortText, false)) return false;
        bool known = false;
        for (auto t : types) known = known || t == out.type;
        if (!known) {
            std::string want;
            for (auto t : types) want += (want.empty() ? "\"" : " or \"") + std::string(t) + "\"";
            return fail(here / "type", "expected " + want + ", found " + json::quote(out.type));
        }
        return required_text(*v, here, "sdp", out.sdp, kMaxSdpBytes, false);
    }

    bool metadata(const Value& obj, std::optional<SdpStreamMetadata>& out) {
        const char* key = kMetadataKey;
        const Value* v = json::member(obj, key);
        if (!v || v->IsNull()) {
            key = kUnstableMetadataKey;
            v = json::member(obj, key);
        }
        if (!v || v->IsNull()) return true;
        const Path here = Path() / key;
        if (!v->IsObject()) return expected(here, "object", *v);
        if (v->MemberCount() > kMaxStreams)
            return fail(here, std::to_string(v->MemberCount()) + " streams, more than " + std::to_string(kMaxStreams));
        SdpStreamMetadata streams;
        for (const auto& m : v->GetObject()) {
            const Path entry = here.Append(m.name.GetString(), m.name.GetStringLength());
            if (m.name.GetStringLength() == 0 || m.name.GetStringLength() > kMaxIdBytes)
                return fail(entry, "stream ID must be 1 to 255 bytes");
            if (!m.value.IsObject()) return expected(entry, "object", m.value);
            StreamMetadata s;
            if (!required_text(m.value, entry, "purpose", s.purpose, kMaxShortText, false)) return false;
            if (!boolean(m.value, entry, "audio_muted", s.audio_muted)) return false;
            if (!boolean(m.value, entry, "video_muted", s.video_muted)) return false;
            streams.insert_or_assign(std::string(view(m.name)), std::move(s));
        }
        out = std::move(streams);
        return true;
    }

    bool candidate(const Value& v, const Path& here, Candidate& out) {
        if (!v.IsObject()) return expected(here, "object", v);
        // A missing or null `candidate` is end-of-candidates too: js-sdk hands the object to
        // addIceCandidate(), which reads an absent candidate as "".
        std::optional<std::string> text_value;
        if (!text(v, here, "candidate", text_value, kMaxCandidateBytes, false)) return false;
        out.candidate = text_value.value_or("");
        if (!text(v, here, "sdpMid", out.sdp_mid, kMaxShortText, false)) return false;
        if (const Value* index = json::member(v, "sdpMLineIndex"); index && !index->IsNull()) {
            if (!index->IsUint()) return expected(here / "sdpMLineIndex", "non-negative integer", *index);
            out.sdp_mline_index = index->GetUint();
        }
        if (!out.end_of_candidates() && !out.sdp_mid && !out.sdp_mline_index)
            return fail(here, "needs sdpMid or sdpMLineIndex");
        return true;
    }

    bool candidates(const Value& obj, std::vector<Candidate>& out) {
        const Path here = Path() / "candidates";
        const Value* v = json::member(obj, "candidates");
        if (!v || v->IsNull()) return fail(here, "required field missing");
        if (!v->IsArray()) return expected(here, "array", *v);
        if (v->Size() > kMaxCandidatesPerEvent)
            return fail(here,
                        std::to_string(v->Size()) + " candidates, more than " + std::to_string(kMaxCandidatesPerEvent));
        out.reserve(v->Size());
        for (rapidjson::SizeType i = 0; i < v->Size(); ++i) {
            Candidate c;
            if (!candidate((*v)[i], here.Append(i), c)) return false;
            out.push_back(std::move(c));
        }
        return true;
    }

private:
    std::string_view m_type;
    std::optional<Error> m_error;
};

template <class T>
Result<CallEvent> finish(Reader& reader, bool ok, T&& event) {
    if (!ok) return reader.take_error();
    return CallEvent(std::forward<T>(event));
}

}  // namespace

bool CallCandidates::has_end_of_candidates() const noexcept {
    for (const auto& c : candidates)
        if (c.end_of_candidates()) return true;
    return false;
}

const CallCommon& common(const CallEvent& event) noexcept {
    return std::visit([](const auto& e) -> const CallCommon& { return e; }, event);
}

std::string_view event_type(const CallEvent& event) noexcept {
    constexpr std::string_view kTypes[] = {kInvite, kCandidates, kAnswer, kSelectAnswer, kReject, kNegotiate, kHangup};
    return kTypes[event.index()];
}

bool is_call_event_type(std::string_view type) noexcept {
    return type == kInvite || type == kCandidates || type == kAnswer || type == kSelectAnswer || type == kReject ||
           type == kNegotiate || type == kHangup;
}

Result<CallEvent> parse_call_event(std::string_view type, const rapidjson::Value& content) {
    const std::string_view name = type.size() > kMaxShortText ? std::string_view("event") : type;
    Reader r(name);
    if (!is_call_event_type(type)) {
        r.fail(Path(), "not a legacy call event type");
        return r.take_error();
    }
    if (!content.IsObject()) {
        r.expected(Path(), "object", content);
        return r.take_error();
    }
    if (type == kInvite) {
        CallInvite e;
        bool ok = r.common(content, e) && r.description(content, "offer", {"offer"}, e.offer) &&
                  r.lifetime(content, e.lifetime_ms) &&
                  r.text(content, Path(), "invitee", e.invitee, kMaxShortText, false);
        if (ok && e.invitee && (e.invitee->empty() || e.invitee->front() != '@'))
            ok = r.fail(Path() / "invitee", "expected a user ID starting with '@'");
        // v0 predates sdp_stream_metadata (§1.3): not read for a v0 invite.
        if (ok && !e.version.is_v0()) ok = r.metadata(content, e.sdp_stream_metadata);
        return finish(r, ok, std::move(e));
    }
    if (type == kCandidates) {
        CallCandidates e;
        const bool ok = r.common(content, e) && r.candidates(content, e.candidates);
        return finish(r, ok, std::move(e));
    }
    if (type == kAnswer) {
        CallAnswer e;
        bool ok = r.common(content, e) && r.description(content, "answer", {"answer"}, e.answer);
        if (ok && !e.version.is_v0()) ok = r.metadata(content, e.sdp_stream_metadata);
        return finish(r, ok, std::move(e));
    }
    if (type == kSelectAnswer) {
        CallSelectAnswer e;
        const bool ok = r.common(content, e) && r.v1_only(e) &&
                        r.required_text(content, Path(), "selected_party_id", e.selected_party_id, kMaxIdBytes, false);
        return finish(r, ok, std::move(e));
    }
    if (type == kReject) {
        CallReject e;
        const bool ok =
            r.common(content, e) && r.v1_only(e) && r.text(content, Path(), "reason", e.reason, kMaxShortText, false);
        return finish(r, ok, std::move(e));
    }
    if (type == kNegotiate) {
        CallNegotiate e;
        const bool ok = r.common(content, e) && r.v1_only(e) &&
                        r.description(content, "description", {"offer", "answer"}, e.description) &&
                        r.lifetime(content, e.lifetime_ms) && r.metadata(content, e.sdp_stream_metadata);
        return finish(r, ok, std::move(e));
    }
    CallHangup e;
    std::optional<std::string> reason;
    const bool ok = r.common(content, e) && r.text(content, Path(), "reason", reason, kMaxShortText, false);
    if (ok && reason) {
        e.reason = std::move(*reason);
        e.reason_present = true;
    }
    return finish(r, ok, std::move(e));
}

Result<CallEvent> parse_call_event(std::string_view type, std::string_view content_json) {
    const std::string_view name = type.size() > kMaxShortText ? std::string_view("event") : type;
    const auto refuse = [&](std::string what) {
        return Error(ErrorKind::protocol, std::string(name), 0, "", std::string(name) + ": content: " + what);
    };
    if (content_json.size() > kMaxContentBytes)
        return refuse(std::to_string(content_json.size()) + " bytes, more than " + std::to_string(kMaxContentBytes));
    rapidjson::Document doc;
    doc.Parse<rapidjson::kParseIterativeFlag>(content_json.data(), content_json.size());
    if (doc.HasParseError())
        return refuse(std::string("invalid JSON at offset ") + std::to_string(doc.GetErrorOffset()) + ": " +
                      rapidjson::GetParseError_En(doc.GetParseError()));
    return parse_call_event(type, doc);
}

}  // namespace switchboard::matrix
