/// \file describe.hpp
/// \brief The matrix plugin's descriptor: the matrix.signalling node type.
#pragma once

#include <switchboard/plugin.hpp>

namespace switchboard::matrix {

PluginInfo describe();

}  // namespace switchboard::matrix
