// The whep plugin's descriptor; see describe.hpp.
#include "describe.hpp"

#include <exception>
#include <memory>

#include "server_node.hpp"
#include "server_settings.hpp"

namespace switchboard::whep {

namespace {

/// Settings errors already name their JSON pointer, so this factory does not use
/// node_factory<>() (which would prefix the config's pointer a second time).
Result<std::unique_ptr<Node>> create_server(NodeContext& context, const NodeConfig& config) {
    try {
        auto settings = ServerSettings::from(config);
        if (!settings) return settings.error();
        return std::unique_ptr<Node>(std::make_unique<ServerNode>(context, std::move(settings.value())));
    } catch (const std::exception& e) {
        return Error::runtime(std::string(context.name()) + ": " + e.what());
    } catch (...) {
        return Error::runtime(std::string(context.name()) + ": unknown exception");
    }
}

}  // namespace

PluginInfo describe() {
    PluginInfo info;
    info.name = "whep";
    info.version = SWITCHBOARD_SDK_VERSION;
    NodeTypeInfo server;
    server.type = "whep.server";
    server.role = NodeRole::signalling;
    server.summary = "WHEP viewers and WHIP publishers over HTTP, with a built-in browser viewer page";
    server.config_schema = server_schema;
    server.create = create_server;
    info.node_types.push_back(std::move(server));
    return info;
}

}  // namespace switchboard::whep
