// `switchboard call | hangup | calls`: thin clients of the control API (control_api.hpp).
#include <cctype>
#include <cstdio>
#include <ctime>
#include <optional>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "cli/commands.hpp"
#include "cli/control_client.hpp"

namespace switchboard::core {

namespace {

using boost::beast::http::verb;

// A station may take a while to place a call (sign-in, room creation), and the API
// gives it 60 s before answering 504: wait a little longer than that.
constexpr std::chrono::seconds place_timeout{70};
constexpr std::chrono::seconds request_timeout{10};

/// Path segments are plain names and ids, but escape anything else all the same.
std::string escape_segment(std::string_view segment) {
    static constexpr char digits[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : segment) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == '@' || c == ':' || c == '!') {
            out.push_back(char(c));
        } else {
            out.push_back('%');
            out.push_back(digits[c >> 4]);
            out.push_back(digits[c & 15]);
        }
    }
    return out;
}

/// Sends a request; prints why it failed and returns nullopt unless the API said 2xx.
std::optional<rapidjson::Document> request(const ControlEndpoint& endpoint, verb method, const std::string& target,
                                           const std::string& body, std::chrono::milliseconds timeout) {
    auto reply = control_request(endpoint, method, target, body, timeout);
    if (!reply) {
        std::fprintf(stderr, "switchboard: %s\n", reply.error().message.c_str());
        return std::nullopt;
    }
    if (reply->status < 200 || reply->status >= 300) {
        std::fprintf(stderr, "switchboard: %s\n", reply->error_message().c_str());
        return std::nullopt;
    }
    rapidjson::Document doc;
    doc.Parse(reply->body.data(), reply->body.size());
    if (doc.HasParseError() || !doc.IsObject()) {
        std::fprintf(stderr, "switchboard: the control API answered something that is not a JSON object\n");
        return std::nullopt;
    }
    return doc;
}

std::string member(const rapidjson::Value& object, const char* name) {
    if (!object.IsObject() || !object.HasMember(name)) return {};
    const auto& v = object[name];
    return v.IsString() ? std::string(v.GetString(), v.GetStringLength()) : std::string();
}

std::string local_time(std::int64_t unix_ms) {
    const std::time_t seconds = std::time_t(unix_ms / 1000);
    std::tm tm{};
    localtime_r(&seconds, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S", &tm);
    return text;
}

}  // namespace

Result<std::string> call_request_body(const std::string& target,
                                      const std::vector<std::pair<std::string, std::string>>& options) {
    rapidjson::Document body(rapidjson::kObjectType);
    auto& alloc = body.GetAllocator();
    if (!target.empty()) body.AddMember("target", rapidjson::Value(target.c_str(), alloc), alloc);
    rapidjson::Value object(rapidjson::kObjectType);
    for (const auto& [key, json] : options) {
        rapidjson::Document value(&alloc);
        value.Parse(json.data(), json.size());
        if (value.HasParseError())
            return Error::invalid("--option " + key + "=" + json +
                                  ": the value is not JSON (a string is quoted: " + key + "='\"text\"')");
        if (object.HasMember(key.c_str())) return Error::invalid("--option " + key + " given twice");
        object.AddMember(rapidjson::Value(key.c_str(), alloc), rapidjson::Value(value, alloc), alloc);
    }
    if (!options.empty()) body.AddMember("options", object, alloc);
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    body.Accept(writer);
    return std::string(buffer.GetString(), buffer.GetSize());
}

int call_command(const CallOptions& options) {
    auto body = call_request_body(options.target, options.options);
    if (!body) {
        std::fprintf(stderr, "switchboard: call: %s\n", body.error().message.c_str());
        return exit_bad_config;
    }
    auto reply = request(options.control, verb::post, "/stations/" + escape_segment(options.station) + "/call",
                         body.value(), place_timeout);
    if (!reply) return exit_runtime_failure;
    const auto& call = (*reply)["call"];
    std::printf("%s %s\n", member(call, "id").c_str(), member(call, "state").c_str());
    return exit_ok;
}

int hangup_command(const ControlEndpoint& control, const std::vector<std::string>& ids) {
    int code = exit_ok;
    for (const auto& id : ids) {
        if (auto reply = request(control, verb::delete_, "/calls/" + escape_segment(id), "", request_timeout))
            std::printf("ended %s\n", id.c_str());
        else
            code = exit_runtime_failure;
    }
    return code;
}

int calls_command(const ControlEndpoint& control, bool json) {
    auto reply = request(control, verb::get, "/calls", "", request_timeout);
    if (!reply) return exit_runtime_failure;
    if (json) {
        rapidjson::StringBuffer buffer;
        rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
        reply->Accept(writer);
        std::printf("%s\n", buffer.GetString());
        return exit_ok;
    }
    if (!reply->HasMember("calls") || !(*reply)["calls"].IsArray() || (*reply)["calls"].Empty()) {
        std::printf("no calls\n");
        return exit_ok;
    }
    std::printf("%-18s %-12s %-9s %-10s %-19s %-24s %s\n", "id", "station", "direction", "state", "started", "peer",
                "reason");
    for (const auto& call : (*reply)["calls"].GetArray()) {
        const std::int64_t started = call.HasMember("started_unix_ms") && call["started_unix_ms"].IsInt64()
                                         ? call["started_unix_ms"].GetInt64()
                                         : 0;
        std::printf("%-18s %-12s %-9s %-10s %-19s %-24s %s\n", member(call, "id").c_str(),
                    member(call, "station").c_str(), member(call, "direction").c_str(), member(call, "state").c_str(),
                    local_time(started).c_str(), member(call, "peer").c_str(), member(call, "reason").c_str());
    }
    return exit_ok;
}

}  // namespace switchboard::core
