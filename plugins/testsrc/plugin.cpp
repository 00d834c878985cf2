// Exports the testsrc plugin (libswitchboard-testsrc.so) to the host.
#include <switchboard/plugin.hpp>

#include "describe.hpp"

SWITCHBOARD_PLUGIN(switchboard::testsrc::describe)
