/// \file commands.hpp
/// \brief The `switchboard` program's commands. Each returns the process exit code:
/// 0 success, 2 bad config or usage (nothing started), 1 failure while running.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "runtime/exit_codes.hpp"

namespace switchboard::core {

struct RunOptions {
    std::string config_path;
    std::optional<std::string> stats_json_path;  ///< also write the exit statistics here
    std::optional<std::string> log_level;        ///< overrides the config's log_level
};

/// Builds the graph, runs it until it ends (sources finished, duration_s reached, or
/// SIGINT/SIGTERM), drains it and prints the per-node table.
int run_command(const RunOptions& options);
/// Validates a config and prints the graph with every link's formats.
int check_command(const std::string& config_path);
/// Lists the plugins on the search path, their node types and config schemas.
int plugins_command(const std::vector<std::string>& plugin_path);

}  // namespace switchboard::core
