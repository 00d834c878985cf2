// The transcode plugin's descriptor; see describe.hpp.
#include "describe.hpp"

#include <switchboard/ffmpeg/log.hpp>

#include "decoder_node.hpp"
#include "decoder_settings.hpp"
#include "encoder_node.hpp"
#include "encoder_settings.hpp"
#include "planner.hpp"

namespace switchboard::transcode {

PluginInfo describe() {
    ffmpeg::keep_library_log_to_warnings();
    PluginInfo info;
    info.name = "transcode";
    info.version = SWITCHBOARD_SDK_VERSION;

    NodeTypeInfo encoder;
    encoder.type = "transcode.encoder";
    encoder.role = NodeRole::filter;
    encoder.summary =
        "real-time encoder: I420 to H264 (libx264) or VP8 (libvpx), S16 to Opus (libopus) or AAC-LC (FFmpeg's aac)";
    encoder.config_schema = encoder_schema;
    encoder.create = node_factory<EncoderNode>();
    encoder.convert = plan_conversion;
    info.node_types.push_back(std::move(encoder));

    NodeTypeInfo decoder;
    decoder.type = "transcode.decoder";
    decoder.role = NodeRole::filter;
    decoder.summary = "decoder: H264/H265/VP8/VP9/MJPEG to I420, Opus/AAC/PCMU/PCMA to S16";
    decoder.config_schema = decoder_schema;
    decoder.create = node_factory<DecoderNode>();
    decoder.convert = plan_conversion;
    info.node_types.push_back(std::move(decoder));
    return info;
}

}  // namespace switchboard::transcode
