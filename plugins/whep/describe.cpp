// The whep plugin's descriptor; see describe.hpp.
#include "describe.hpp"

#include "server_node.hpp"
#include "server_settings.hpp"

namespace switchboard::whep {

PluginInfo describe() {
    PluginInfo info;
    info.name = "whep";
    info.version = SWITCHBOARD_SDK_VERSION;
    NodeTypeInfo server;
    server.type = "whep.server";
    server.role = NodeRole::signalling;
    server.summary = "WHEP viewers and WHIP publishers over HTTP, with a built-in browser viewer page";
    server.config_schema = server_schema;
    server.create = settings_node_factory<ServerNode, ServerSettings>();
    info.node_types.push_back(std::move(server));
    return info;
}

}  // namespace switchboard::whep
