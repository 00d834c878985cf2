/// \file exit_codes.hpp
/// \brief The program's exit codes, shared by the runner and the commands.
#pragma once

namespace switchboard::core {

inline constexpr int exit_ok = 0;
inline constexpr int exit_runtime_failure = 1;  ///< something failed while running
inline constexpr int exit_bad_config = 2;       ///< bad config or usage; nothing started

}  // namespace switchboard::core
