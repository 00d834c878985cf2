/// \file describe.hpp
/// \brief The testsrc plugin's descriptor: its node types and their factories.
///
/// Kept apart from plugin.cpp (which exports it) so unit tests can link the plugin's
/// code without its exported symbols.
#pragma once

#include <switchboard/plugin.hpp>

namespace switchboard::testsrc {

/// Name, version and node types of the testsrc plugin.
PluginInfo describe();

}  // namespace switchboard::testsrc
