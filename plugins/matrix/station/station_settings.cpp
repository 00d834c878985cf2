// matrix.signalling config: schema and parsing; see station_settings.hpp.
#include "matrix/station/station_settings.hpp"

namespace switchboard::matrix {

const char* const station_schema = R"({
  "$schema": "http://json-schema.org/draft-04/schema#",
  "title": "matrix.signalling",
  "description": "A call station on Matrix: places and answers legacy 1:1 calls (m.call.*, version \"1\" and 0) with the camera that feeds its inputs; the far side's video and audio leave through its outputs.",
  "type": "object",
  "additionalProperties": false,
  "required": ["homeserver", "user"],
  "properties": {
    "homeserver":   {"type": "string", "minLength": 1,
                     "description": "Base URL, https://matrix.example.org (plain http only to loopback)."},
    "user":         {"type": "string", "minLength": 1,
                     "description": "The station's own account: localpart or @user:server. Not a person's account: js-sdk drops invites from the user it is logged in as."},
    "password":     {"type": "string", "minLength": 1, "description": "Use ${env:NAME}."},
    "access_token": {"type": "string", "minLength": 1, "description": "Instead of a password. Use ${env:NAME}."},
    "device_id":    {"type": "string", "minLength": 1, "maxLength": 255,
                     "description": "Device to sign in as; default: the stored one, else the server's choice."},
    "allow":        {"type": "array", "items": {"type": "string", "pattern": "^@[^:]+:.+$"}, "default": [],
                     "description": "Users whose calls are answered. Everyone else is rejected."},
    "ring":         {"type": "array", "items": {"type": "string", "minLength": 1}, "default": [],
                     "description": "What a call without a target rings: user ids (a direct room is made when needed), room ids, ring-list names."},
    "ring_lists":   {"type": "object",
                     "additionalProperties": {"type": "array", "minItems": 1, "items": {"type": "string", "pattern": "^@[^:]+:.+$"}},
                     "description": "Named lists of users rung at once; the first to answer gets the call, the others stop ringing."},
    "lifetime_ms":  {"type": "integer", "minimum": 4000, "maximum": 600000, "default": 60000,
                     "description": "The lifetime of our invites."},
    "invite_timeout_ms": {"type": "integer", "minimum": 1000, "maximum": 600000,
                     "description": "Hang up with invite_timeout when nobody answered within this; default: lifetime_ms."},
    "version":      {"enum": ["1", 0], "default": "1",
                     "description": "Protocol version of the calls we place. Incoming calls are answered in their own version."},
    "timeline_limit": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 50,
                     "description": "Timeline events per room and /sync; larger bursts are paged back."},
    "join_timeout_s": {"type": "number", "minimum": 1, "maximum": 3600, "default": 60,
                     "description": "How long a new direct room waits for the callee to join."},
    "encrypted_room_notice": {"type": "boolean", "default": true,
                     "description": "Post one m.notice in an encrypted room that tries to call the station (calls there cannot be read)."},
    "rate_limit":   {"type": "object", "additionalProperties": false,
                     "properties": {"per_second": {"type": "number", "minimum": 0.001, "default": 0.2},
                                    "burst": {"type": "number", "minimum": 1, "default": 10}},
                     "description": "The homeserver's rc_message (Synapse: 0.2/s, burst 10); candidate batches stay within it."},
    "extra_ca_file": {"type": "string", "minLength": 1, "description": "PEM file trusted besides the system CAs."}
  }
})";

bool looks_like_user_id(const std::string& text) noexcept {
    const auto colon = text.find(':');
    return text.size() >= 4 && text.front() == '@' && colon != std::string::npos && colon > 1 &&
           colon + 1 < text.size();
}

bool looks_like_room_id(const std::string& text) noexcept {
    const auto colon = text.find(':');
    return text.size() >= 4 && text.front() == '!' && colon != std::string::npos && colon > 1 &&
           colon + 1 < text.size();
}

switchboard::Result<StationSettings> StationSettings::from(const NodeConfig& config) {
    StationSettings s;
    s.client.homeserver = config.string_or("homeserver", "");
    s.client.credentials.user = config.string_or("user", "");
    s.client.credentials.password = config.string_or("password", "");
    s.client.credentials.access_token = config.string_or("access_token", "");
    s.client.credentials.device_id = config.string_or("device_id", "");
    s.client.credentials.device_display_name = "Switchboard station";
    s.client.extra_ca_file = config.string_or("extra_ca_file", "");
    if (s.client.credentials.password.empty() && s.client.credentials.access_token.empty())
        return switchboard::Error::invalid(config.pointer() +
                                           ": needs \"password\" or \"access_token\" (give it as \"${env:NAME}\")");
    s.client.sync.filter.timeline_limit = unsigned(config.integer_or("timeline_limit", 50));

    const auto& json = config.json();
    if (json.HasMember("allow"))
        for (const auto& user : json["allow"].GetArray()) s.allow.insert(user.GetString());
    if (json.HasMember("ring_lists"))
        for (const auto& list : json["ring_lists"].GetObject()) {
            std::vector<std::string> users;
            for (const auto& user : list.value.GetArray()) users.emplace_back(user.GetString());
            s.ring_lists.emplace(list.name.GetString(), std::move(users));
        }
    if (json.HasMember("ring")) {
        std::size_t i = 0;
        for (const auto& target : json["ring"].GetArray()) {
            std::string t = target.GetString();
            if (!looks_like_user_id(t) && !looks_like_room_id(t) && !s.ring_lists.count(t))
                return switchboard::Error::invalid(config.pointer_to("ring") + "/" + std::to_string(i) + ": \"" + t +
                                                   "\" is neither a user id (@user:server), a room id (!room:server) " +
                                                   "nor the name of one of the ring_lists");
            s.ring.push_back(std::move(t));
            ++i;
        }
    }
    s.lifetime_ms = config.integer_or("lifetime_ms", s.lifetime_ms);
    s.invite_timeout_ms = config.integer_or("invite_timeout_ms", s.lifetime_ms);
    if (json.HasMember("version")) s.version = json["version"].IsInt() ? CallProtocol::v0 : CallProtocol::v1;
    s.join_timeout = std::chrono::milliseconds(std::int64_t(config.number_or("join_timeout_s", 60) * 1000));
    s.encrypted_room_notice = config.boolean_or("encrypted_room_notice", true);
    if (json.HasMember("rate_limit")) {
        const auto& r = json["rate_limit"];
        if (r.HasMember("per_second")) s.rate_limit.per_second = r["per_second"].GetDouble();
        if (r.HasMember("burst")) s.rate_limit.burst = r["burst"].GetDouble();
    }
    return s;
}

}  // namespace switchboard::matrix
