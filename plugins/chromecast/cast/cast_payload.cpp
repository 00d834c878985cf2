#include "chromecast/cast/cast_payload.hpp"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace switchboard::chromecast {

namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void key_string(Writer& w, const char* key, std::string_view value) {
    w.Key(key);
    w.String(value.data(), rapidjson::SizeType(value.size()));
}

/// {"type": type, "requestId": id?, ...more} as text.
template <class More>
std::string message(std::string_view type, std::optional<std::int64_t> request_id, More&& more) {
    rapidjson::StringBuffer buffer;
    Writer w(buffer);
    w.StartObject();
    key_string(w, "type", type);
    if (request_id) {
        w.Key("requestId");
        w.Int64(*request_id);
    }
    more(w);
    w.EndObject();
    return {buffer.GetString(), buffer.GetSize()};
}

std::string message(std::string_view type, std::optional<std::int64_t> request_id = std::nullopt) {
    return message(type, request_id, [](Writer&) {});
}

/// Reads members of one message, keeping the first error with its context: namespace,
/// message type and the member's JSON pointer. Later reads after an error are no-ops.
class Reader {
public:
    explicit Reader(std::string context) : m_context(std::move(context)) {}

    void set_type(std::string_view type) { m_context += " " + std::string(type); }
    bool failed() const noexcept { return m_error.has_value(); }
    const Error& error() const { return *m_error; }
    void fail(const std::string& pointer, const std::string& what) {
        if (!m_error) m_error = Error::invalid(m_context + ": " + pointer + ": " + what);
    }

    /// A member that must be an object or array when present; nullptr when absent.
    const rapidjson::Value* member(const rapidjson::Value& object, const std::string& at, const char* key) {
        if (failed()) return nullptr;
        auto it = object.FindMember(key);
        return it == object.MemberEnd() ? nullptr : &it->value;
    }

    std::optional<std::string> string(const rapidjson::Value& object, const std::string& at, const char* key,
                                      bool required) {
        const auto* v = member(object, at, key);
        if (!v) {
            if (required) fail(at + "/" + key, "missing");
            return std::nullopt;
        }
        if (!v->IsString()) return fail(at + "/" + key, "expected a string"), std::nullopt;
        return std::string(v->GetString(), v->GetStringLength());
    }

    std::optional<std::int64_t> integer(const rapidjson::Value& object, const std::string& at, const char* key,
                                        bool required) {
        const auto* v = member(object, at, key);
        if (!v) {
            if (required) fail(at + "/" + key, "missing");
            return std::nullopt;
        }
        if (!v->IsInt64()) return fail(at + "/" + key, "expected an integer"), std::nullopt;
        return v->GetInt64();
    }

    std::optional<double> number(const rapidjson::Value& object, const std::string& at, const char* key) {
        const auto* v = member(object, at, key);
        if (!v || v->IsNull()) return std::nullopt;
        if (!v->IsNumber()) return fail(at + "/" + key, "expected a number"), std::nullopt;
        return v->GetDouble();
    }

    std::optional<bool> boolean(const rapidjson::Value& object, const std::string& at, const char* key) {
        const auto* v = member(object, at, key);
        if (!v) return std::nullopt;
        if (!v->IsBool()) return fail(at + "/" + key, "expected true or false"), std::nullopt;
        return v->GetBool();
    }

    /// An array member; nullptr when absent (or on error).
    const rapidjson::Value* array(const rapidjson::Value& object, const std::string& at, const char* key,
                                  bool required) {
        const auto* v = member(object, at, key);
        if (!v) {
            if (required) fail(at + "/" + key, "missing");
            return nullptr;
        }
        if (!v->IsArray()) return fail(at + "/" + key, "expected an array"), nullptr;
        return v;
    }

    /// An object member; nullptr when absent (or on error).
    const rapidjson::Value* object(const rapidjson::Value& parent, const std::string& at, const char* key) {
        const auto* v = member(parent, at, key);
        if (!v || v->IsNull()) return nullptr;
        if (!v->IsObject()) return fail(at + "/" + key, "expected an object"), nullptr;
        return v;
    }

private:
    std::string m_context;
    std::optional<Error> m_error;
};

