// The chromecast plugin's descriptor; see describe.hpp.
#include "describe.hpp"

#include "chromecast/sink/sink_node.hpp"
#include "chromecast/sink/sink_settings.hpp"

namespace switchboard::chromecast {

PluginInfo describe() {
    PluginInfo info;
    info.name = "chromecast";
    info.version = SWITCHBOARD_SDK_VERSION;
    NodeTypeInfo sink;
    sink.type = "chromecast.sink";
    sink.role = NodeRole::sink;
    sink.summary = "Shows the station's calls on a Chromecast: over WebRTC in a web receiver, or as low-latency HLS";
    sink.config_schema = sink_schema;
    sink.create = settings_node_factory<SinkNode, SinkSettings>();
    info.node_types.push_back(std::move(sink));
    return info;
}

}  // namespace switchboard::chromecast
