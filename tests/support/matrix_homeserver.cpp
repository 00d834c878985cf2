#include "support/matrix_homeserver.hpp"

#include <cctype>

#include <csignal>
#include <cstdio>
#include <stdexcept>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "support/http_request.hpp"
#include "support/loopback_ports.hpp"

namespace switchboard::test {
namespace {

using namespace std::chrono_literals;

std::string string_member(const rapidjson::Value& object, const char* name) {
    if (!object.IsObject()) return {};
    auto it = object.FindMember(name);
    return it != object.MemberEnd() && it->value.IsString() ? it->value.GetString() : std::string();
}

std::int64_t int_member(const rapidjson::Value& object, const char* name) {
    if (!object.IsObject()) return 0;
    auto it = object.FindMember(name);
    return it != object.MemberEnd() && it->value.IsInt64() ? it->value.GetInt64() : 0;
}

/// A JSON string literal for `s` (quotes and escapes).
std::string quoted(const std::string& s) {
    rapidjson::StringBuffer out;
    rapidjson::Writer<rapidjson::StringBuffer> writer(out);
    writer.String(s.c_str(), static_cast<rapidjson::SizeType>(s.size()));
    return out.GetString();
}

/// Parses `body` and returns its array member `name`; throws if it is not there.
rapidjson::Document parse_list(const std::string& body, const char* name) {
    rapidjson::Document doc;
    doc.Parse(body.c_str());
    if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember(name) || !doc[name].IsArray())
        throw std::runtime_error(std::string("homeserver: no '") + name + "' list in " + body.substr(0, 200));
    return doc;
}

}  // namespace

MatrixHomeserver::MatrixHomeserver(std::vector<std::string> extra_args) {
    m_port = free_loopback_port();
    std::vector<std::string> argv{"/usr/bin/node", std::string(SWITCHBOARD_NODE_PEERS_DIR) + "/mini_homeserver.mjs",
                                  "--port", std::to_string(m_port), "--quiet"};
    argv.insert(argv.end(), extra_args.begin(), extra_args.end());
    m_child.emplace(argv);
    m_ready = m_port != 0 && wait_for_tcp(m_port, 15s);
}

MatrixHomeserver::~MatrixHomeserver() {
    m_child->signal(SIGTERM);
    auto result = m_child->wait(5s);
    if (!result.err.empty()) std::fprintf(stderr, "[homeserver] %s", result.err.c_str());
}

std::string MatrixHomeserver::url() const {
    return "http://127.0.0.1:" + std::to_string(m_port);
}

std::string MatrixHomeserver::request(const std::string& method, const std::string& target, const std::string& body) {
    auto reply = http_request(method, m_port, target, body, "application/json", m_timeout);
    if (reply.status != 200)
        throw std::runtime_error("homeserver: " + method + " " + target + ": " +
                                 (reply.status ? std::to_string(reply.status) + " " + reply.body : reply.error));
    return reply.body;
}

std::string MatrixHomeserver::register_user(const std::string& localpart, const std::string& password) {
    auto body = request(
        "POST", "/_matrix/client/v3/register",
        "{\"username\":" + quoted(localpart) + ",\"password\":" + quoted(password) + ",\"inhibit_login\":true}");
    rapidjson::Document doc;
    doc.Parse(body.c_str());
    auto user_id = doc.HasParseError() ? std::string() : string_member(doc, "user_id");
    if (user_id.empty()) throw std::runtime_error("homeserver: register gave no user_id: " + body);
    return user_id;
}

