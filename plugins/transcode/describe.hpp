/// \file describe.hpp
/// \brief The transcode plugin's descriptor: encoder and decoder node types.
///
/// Kept apart from plugin.cpp (which exports it) so unit tests can link the plugin's
/// code without its exported symbols.
#pragma once

#include <switchboard/plugin.hpp>

namespace switchboard::transcode {

/// Name, version and node types of the transcode plugin.
PluginInfo describe();

}  // namespace switchboard::transcode
