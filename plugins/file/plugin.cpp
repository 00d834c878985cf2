// Exports the file plugin (libswitchboard-file.so) to the host.
#include <switchboard/plugin.hpp>

#include "describe.hpp"

SWITCHBOARD_PLUGIN(switchboard::file::describe)