Application read_application(Reader& r, const rapidjson::Value& v, const std::string& at) {
    Application app;
    if (!v.IsObject()) return r.fail(at, "expected an object"), app;
    app.app_id = r.string(v, at, "appId", true).value_or("");
    app.session_id = r.string(v, at, "sessionId", true).value_or("");
    app.transport_id = r.string(v, at, "transportId", true).value_or("");
    app.display_name = r.string(v, at, "displayName", false).value_or("");
    app.status_text = r.string(v, at, "statusText", false).value_or("");
    app.is_idle_screen = r.boolean(v, at, "isIdleScreen").value_or(false);
    if (const auto* list = r.array(v, at, "namespaces", false)) {
        for (rapidjson::SizeType i = 0; i < list->Size() && !r.failed(); ++i) {
            const std::string item = at + "/namespaces/" + std::to_string(i);
            if (!(*list)[i].IsObject()) {
                r.fail(item, "expected an object");
                break;
            }
            if (auto name = r.string((*list)[i], item, "name", true)) app.namespaces.push_back(std::move(*name));
        }
    }
    return app;
}

ReceiverStatus read_receiver_status(Reader& r, const rapidjson::Value& doc) {
    ReceiverStatus status;
    status.request_id = r.integer(doc, "", "requestId", false);
    const auto* s = r.object(doc, "", "status");
    if (!s) {
        if (!r.failed()) r.fail("/status", "missing");
        return status;
    }
    if (const auto* apps = r.array(*s, "/status", "applications", false))
        for (rapidjson::SizeType i = 0; i < apps->Size() && !r.failed(); ++i)
            status.applications.push_back(read_application(r, (*apps)[i], "/status/applications/" + std::to_string(i)));
    if (const auto* volume = r.object(*s, "/status", "volume")) {
        status.volume_level = r.number(*volume, "/status/volume", "level");
        status.muted = r.boolean(*volume, "/status/volume", "muted");
    }
    return status;
}

MediaStatus read_media_status(Reader& r, const rapidjson::Value& doc) {
    MediaStatus status;
    status.request_id = r.integer(doc, "", "requestId", false);
    const auto* list = r.array(doc, "", "status", true);
    if (!list) return status;
    for (rapidjson::SizeType i = 0; i < list->Size() && !r.failed(); ++i) {
        const std::string at = "/status/" + std::to_string(i);
        const auto& v = (*list)[i];
        if (!v.IsObject()) {
            r.fail(at, "expected an object");
            break;
        }
        MediaSession session;
        session.media_session_id = r.integer(v, at, "mediaSessionId", true).value_or(0);
        session.player_state = r.string(v, at, "playerState", true).value_or("");
        session.idle_reason = r.string(v, at, "idleReason", false).value_or("");
        session.current_time = r.number(v, at, "currentTime");
        if (const auto* media = r.object(v, at, "media"))
            session.content_id = r.string(*media, at + "/media", "contentId", false).value_or("");
        status.sessions.push_back(std::move(session));
    }
    return status;
}

bool is_refusal(std::string_view type) {
    return type == "LAUNCH_ERROR" || type == "INVALID_REQUEST" || type == "LOAD_FAILED" || type == "LOAD_CANCELLED" ||
           type == "INVALID_PLAYER_STATE";
}

}  // namespace

std::int64_t RequestIds::next() noexcept {
    const std::int64_t id = m_next;
    m_next = m_next >= 0x7fffffff ? 1 : m_next + 1;
    return id;
}

