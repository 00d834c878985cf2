/// \file describe.hpp
/// \brief The whep plugin's descriptor: the whep.server node type and its factory.
///
/// Kept apart from plugin.cpp (which exports it) so unit tests can link the plugin's
/// code without its exported symbols.
#pragma once

#include <switchboard/plugin.hpp>

namespace switchboard::whep {

/// Name, version and node types of the whep plugin.
PluginInfo describe();

}  // namespace switchboard::whep
