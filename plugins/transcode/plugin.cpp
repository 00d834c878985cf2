// Exports the transcode plugin (libswitchboard-transcode.so) to the host.
#include <switchboard/plugin.hpp>

#include "describe.hpp"

SWITCHBOARD_PLUGIN(switchboard::transcode::describe)
