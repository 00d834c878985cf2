/// \file describe.hpp
/// \brief The rtsp plugin's descriptor: the rtsp.source node type.
#pragma once

#include <switchboard/plugin.hpp>

namespace switchboard::rtsp {

PluginInfo describe();

}  // namespace switchboard::rtsp
