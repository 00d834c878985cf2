// The file plugin's descriptor; see describe.hpp.
#include "describe.hpp"

#include <switchboard/ffmpeg/log.hpp>

#include "sink_node.hpp"
#include "sink_settings.hpp"
#include "source_node.hpp"
#include "source_settings.hpp"

namespace switchboard::file {

PluginInfo describe() {
    ffmpeg::keep_library_log_to_warnings();
    PluginInfo info;
    info.name = "file";
    info.version = SWITCHBOARD_SDK_VERSION;

    NodeTypeInfo sink;
    sink.type = "file.sink";
    sink.role = NodeRole::sink;
    sink.summary = "records encoded video and audio to a Matroska, MP4 or WebM file";
    sink.config_schema = sink_schema;
    sink.create = node_factory<SinkNode>();
    info.node_types.push_back(std::move(sink));

    NodeTypeInfo source;
    source.type = "file.source";
    source.role = NodeRole::source;
    source.summary = "plays a media file's video and audio as encoded frames, paced or as fast as read";
    source.config_schema = source_schema;
    source.create = node_factory<SourceNode>();
    info.node_types.push_back(std::move(source));
    return info;
}

}  // namespace switchboard::file
