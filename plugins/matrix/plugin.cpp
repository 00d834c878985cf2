// Exports the matrix plugin (libswitchboard-matrix.so) to the host.
#include <switchboard/plugin.hpp>

#include "matrix/describe.hpp"

SWITCHBOARD_PLUGIN(switchboard::matrix::describe)
