/// \file rooms.hpp
/// \brief The room questions a call plugin asks before it rings: who is joined, whether
/// a room is encrypted (a call there cannot be read), and making an unencrypted DM.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "matrix_client/client_api.hpp"

namespace switchboard::matrix {

/// GET /rooms/{roomId}/joined_members: the joined user ids (403 when we are not joined,
/// 404 for an unknown room).
void joined_members(ClientApi& api, const std::string& room_id,
                    std::function<void(Result<std::vector<std::string>>)> handler);
/// Whether `user_id` is joined to `room_id` (through joined_members).
void is_joined(ClientApi& api, const std::string& room_id, const std::string& user_id,
               std::function<void(Result<bool>)> handler);
/// Whether the room has m.room.encryption state (404 M_NOT_FOUND: no).
void is_encrypted(ClientApi& api, const std::string& room_id, std::function<void(Result<bool>)> handler);
/// POST /createRoom for a direct chat with `invitee`: trusted_private_chat, is_direct,
/// private, and unencrypted on purpose: the gateway does not do Megolm, and in an
/// encrypted room its call events would be ciphertext (issue 4 asks for an unencrypted DM).
/// The new room id.
void create_direct_room(ClientApi& api, const std::string& invitee, const std::string& name,
                        std::function<void(Result<std::string>)> handler);
/// Adds `room_id` under `invitee` in our m.direct account data (read, change, write), so
/// Element lists the room as a DM: createRoom's is_direct marks only the invite.
void mark_direct_room(ClientApi& api, const std::string& own_user_id, const std::string& invitee,
                      const std::string& room_id, std::function<void(Result<Done>)> handler);
/// POST /join/{roomIdOrAlias} (accepting an invite). The joined room id.
void join_room(ClientApi& api, const std::string& room_id_or_alias, std::function<void(Result<std::string>)> handler);

}  // namespace switchboard::matrix
