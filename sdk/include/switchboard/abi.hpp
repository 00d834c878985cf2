/// \file abi.hpp
/// \brief The plugin ABI version and the visibility macros every SDK header uses.
///
/// A plugin records the ABI version it was compiled against in a plain `extern "C"`
/// constant (see plugin.hpp). The host reads that constant before it touches any C++
/// symbol of the plugin, and refuses a plugin whose version differs: the SDK's classes
/// cross the shared-object boundary by value (std::string, std::function, vtables), so
/// any layout change in these headers must bump SWITCHBOARD_ABI_VERSION.
#pragma once

#include <cstdint>

/// Incremented on every change to a type or virtual function in sdk/include/switchboard.
#define SWITCHBOARD_ABI_VERSION 4u

/// Human-readable SDK release; informational only, the ABI version is what is checked.
#define SWITCHBOARD_SDK_VERSION "0.4.0"

/// Interface classes (anything with a vtable that crosses the plugin boundary) keep
/// default visibility even in plugins built with -fvisibility=hidden: their typeinfo must
/// be one object across dlopen, or dynamic_cast and UBSan's vptr check break.
#define SWITCHBOARD_INTERFACE __attribute__((visibility("default")))

/// Symbols a plugin exports to the host (the ABI constant and the descriptor alias).
#define SWITCHBOARD_EXPORT __attribute__((visibility("default")))

namespace switchboard {

/// The ABI version these headers describe, for code that prefers a constant to a macro.
inline constexpr std::uint32_t abi_version = SWITCHBOARD_ABI_VERSION;

}  // namespace switchboard
