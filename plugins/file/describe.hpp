/// \file describe.hpp
/// \brief The file plugin's descriptor: file.sink and file.source.
///
/// Kept apart from plugin.cpp (which exports it) so unit tests can link the plugin's
/// code without its exported symbols.
#pragma once

#include <switchboard/plugin.hpp>

namespace switchboard::file {

/// Name, version and node types of the file plugin.
PluginInfo describe();

}  // namespace switchboard::file
