// The matrix plugin's descriptor; see describe.hpp.
#include "matrix/describe.hpp"

#include "matrix/station/station_node.hpp"
#include "matrix/station/station_settings.hpp"

namespace switchboard::matrix {

PluginInfo describe() {
    PluginInfo info;
    info.name = "matrix";
    info.version = SWITCHBOARD_SDK_VERSION;
    NodeTypeInfo station;
    station.type = "matrix.signalling";
    station.role = NodeRole::signalling;
    station.summary = "A call station on Matrix: places and answers legacy 1:1 calls (version \"1\" and 0)";
    station.config_schema = station_schema;
    station.create = settings_node_factory<StationNode, StationSettings>();
    info.node_types.push_back(std::move(station));
    return info;
}

}  // namespace switchboard::matrix
