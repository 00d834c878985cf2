/// \file describe.hpp
/// \brief The chromecast plugin's descriptor: the chromecast.sink node type.
#pragma once

#include <switchboard/plugin.hpp>

namespace switchboard::chromecast {

PluginInfo describe();

}  // namespace switchboard::chromecast
