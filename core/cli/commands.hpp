/// \file commands.hpp
/// \brief The `switchboard` program's commands. Each returns the process exit code:
/// 0 success, 2 bad config or usage (nothing started), 1 failure while running.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <switchboard/errors.hpp>

#include "cli/control_client.hpp"

#include "runtime/exit_codes.hpp"

namespace switchboard::core {

struct RunOptions {
    std::string config_path;
    std::optional<std::string> stats_json_path;  ///< also write the exit statistics here
    std::optional<std::string> log_level;        ///< overrides the config's log_level
};

/// `switchboard call STATION [TARGET] [--option KEY=JSONVALUE]...`
struct CallOptions {
    ControlEndpoint control;
    std::string station;
    std::string target;                                        ///< empty: the station's default
    std::vector<std::pair<std::string, std::string>> options;  ///< KEY, a JSON value's text
};

/// Builds the graph, runs it until it ends (sources finished, duration_s reached, or
/// SIGINT/SIGTERM), drains it and prints the per-node table.
int run_command(const RunOptions& options);
/// Validates a config and prints the graph with every link's formats.
int check_command(const std::string& config_path);
/// Lists the plugins on the search path, their node types and config schemas.
int plugins_command(const std::vector<std::string>& plugin_path);

// The control API's clients (control_commands.cpp): 1 when the API cannot be reached or
// refuses, with its message on stderr.

/// Asks a station to place a call and prints "<call id> <state>".
int call_command(const CallOptions& options);
/// Ends each call; prints "ended <id>" for each that ended.
int hangup_command(const ControlEndpoint& control, const std::vector<std::string>& ids);
/// Prints every station's calls as a table, or the API's JSON.
int calls_command(const ControlEndpoint& control, bool json);
/// The body of `POST /stations/{name}/call`; Error::invalid for an option value that is
/// not JSON or a key given twice.
Result<std::string> call_request_body(const std::string& target,
                                      const std::vector<std::pair<std::string, std::string>>& options);

}  // namespace switchboard::core
