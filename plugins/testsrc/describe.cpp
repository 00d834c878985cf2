// The testsrc plugin's descriptor; see describe.hpp.
#include "describe.hpp"

#include "camera_node.hpp"
#include "camera_settings.hpp"

namespace switchboard::testsrc {

PluginInfo describe() {
    PluginInfo info;
    info.name = "testsrc";
    info.version = SWITCHBOARD_SDK_VERSION;
    NodeTypeInfo camera;
    camera.type = "testsrc.camera";
    camera.role = NodeRole::source;
    camera.summary = "test pattern camera: moving I420 video with a frame stamp, and a 48 kHz tone";
    camera.config_schema = camera_schema;
    camera.create = node_factory<CameraNode>();
    info.node_types.push_back(std::move(camera));
    return info;
}

}  // namespace switchboard::testsrc
