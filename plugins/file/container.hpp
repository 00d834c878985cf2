/// \file container.hpp
/// \brief The containers file.sink writes, how one is chosen, and which codecs each holds.
#pragma once

#include <string>
#include <string_view>

#include <switchboard/format.hpp>

namespace switchboard::file {

enum class Container { matroska, mp4, webm };

/// "matroska", "mp4", "webm": the config's spelling.
std::string_view to_string(Container c) noexcept;

/// The container for a config's "container" value; "auto" picks by the extension of
/// `path` (.mkv/.mka, .mp4/.m4a/.m4v/.mov, .webm). Throws std::invalid_argument naming
/// the key and the path when neither says.
Container choose_container(std::string_view name, const std::string& path);

/// The libavformat muxer for a container.
const char* muxer_name(Container c) noexcept;

/// True when the container can hold `codec` (libavformat's own answer).
bool can_hold(Container c, Codec codec) noexcept;

}  // namespace switchboard::file
