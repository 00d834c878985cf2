// The control API's JSON; see control_json.hpp.
#include "control/control_json.hpp"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace switchboard::core {

namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void put(Writer& w, std::string_view key, std::string_view value) {
    w.Key(key.data(), rapidjson::SizeType(key.size()));
    w.String(value.data(), rapidjson::SizeType(value.size()));
}

void write_call(Writer& w, const StationCall& call) {
    w.StartObject();
    put(w, "id", call.id);
    put(w, "station", call.station);
    put(w, "direction", call.direction);
    put(w, "peer", call.peer);
    put(w, "place", call.place);
    put(w, "state", to_string(call.state));
    put(w, "reason", call.reason);
    w.Key("started_unix_ms");
    w.Int64(call.started_unix_ms);
    w.EndObject();
}

/// Runs `body` on a writer inside one top-level object and returns the text.
template <typename F>
std::string object(F&& body) {
    rapidjson::StringBuffer buffer;
    Writer w(buffer);
    w.StartObject();
    body(w);
    w.EndObject();
    return {buffer.GetString(), buffer.GetSize()};
}

}  // namespace

std::string error_json(std::string_view message) {
    return object([&](Writer& w) { put(w, "error", message); });
}

std::string health_json() {
    return object([](Writer& w) { put(w, "status", "ok"); });
}

std::string stations_json(const std::vector<StationInfo>& stations) {
    return object([&](Writer& w) {
        w.Key("stations");
        w.StartArray();
        for (const auto& s : stations) {
            w.StartObject();
            put(w, "name", s.name);
            put(w, "type", s.type);
            w.EndObject();
        }
        w.EndArray();
    });
}

std::string calls_json(const std::vector<StationCall>& calls) {
    return object([&](Writer& w) {
        w.Key("calls");
        w.StartArray();
        for (const auto& call : calls) write_call(w, call);
        w.EndArray();
    });
}

std::string placed_json(const StationCall& call) {
    return object([&](Writer& w) {
        w.Key("call");
        write_call(w, call);
    });
}

std::string ended_json(std::string_view id) {
    return object([&](Writer& w) { put(w, "ended", id); });
}

Result<CallRequest> parse_call_request(std::string_view body) {
    CallRequest request;
    if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) return request;
    rapidjson::Document doc;
    doc.Parse(body.data(), body.size());
    if (doc.HasParseError())
        return Error::invalid(std::string("the body is not JSON: ") + rapidjson::GetParseError_En(doc.GetParseError()) +
                              " (at byte " + std::to_string(doc.GetErrorOffset()) + ")");
    if (!doc.IsObject()) return Error::invalid("the body must be a JSON object: {\"target\": ..., \"options\": {...}}");
    for (const auto& member : doc.GetObject()) {
        const std::string_view key(member.name.GetString(), member.name.GetStringLength());
        if (key == "target") {
            if (!member.value.IsString()) return Error::invalid("/target: expected a string");
            request.target.assign(member.value.GetString(), member.value.GetStringLength());
        } else if (key == "options") {
            if (!member.value.IsObject()) return Error::invalid("/options: expected an object");
            rapidjson::StringBuffer buffer;
            Writer w(buffer);
            member.value.Accept(w);
            request.options_json.assign(buffer.GetString(), buffer.GetSize());
        } else {
            return Error::invalid("unknown member \"" + std::string(key) + "\"; expected \"target\" and \"options\"");
        }
    }
    return request;
}

}  // namespace switchboard::core
