/// \file station.hpp
/// \brief A station: a signalling node that places and takes calls on behalf of the
/// person at a camera (architecture.md §6, §8). The host's control API (`POST
/// /stations/{name}/call`, `DELETE /calls/{id}`, `GET /calls`) and the `switchboard call`
/// / `switchboard hangup` commands reach a station through this interface; the station's
/// name is its node's name in the config.
///
/// A node is a station when Node::station() returns non-null. Threads: the host calls
/// every Station method on the node's io_executor() only, and the station runs every
/// handler there too, never inside the method that was given it.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <switchboard/abi.hpp>
#include <switchboard/call.hpp>
#include <switchboard/errors.hpp>

namespace switchboard {

/// What the control API shows of one call of a station.
struct StationCall {
    /// Unique within the process; what DELETE /calls/{id} takes.
    std::string id;
    /// The station's node name.
    std::string station;
    /// "outgoing" (the station placed it) or "incoming".
    std::string direction;
    /// Who is at the far end, in the protocol's terms: "@alice:example.org", a ring list
    /// while nobody has answered ("@a:hs,@b:hs"), a SIP URI.
    std::string peer;
    /// Where the call happens in the protocol's terms (a Matrix room id); may be empty.
    std::string place;
    CallState state = CallState::ringing;
    /// Why it ended (a protocol reason such as "user_hangup", "invite_timeout"); empty
    /// while it runs.
    std::string reason;
    /// When the call was placed or arrived, in milliseconds since the Unix epoch.
    std::int64_t started_unix_ms = 0;
};

/// A request to place a call.
struct CallRequest {
    /// Whom to call, in the station's terms (a Matrix user or room id, the name of a ring
    /// list in the station's config). Empty: the station's configured default.
    std::string target;
    /// Protocol options as a JSON object text (e.g. `{"version": 0}` for Matrix); "{}"
    /// when there are none. A station refuses options it does not know.
    std::string options_json = "{}";
};

class SWITCHBOARD_INTERFACE Station {
public:
    using PlaceHandler = std::function<void(Result<StationCall>)>;

    virtual ~Station() = default;

    /// Places a call. `done` gets the call once it is ringing at the far side (the invite
    /// went out), or an Error saying why it could not be placed: Error::invalid for a bad
    /// target or options, Error::unavailable when the station is busy or not signed in,
    /// Error::not_found for an unknown room or user.
    virtual void place_call(CallRequest request, PlaceHandler done) noexcept = 0;
    /// Ends a call of this station (a hangup with the user's reason). Error::not_found
    /// when the station has no running call with that id.
    virtual Result<void> end_call(const std::string& id) noexcept = 0;
    /// The station's calls: the running ones, then recently ended ones, newest first.
    virtual std::vector<StationCall> calls() const noexcept = 0;
};

}  // namespace switchboard
