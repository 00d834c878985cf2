// The matrix plugin's descriptor; see describe.hpp.
#include "matrix/describe.hpp"

#include <exception>
#include <memory>

#include "matrix/station/station_node.hpp"
#include "matrix/station/station_settings.hpp"

namespace switchboard::matrix {

namespace {

/// Settings errors already name their JSON pointer (no node_factory<> prefix).
switchboard::Result<std::unique_ptr<Node>> create_station(NodeContext& context, const NodeConfig& config) {
    try {
        auto settings = StationSettings::from(config);
        if (!settings) return settings.error();
        return std::unique_ptr<Node>(std::make_unique<StationNode>(context, std::move(settings.value())));
    } catch (const std::exception& e) {
        return switchboard::Error::runtime(std::string(context.name()) + ": " + e.what());
    } catch (...) {
        return switchboard::Error::runtime(std::string(context.name()) + ": unknown exception");
    }
}

}  // namespace

PluginInfo describe() {
    PluginInfo info;
    info.name = "matrix";
    info.version = SWITCHBOARD_SDK_VERSION;
    NodeTypeInfo station;
    station.type = "matrix.signalling";
    station.role = NodeRole::signalling;
    station.summary = "A call station on Matrix: places and answers legacy 1:1 calls (version \"1\" and 0)";
    station.config_schema = station_schema;
    station.create = create_station;
    info.node_types.push_back(std::move(station));
    return info;
}

}  // namespace switchboard::matrix