namespace payload {

std::string connect() {
    return message("CONNECT");
}
std::string close() {
    return message("CLOSE");
}
std::string ping() {
    return message("PING");
}
std::string pong() {
    return message("PONG");
}
std::string get_status(std::int64_t request_id) {
    return message("GET_STATUS", request_id);
}

std::string launch(std::int64_t request_id, std::string_view app_id) {
    return message("LAUNCH", request_id, [&](Writer& w) { key_string(w, "appId", app_id); });
}

std::string stop(std::int64_t request_id, std::string_view session_id) {
    return message("STOP", request_id, [&](Writer& w) { key_string(w, "sessionId", session_id); });
}

std::string media_load(std::int64_t request_id, const LoadRequest& load) {
    return message("LOAD", request_id, [&](Writer& w) {
        w.Key("media");
        w.StartObject();
        key_string(w, "contentId", load.content_id);
        key_string(w, "contentType", load.content_type);
        key_string(w, "streamType", load.stream_type);
        if (!load.hls_video_segment_format.empty())
            key_string(w, "hlsVideoSegmentFormat", load.hls_video_segment_format);
        w.EndObject();
        w.Key("autoplay");
        w.Bool(load.autoplay);
        if (load.current_time) {
            w.Key("currentTime");
            w.Double(*load.current_time);
        }
    });
}

std::string media_get_status(std::int64_t request_id, std::optional<std::int64_t> media_session_id) {
    return message("GET_STATUS", request_id, [&](Writer& w) {
        if (!media_session_id) return;
        w.Key("mediaSessionId");
        w.Int64(*media_session_id);
    });
}

std::string web_receiver_url(std::string_view url) {
    rapidjson::StringBuffer buffer;
    Writer w(buffer);
    w.StartObject();
    key_string(w, "url", url);
    w.Key("force");
    w.Bool(true);
    w.Key("reload");
    w.Bool(false);
    w.Key("reload_time");
    w.Int(0);
    w.EndObject();
    return {buffer.GetString(), buffer.GetSize()};
}

}  // namespace payload

const Application* ReceiverStatus::find_app(std::string_view app_id) const {
    for (const auto& app : applications)
        if (app.app_id == app_id) return &app;
    return nullptr;
}

Result<ReceivedPayload> parse_payload(std::string_view name_space, std::string_view json) {
    const std::string where(name_space);
    if (!is_platform_namespace(name_space)) return Error::invalid("unknown namespace " + where);

    rapidjson::Document doc;
    // Iterative: a payload of 64 KiB of '[' must not recurse 64 Ki levels deep. Encoding
    // validated: payload_utf8 is declared UTF-8, and a string we pass on must be.
    doc.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag>(json.data(), json.size());
    if (doc.HasParseError())
        return Error::invalid(where + ": malformed JSON at offset " + std::to_string(doc.GetErrorOffset()) + ": " +
                              rapidjson::GetParseError_En(doc.GetParseError()));
    if (!doc.IsObject()) return Error::invalid(where + ": the payload is not a JSON object");

    Reader r(where);
    // The media namespace answers some requests with "responseType"-less objects, but every
    // message still names its "type".
    const auto type = r.string(doc, "", "type", true);
    if (!type) return r.error();
    r.set_type(*type);

    ReceivedPayload out = UnhandledMessage{where, *type, std::nullopt};
    if (name_space == ns::connection) {
        if (*type == "CONNECT")
            out = ConnectionMessage{ConnectionMessage::Type::connect};
        else if (*type == "CLOSE")
            out = ConnectionMessage{ConnectionMessage::Type::close};
    } else if (name_space == ns::heartbeat) {
        if (*type == "PING")
            out = HeartbeatMessage{HeartbeatMessage::Type::ping};
        else if (*type == "PONG")
            out = HeartbeatMessage{HeartbeatMessage::Type::pong};
    } else if (is_refusal(*type)) {
        RequestFailed failed{where, *type, r.integer(doc, "", "requestId", false), ""};
        failed.reason = r.string(doc, "", "reason", false).value_or("");
        out = std::move(failed);
    } else if (name_space == ns::receiver && *type == "RECEIVER_STATUS") {
        out = read_receiver_status(r, doc);
    } else if (name_space == ns::media && *type == "MEDIA_STATUS") {
        out = read_media_status(r, doc);
    } else {
        std::get<UnhandledMessage>(out).request_id = r.integer(doc, "", "requestId", false);
    }
    if (r.failed()) return r.error();
    return out;
}

Result<ReceivedPayload> parse_payload(const CastMessage& message) {
    if (!message.is_text()) {
        if (!is_platform_namespace(message.name_space))
            return Error::invalid("unknown namespace " + message.name_space);
        return Error::invalid(message.name_space + ": binary payload where JSON text was expected");
    }
    return parse_payload(message.name_space, message.text());
}

}  // namespace switchboard::chromecast
