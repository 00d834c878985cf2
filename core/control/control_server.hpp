/// \file control_server.hpp
/// \brief The control API of one `switchboard run`: a ControlApi on the project's HTTP
/// server, listening where `/control` says, over the graph's stations.
///
/// The run starts it once the graph has started, when the config has `control` or a node
/// is a station, and closes it before the graph stops. Control thread only.
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <switchboard/errors.hpp>
#include <switchboard/log.hpp>

#include "config/graph_config.hpp"
#include "control/control_api.hpp"
#include "graph/graph.hpp"

namespace switchboard::http {
class HttpServer;
}  // namespace switchboard::http

namespace switchboard::core {

/// The nodes of `graph` that are stations (Node::station()), in start order.
std::vector<StationEntry> graph_stations(Graph& graph);

/// What the control API of a run should be: the config's `control`, or the defaults when
/// there is none but `stations` is not empty; nullopt for no control API.
std::optional<ControlSpec> control_wanted(const GraphConfig& config, const std::vector<StationEntry>& stations);

class ControlServer {
public:
    /// Listens on `spec.listen` (a port that cannot be bound is Error::unavailable naming
    /// it) and logs the API's URL with the bound port.
    static Result<std::unique_ptr<ControlServer>> start(boost::asio::any_io_executor io, const ControlSpec& spec,
                                                        std::vector<StationEntry> stations, Logger& log);
    ~ControlServer();
    ControlServer(const ControlServer&) = delete;
    ControlServer& operator=(const ControlServer&) = delete;

    /// Stops accepting and closes every connection; a place_call still waiting answers
    /// nobody. Idempotent.
    void close() noexcept;
    boost::asio::ip::tcp::endpoint endpoint() const noexcept { return m_endpoint; }

private:
    ControlServer() = default;

    std::shared_ptr<ControlApi> m_api;
    std::shared_ptr<http::HttpServer> m_server;
    boost::asio::ip::tcp::endpoint m_endpoint;
};

}  // namespace switchboard::core
