#include "matrix_client/sync_response.hpp"

#include "matrix_client/json_util.hpp"

namespace switchboard::matrix {

namespace {

Error bad(const char* endpoint, std::string message) {
    return Error{ErrorKind::protocol, endpoint, 200, {}, std::move(message)};
}

void copy_content(rapidjson::Document& to, const rapidjson::Value& event) {
    const auto* content = json::object(event, "content");
    if (content) {
        to.CopyFrom(*content, to.GetAllocator());
    } else {
        to.SetObject();
    }
}

/// Appends the well-formed events of `list` (an array member of `parent`).
void parse_events(const rapidjson::Value& parent, const char* key, std::string_view room_id,
                  std::vector<RoomEvent>& out, unsigned& skipped) {
    const auto* events = json::array(parent, key);
    if (!events) return;
    for (const auto& value : events->GetArray()) {
        if (auto event = parse_room_event(value, room_id)) {
            out.push_back(std::move(*event));
        } else {
            ++skipped;
        }
    }
}

}  // namespace

std::optional<RoomEvent> parse_room_event(const rapidjson::Value& value, std::string_view room_id) {
    if (!value.IsObject()) return std::nullopt;
    RoomEvent event;
    auto id = json::string(value, "event_id");
    auto type = json::string(value, "type");
    auto sender = json::string(value, "sender");
    if (!id || !type || !sender || id->empty() || type->empty()) return std::nullopt;
    event.event_id = std::move(*id);
    event.type = std::move(*type);
    event.sender = std::move(*sender);
    event.room_id = json::string_or(value, "room_id", room_id);
    if (event.room_id != room_id && !room_id.empty()) event.room_id = std::string(room_id);
    event.state_key = json::string(value, "state_key");
    event.origin_server_ts = json::int_or(value, "origin_server_ts").value_or(0);
    if (const auto* unsigned_ = json::object(value, "unsigned")) {
        event.age_ms = json::int_or(*unsigned_, "age");
        event.transaction_id = json::string_or(*unsigned_, "transaction_id", "");
    }
    copy_content(event.content, value);
    return event;
}

Result<SyncResponse> parse_sync_response(std::string_view text, std::string_view own_user_id) {
    constexpr const char* endpoint = "GET /sync";
    rapidjson::Document doc;
    doc.Parse(text.data(), text.size());
    if (doc.HasParseError() || !doc.IsObject()) return bad(endpoint, "the answer is not a JSON object");
    SyncResponse out;
    auto next = json::string(doc, "next_batch");
    if (!next || next->empty()) return bad(endpoint, "the answer has no next_batch");
    out.next_batch = std::move(*next);

    if (const auto* rooms = json::object(doc, "rooms")) {
        if (const auto* join = json::object(*rooms, "join")) {
            for (const auto& [key, room] : join->GetObject()) {
                if (!room.IsObject()) continue;
                JoinedRoomUpdate update;
                update.room_id.assign(key.GetString(), key.GetStringLength());
                if (const auto* timeline = json::object(room, "timeline")) {
                    parse_events(*timeline, "events", update.room_id, update.timeline, out.skipped_events);
                    update.limited = json::bool_or(*timeline, "limited", false);
                    update.prev_batch = json::string_or(*timeline, "prev_batch", "");
                }
                if (const auto* state = json::object(room, "state"))
                    parse_events(*state, "events", update.room_id, update.state, out.skipped_events);
                out.joined.push_back(std::move(update));
            }
        }
        if (const auto* invite = json::object(*rooms, "invite")) {
            for (const auto& [key, room] : invite->GetObject()) {
                InvitedRoom invited;
                invited.room_id.assign(key.GetString(), key.GetStringLength());
                const auto* state = json::object(room, "invite_state");
                const auto* events = state ? json::array(*state, "events") : nullptr;
                if (events) {
                    for (const auto& ev : events->GetArray()) {
                        if (json::string_or(ev, "type", "") != "m.room.member" ||
                            json::string_or(ev, "state_key", "") != own_user_id)
                            continue;
                        invited.inviter = json::string_or(ev, "sender", "");
                        if (const auto* content = json::object(ev, "content"))
                            invited.is_direct = json::bool_or(*content, "is_direct", false);
                    }
                }
                out.invited.push_back(std::move(invited));
            }
        }
        if (const auto* leave = json::object(*rooms, "leave"))
            for (const auto& member : leave->GetObject())
                out.left.emplace_back(member.name.GetString(), member.name.GetStringLength());
    }

    if (const auto* to_device = json::object(doc, "to_device")) {
        if (const auto* events = json::array(*to_device, "events")) {
            for (const auto& ev : events->GetArray()) {
                auto type = json::string(ev, "type");
                auto sender = json::string(ev, "sender");
                if (!type || !sender) {
                    ++out.skipped_events;
                    continue;
                }
                ToDeviceEvent event{std::move(*sender), std::move(*type), {}};
                copy_content(event.content, ev);
                out.to_device.push_back(std::move(event));
            }
        }
    }
    return out;
}

Result<MessagesPage> parse_messages_page(std::string_view text, std::string_view room_id) {
    constexpr const char* endpoint = "GET /rooms/{roomId}/messages";
    rapidjson::Document doc;
    doc.Parse(text.data(), text.size());
    if (doc.HasParseError() || !doc.IsObject()) return bad(endpoint, "the answer is not a JSON object");
    MessagesPage page;
    parse_events(doc, "chunk", room_id, page.chunk, page.skipped_events);
    page.end = json::string(doc, "end");
    return page;
}

}  // namespace switchboard::matrix
