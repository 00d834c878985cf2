/// \file control_json.hpp
/// \brief The control API's JSON: what it writes (calls, stations, errors) and reads
/// (a place-call body). RapidJSON both ways; nothing here touches a station or a socket.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <switchboard/errors.hpp>
#include <switchboard/station.hpp>

namespace switchboard::core {

/// A station as `GET /stations` lists it.
struct StationInfo {
    std::string name;  ///< its node's name
    std::string type;  ///< its node type ("matrix.signalling")
};

/// `{"error": message}`.
std::string error_json(std::string_view message);
/// `{"status": "ok"}`.
std::string health_json();
/// `{"stations": [{"name", "type"}...]}`.
std::string stations_json(const std::vector<StationInfo>& stations);
/// `{"calls": [call...]}`; a call is id, station, direction, peer, place, state, reason,
/// started_unix_ms.
std::string calls_json(const std::vector<StationCall>& calls);
/// `{"call": call}`.
std::string placed_json(const StationCall& call);
/// `{"ended": id}`.
std::string ended_json(std::string_view id);

/// Reads a `POST /stations/{name}/call` body: `{"target": "...", "options": {...}}`, both
/// optional; an empty body is `{}`. Error::invalid says what is wrong, for a 400.
Result<CallRequest> parse_call_request(std::string_view body);

}  // namespace switchboard::core
