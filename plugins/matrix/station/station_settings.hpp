/// \file station_settings.hpp
/// \brief The matrix.signalling config: its JSON Schema and the typed settings read from it.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <switchboard/config.hpp>
#include <switchboard/errors.hpp>

#include "matrix/call_events/call_event_builder.hpp"
#include "matrix/call_events/candidate_batcher.hpp"
#include "matrix_client/client.hpp"

namespace switchboard::matrix {

/// The JSON Schema (draft-04) of a matrix.signalling "config" object.
extern const char* const station_schema;

/// One station: a Matrix account, who may call it, whom it calls. Member initialisers are
/// the defaults the schema documents.
struct StationSettings {
    /// Homeserver, credentials, sync and send options; `client.state_dir` is set by the node.
    ClientConfig client;
    /// Users whose calls are answered; everyone else's are rejected.
    std::set<std::string> allow;
    /// What a call without a target rings: user ids, room ids or ring-list names.
    std::vector<std::string> ring;
    /// Named lists of users rung together; the first to answer gets the call.
    std::map<std::string, std::vector<std::string>> ring_lists;
    /// `lifetime` of our invites (js-sdk sends 60000; the spec recommends ≥ 90000).
    std::int64_t lifetime_ms = kDefaultLifetimeMs;
    /// How long our invite rings before we hang up with invite_timeout.
    std::int64_t invite_timeout_ms = kDefaultLifetimeMs;
    /// The version of the calls we place.
    CallProtocol version = CallProtocol::v1;
    /// How long a new direct room waits for the callee to join before the call fails.
    std::chrono::milliseconds join_timeout{60'000};
    /// One m.notice per encrypted room that tried to reach us.
    bool encrypted_room_notice = true;
    /// The homeserver's rc_message, so candidate batches never run into 429.
    RateLimit::Config rate_limit;

    /// Reads and checks a validated config; Error::invalid names the JSON pointer.
    static switchboard::Result<StationSettings> from(const NodeConfig& config);
};

/// "@local:server": the user-id shape the config and targets use.
bool looks_like_user_id(const std::string& text) noexcept;
/// "!opaque:server".
bool looks_like_room_id(const std::string& text) noexcept;

}  // namespace switchboard::matrix