namespace {

std::string percent_encode(const std::string& text) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += char(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

}  // namespace

std::string MatrixHomeserver::login(const std::string& localpart, const std::string& password) {
    auto body =
        request("POST", "/_matrix/client/v3/login",
                "{\"type\":\"m.login.password\",\"identifier\":{\"type\":\"m.id.user\",\"user\":" + quoted(localpart) +
                    "},\"password\":" + quoted(password) + "}");
    rapidjson::Document doc;
    doc.Parse(body.c_str());
    auto token = doc.HasParseError() ? std::string() : string_member(doc, "access_token");
    if (token.empty()) throw std::runtime_error("homeserver: login gave no access_token: " + body);
    return token;
}

std::string MatrixHomeserver::create_room(const std::string& token, const std::string& body_json) {
    auto body = request("POST", "/_matrix/client/v3/createRoom?access_token=" + token, body_json);
    rapidjson::Document doc;
    doc.Parse(body.c_str());
    auto room = doc.HasParseError() ? std::string() : string_member(doc, "room_id");
    if (room.empty()) throw std::runtime_error("homeserver: createRoom gave no room_id: " + body);
    return room;
}

std::string MatrixHomeserver::send_event(const std::string& token, const std::string& room_id, const std::string& type,
                                         const std::string& content_json) {
    static int txn = 0;
    auto body = request("PUT",
                        "/_matrix/client/v3/rooms/" + percent_encode(room_id) + "/send/" + type + "/t" +
                            std::to_string(++txn) + "?access_token=" + token,
                        content_json);
    rapidjson::Document doc;
    doc.Parse(body.c_str());
    return doc.HasParseError() ? std::string() : string_member(doc, "event_id");
}

void MatrixHomeserver::join_room(const std::string& token, const std::string& room_id) {
    request("POST", "/_matrix/client/v3/join/" + percent_encode(room_id) + "?access_token=" + token, "{}");
}

void MatrixHomeserver::put_state(const std::string& token, const std::string& room_id, const std::string& type,
                                 const std::string& content_json) {
    request("PUT", "/_matrix/client/v3/rooms/" + percent_encode(room_id) + "/state/" + type + "/?access_token=" + token,
            content_json);
}

std::vector<HomeserverEvent> MatrixHomeserver::events() {
    auto doc = parse_list(request("GET", "/_test/events"), "events");
    std::vector<HomeserverEvent> out;
    for (const auto& e : doc["events"].GetArray()) {
        HomeserverEvent event;
        event.event_id = string_member(e, "event_id");
        event.type = string_member(e, "type");
        event.sender = string_member(e, "sender");
        event.room_id = string_member(e, "room_id");
        if (e.HasMember("state_key") && e["state_key"].IsString()) event.state_key = e["state_key"].GetString();
        if (e.HasMember("unsigned")) event.transaction_id = string_member(e["unsigned"], "transaction_id");
        event.origin_server_ts = int_member(e, "origin_server_ts");
        auto content = std::make_shared<rapidjson::Document>();
        if (e.HasMember("content")) content->CopyFrom(e["content"], content->GetAllocator());
        rapidjson::StringBuffer text;
        rapidjson::Writer<rapidjson::StringBuffer> writer(text);
        content->Accept(writer);
        event.content_json = text.GetString();
        event.content = std::move(content);
        out.push_back(std::move(event));
    }
    return out;
}

std::vector<HomeserverSend> MatrixHomeserver::sends() {
    auto doc = parse_list(request("GET", "/_test/sends"), "sends");
    std::vector<HomeserverSend> out;
    for (const auto& s : doc["sends"].GetArray()) {
        HomeserverSend send;
        send.user = string_member(s, "user");
        send.method = string_member(s, "method");
        send.path = string_member(s, "path");
        send.txn_id = string_member(s, "txn_id");
        send.status = static_cast<int>(int_member(s, "status"));
        send.ts = int_member(s, "ts");
        out.push_back(std::move(send));
    }
    return out;
}

void MatrixHomeserver::fail_sends(int count, int retry_after_ms) {
    request("POST", "/_test/fail_sends",
            "{\"count\":" + std::to_string(count) + ",\"retry_after_ms\":" + std::to_string(retry_after_ms) + "}");
}

void MatrixHomeserver::pause_sync(const std::string& user_id) {
    request("POST", "/_test/pause_sync", "{\"user\":" + quoted(user_id) + "}");
}

void MatrixHomeserver::resume_sync(const std::string& user_id) {
    request("POST", "/_test/resume_sync", "{\"user\":" + quoted(user_id) + "}");
}

}  // namespace switchboard::test
