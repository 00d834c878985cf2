// Exports the whep plugin (libswitchboard-whep.so) to the host.
#include <switchboard/plugin.hpp>

#include "describe.hpp"

SWITCHBOARD_PLUGIN(switchboard::whep::describe)
