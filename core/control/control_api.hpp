/// \file control_api.hpp
/// \brief The control API's requests (architecture.md §8): routes each HTTP request to
/// the stations and answers in JSON. Knows nothing of sockets (http::HttpServer feeds it)
/// nor of the graph (it is given the stations).
///
///   GET    /health                   200 {"status":"ok"}
///   GET    /stations                 200 {"stations":[{"name","type"}]}
///   GET    /calls                    200 {"calls":[call]} over every station
///   POST   /stations/{name}/call     201 {"call":call}; body {"target","options"}, both optional
///   DELETE /calls/{id}               200 {"ended":id}
///
/// Errors are {"error": message}: 400 bad body, 401 no or wrong token, 404 unknown path,
/// station or call, 405 wrong method, 409 station unavailable, 500, 504 the station did
/// not answer in time. Runs on the io executor only, where the Station methods must be
/// called (station.hpp).
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>

#include <switchboard/log.hpp>
#include <switchboard/station.hpp>

#include "control/control_json.hpp"
#include "http/http_connection.hpp"

namespace switchboard::core {

/// A station the API reaches, under its node's name.
struct StationEntry {
    StationInfo info;
    Station* station = nullptr;  ///< not owned; outlives the ControlApi
};

struct ControlApiOptions {
    /// The bearer token every request must carry; unset: none asked. A secret: compared,
    /// never logged.
    std::optional<std::string> token;
    /// How long a station may take to place a call before the request gets 504.
    std::chrono::milliseconds place_timeout{60'000};
};

class ControlApi : public std::enable_shared_from_this<ControlApi> {
public:
    ControlApi(boost::asio::any_io_executor io, std::vector<StationEntry> stations, ControlApiOptions options,
               std::shared_ptr<Logger> log);
    ControlApi(const ControlApi&) = delete;
    ControlApi& operator=(const ControlApi&) = delete;

    /// Answers one request (see the file comment); an http::RequestHandler.
    void handle(http::Request&& request, http::Reply reply);

private:
    bool authorized(const http::Request& request) const;
    http::Response list_calls() const;
    void place_call(const std::string& station, const http::Request& request, http::Reply reply);
    http::Response end_call(const std::string& id);
    const StationEntry* find(const std::string& name) const;

    boost::asio::any_io_executor m_io;
    std::vector<StationEntry> m_stations;
    ControlApiOptions m_options;
    std::shared_ptr<Logger> m_log;
};

/// A JSON response with `status` and `body`.
http::Response json_response(http::status status, std::string body);

}  // namespace switchboard::core
