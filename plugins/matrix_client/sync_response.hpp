/// \file sync_response.hpp
/// \brief The parts of a /sync answer (and of a /messages page) that the call plugins
/// use, parsed from bytes a server sent: never throws, skips what is malformed.
///
/// Absent sections are empty (Synapse leaves empty ones out). An event without an
/// event_id, type or sender, or that is no object, is skipped and counted.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/document.h>

#include "matrix_client/error.hpp"

namespace switchboard::matrix {

struct RoomEvent {
    std::string room_id;
    std::string event_id;
    std::string type;
    std::string sender;
    std::optional<std::string> state_key;
    std::int64_t origin_server_ts = 0;
    /// unsigned.age: how old the event was when the server sent it (invite liveness).
    std::optional<std::int64_t> age_ms;
    /// unsigned.transaction_id: set only on our own device's events (echo detection).
    std::string transaction_id;
    /// The content (an empty object when absent or not an object). Its own allocator.
    rapidjson::Document content;
};

struct ToDeviceEvent {
    std::string sender;
    std::string type;
    rapidjson::Document content;
};

struct JoinedRoomUpdate {
    std::string room_id;
    std::vector<RoomEvent> timeline;  ///< oldest first
    bool limited = false;             ///< events before the timeline were left out
    std::string prev_batch;           ///< where /messages continues backwards
    std::vector<RoomEvent> state;     ///< state before the timeline (state section)
};

struct InvitedRoom {
    std::string room_id;
    std::string inviter;     ///< sender of our m.room.member invite
    bool is_direct = false;  ///< the invite's is_direct flag
};

struct SyncResponse {
    std::string next_batch;
    std::vector<JoinedRoomUpdate> joined;
    std::vector<InvitedRoom> invited;
    std::vector<std::string> left;
    std::vector<ToDeviceEvent> to_device;
    unsigned skipped_events = 0;  ///< malformed events left out
};

struct MessagesPage {
    std::vector<RoomEvent> chunk;    ///< in the order served (newest first for dir=b)
    std::optional<std::string> end;  ///< absent: no more events that way
    unsigned skipped_events = 0;
};

/// Parses a /sync answer; `own_user_id` finds our invite member event in invite_state.
Result<SyncResponse> parse_sync_response(std::string_view json, std::string_view own_user_id);
/// Parses a /rooms/{roomId}/messages answer.
Result<MessagesPage> parse_messages_page(std::string_view json, std::string_view room_id);
/// One event object; nullopt when malformed.
std::optional<RoomEvent> parse_room_event(const rapidjson::Value& value, std::string_view room_id);

}  // namespace switchboard::matrix
