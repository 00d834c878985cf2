/// \file tv_page.hpp
/// \brief The TV page (tv.html) a web receiver shows during a call in webrtc mode.
///
/// Plain HTML and JavaScript, no build step: it plays the call over ./whep with the
/// per-call token of its URL, full screen, sound on, and reports window.switchboardTv =
/// {state, framesDecoded, error}. The text is tv.html itself, made into a raw string by
/// CMake (tv_page.cpp.in).
#pragma once

#include <string_view>

namespace switchboard::chromecast {

/// The page, as served.
std::string_view tv_page() noexcept;

}  // namespace switchboard::chromecast
