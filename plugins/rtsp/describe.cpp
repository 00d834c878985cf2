// The rtsp plugin's descriptor; see describe.hpp.
#include "rtsp/describe.hpp"

#include "rtsp/source/source_node.hpp"
#include "rtsp/source/source_settings.hpp"

namespace switchboard::rtsp {

PluginInfo describe() {
    PluginInfo info;
    info.name = "rtsp";
    info.version = SWITCHBOARD_SDK_VERSION;
    NodeTypeInfo source;
    source.type = "rtsp.source";
    source.role = NodeRole::source;
    source.summary = "an IP camera over RTSP/RTSPS (TCP or UDP): its H264/H265/MJPEG video and AAC/G.711/Opus audio";
    source.config_schema = source_schema;
    source.create = settings_node_factory<SourceNode, SourceSettings>();
    info.node_types.push_back(std::move(source));
    return info;
}

}  // namespace switchboard::rtsp
