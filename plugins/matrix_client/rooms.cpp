#include "matrix_client/rooms.hpp"

#include <algorithm>
#include <utility>

#include "matrix_client/json_util.hpp"

namespace switchboard::matrix {

void joined_members(ClientApi& api, const std::string& room_id,
                    std::function<void(Result<std::vector<std::string>>)> handler) {
    api.get(api_path({"rooms", room_id, "joined_members"}), {},
            [handler = std::move(handler)](Result<rapidjson::Document> result) {
                if (!result) return handler(result.error());
                const auto* joined = json::object(result.value(), "joined");
                if (!joined)
                    return handler(Error{ErrorKind::protocol,
                                         "GET /rooms/{roomId}/joined_members",
                                         200,
                                         {},
                                         "the answer has no 'joined' object"});
                std::vector<std::string> members;
                for (const auto& member : joined->GetObject())
                    members.emplace_back(member.name.GetString(), member.name.GetStringLength());
                handler(std::move(members));
            });
}

void is_joined(ClientApi& api, const std::string& room_id, const std::string& user_id,
               std::function<void(Result<bool>)> handler) {
    joined_members(api, room_id, [user_id, handler = std::move(handler)](Result<std::vector<std::string>> result) {
        if (!result) return handler(result.error());
        const auto& members = result.value();
        handler(std::find(members.begin(), members.end(), user_id) != members.end());
    });
}

void is_encrypted(ClientApi& api, const std::string& room_id, std::function<void(Result<bool>)> handler) {
    api.get(api_path({"rooms", room_id, "state", "m.room.encryption"}) + "/", {},
            [handler = std::move(handler)](Result<rapidjson::Document> result) {
                if (result) return handler(true);
                if (result.error().status == 404 && result.error().errcode == "M_NOT_FOUND") return handler(false);
                handler(result.error());
            });
}

void create_direct_room(ClientApi& api, const std::string& invitee, const std::string& name,
                        std::function<void(Result<std::string>)> handler) {
    std::string body =
        "{\"preset\":\"trusted_private_chat\",\"is_direct\":true,\"visibility\":\"private\",\"invite\":[" +
        json::quote(invitee) + "]";
    if (!name.empty()) body += ",\"name\":" + json::quote(name);
    body += "}";
    api.post("/createRoom", std::move(body), [handler = std::move(handler)](Result<rapidjson::Document> result) {
        if (!result) return handler(result.error());
        auto room_id = json::string_or(result.value(), "room_id", "");
        if (room_id.empty())
            return handler(Error{ErrorKind::protocol, "POST /createRoom", 200, {}, "the answer has no room_id"});
        handler(std::move(room_id));
    });
}

void mark_direct_room(ClientApi& api, const std::string& own_user_id, const std::string& invitee,
                      const std::string& room_id, std::function<void(Result<Done>)> handler) {
    auto path = api_path({"user", own_user_id, "account_data", "m.direct"});
    api.get(path, {}, [&api, path, invitee, room_id, handler = std::move(handler)](Result<rapidjson::Document> result) {
        rapidjson::Document direct;
        if (result && result.value().IsObject()) {
            direct = std::move(result.value());
        } else if (!result && result.error().status != 404) {
            return handler(result.error());
        } else {
            direct.SetObject();  // none yet
        }
        auto& alloc = direct.GetAllocator();
        const char* key = invitee.c_str();
        if (!direct.HasMember(key) || !direct[key].IsArray()) {
            direct.RemoveMember(key);
            direct.AddMember(rapidjson::Value(key, alloc), rapidjson::Value(rapidjson::kArrayType), alloc);
        }
        auto& rooms = direct[key];
        for (const auto& existing : rooms.GetArray())
            if (existing.IsString() && room_id == existing.GetString()) return handler(Done{});
        rooms.PushBack(rapidjson::Value(room_id.c_str(), alloc), alloc);
        api.put(path, json::to_string(direct), [handler](Result<rapidjson::Document> put) {
            if (!put) return handler(put.error());
            handler(Done{});
        });
    });
}

void join_room(ClientApi& api, const std::string& room_id_or_alias, std::function<void(Result<std::string>)> handler) {
    api.post(
        api_path({"join", room_id_or_alias}), "{}", [handler = std::move(handler)](Result<rapidjson::Document> result) {
            if (!result) return handler(result.error());
            auto room_id = json::string_or(result.value(), "room_id", "");
            if (room_id.empty())
                return handler(
                    Error{ErrorKind::protocol, "POST /join/{roomIdOrAlias}", 200, {}, "the answer has no room_id"});
            handler(std::move(room_id));
        });
}

}  // namespace switchboard::matrix
