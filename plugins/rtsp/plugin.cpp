// Exports the rtsp plugin (libswitchboard-rtsp.so) to the host.
#include <switchboard/plugin.hpp>

#include "rtsp/describe.hpp"

SWITCHBOARD_PLUGIN(switchboard::rtsp::describe)
