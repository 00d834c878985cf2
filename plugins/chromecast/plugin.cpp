// Exports the chromecast plugin (libswitchboard-chromecast.so) to the host.
#include <switchboard/plugin.hpp>

#include "describe.hpp"

SWITCHBOARD_PLUGIN(switchboard::chromecast::describe)
