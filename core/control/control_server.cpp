// The control API of one run; see control_server.hpp.
#include "control/control_server.hpp"

#include "http/http_server.hpp"

namespace switchboard::core {

std::vector<StationEntry> graph_stations(Graph& graph) {
    std::vector<StationEntry> stations;
    for (auto* runtime : graph.nodes())
        if (auto* station = runtime->node().station())
            stations.push_back({{std::string(runtime->name()), runtime->type()}, station});
    return stations;
}

std::optional<ControlSpec> control_wanted(const GraphConfig& config, const std::vector<StationEntry>& stations) {
    if (config.control) return config.control;
    if (!stations.empty()) return ControlSpec{};
    return std::nullopt;
}

Result<std::unique_ptr<ControlServer>> ControlServer::start(boost::asio::any_io_executor io, const ControlSpec& spec,
                                                            std::vector<StationEntry> stations, Logger& log) {
    auto api_log = log.with_context("control");
    ControlApiOptions options;
    options.token = spec.token;
    std::unique_ptr<ControlServer> server(new ControlServer);
    server->m_api = std::make_shared<ControlApi>(io, std::move(stations), std::move(options), api_log);
    std::weak_ptr<ControlApi> api = server->m_api;
    server->m_server = std::make_shared<http::HttpServer>(
        io, http::HttpLimits{},
        [api](http::Request&& request, http::Reply reply) {
            if (auto a = api.lock()) return a->handle(std::move(request), std::move(reply));
            reply(json_response(http::status::service_unavailable, error_json("the control API is shutting down")));
        },
        api_log);
    auto bound = server->m_server->listen(spec.listen);
    if (!bound) return Error::unavailable("control API: " + bound.error().message);
    server->m_endpoint = bound.value();
    const auto address = server->m_endpoint.address();
    const auto host = address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
    SWITCHBOARD_LOG(*api_log, info,
                    "control API at http://" << host << ":" << server->m_endpoint.port() << "/"
                                             << (spec.token ? " (bearer token required)" : ""));
    return server;
}

ControlServer::~ControlServer() {
    close();
}

void ControlServer::close() noexcept {
    if (m_server) m_server->close();
    m_server.reset();
    m_api.reset();
}

}  // namespace switchboard::core
