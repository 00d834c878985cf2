/// \file viewer_page.hpp
/// \brief The built-in browser viewer (viewer.html), served at GET /.
///
/// Plain HTML and JavaScript, no build step: it offers recvonly video and audio to
/// /whep once ICE gathering is complete, plays the answer, and publishes its progress
/// as window.switchboardViewer = {state, framesDecoded, error} for tests and humans.
/// The text is viewer.html itself, made into a raw string by CMake (viewer_page.cpp.in).
#pragma once

#include <string_view>

namespace switchboard::whep {

/// The page, as served.
std::string_view viewer_page() noexcept;

}  // namespace switchboard::whep
