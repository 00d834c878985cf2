/// The `switchboard` program: argument parsing only; the commands live beside it.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include <switchboard/abi.hpp>

#include "cli/commands.hpp"

namespace {

constexpr const char* usage = R"(usage:
  switchboard run CONFIG [--stats-json FILE] [--log-level LEVEL]
      Build the graph in CONFIG and run it until it ends (its sources finish, its
      duration_s passes, or SIGINT/SIGTERM), then print per-node statistics.
  switchboard check CONFIG
      Validate CONFIG and print the graph with each link's formats; nothing runs.
  switchboard plugins [--plugin-path DIR]...
      List the plugins found, their node types and config schemas.
  switchboard call STATION [TARGET] [--option KEY=JSONVALUE]... [--control HOST:PORT] [--token TOKEN]
      Ask a station of a running switchboard to place a call (to TARGET, or its
      default); prints the call id and state.
  switchboard hangup CALL_ID... [--control HOST:PORT] [--token TOKEN]
      End calls of a running switchboard.
  switchboard calls [--json] [--control HOST:PORT] [--token TOKEN]
      List the calls of every station of a running switchboard.
  switchboard --version | --help

call, hangup and calls reach the control API of `switchboard run` at
--control HOST:PORT (or SWITCHBOARD_CONTROL; default 127.0.0.1:8890), with
--token TOKEN (or SWITCHBOARD_CONTROL_TOKEN) when it asks for one.

exit codes: 0 success, 1 failure while running (or refused by the control API),
2 bad config or usage.
plugins are searched in the config's plugin_path, then SWITCHBOARD_PLUGIN_PATH, then
the folder installed beside the program.
)";

int usage_error(const std::string& message) {
    std::fprintf(stderr, "switchboard: %s\n\n%s", message.c_str(), usage);
    return switchboard::core::exit_bad_config;
}

/// Takes --control and --token out of `args` (at `i`), with the environment as fallback.
/// Returns true when args[i] was one of them (and `i` moved past its value).
bool control_flag(const std::vector<std::string_view>& args, std::size_t& i,
                  switchboard::core::ControlEndpoint& control) {
    if ((args[i] != "--control" && args[i] != "--token") || i + 1 >= args.size()) return false;
    (args[i] == "--control" ? control.address : control.token.emplace()) = std::string(args[i + 1]);
    ++i;
    return true;
}

switchboard::core::ControlEndpoint control_from_environment() {
    switchboard::core::ControlEndpoint control;
    if (const char* address = std::getenv("SWITCHBOARD_CONTROL"); address && *address) control.address = address;
    if (const char* token = std::getenv("SWITCHBOARD_CONTROL_TOKEN"); token && *token) control.token = token;
    return control;
}

int call(const std::vector<std::string_view>& args) {
    switchboard::core::CallOptions options;
    options.control = control_from_environment();
    std::vector<std::string> positional;
    for (std::size_t i = 1; i < args.size(); ++i) {
        if (control_flag(args, i, options.control)) continue;
        if (args[i] == "--option" && i + 1 < args.size()) {
            const auto option = args[++i];
            const auto equals = option.find('=');
            if (equals == std::string_view::npos || equals == 0)
                return usage_error("call: --option takes KEY=JSONVALUE, found " + std::string(option));
            options.options.emplace_back(option.substr(0, equals), option.substr(equals + 1));
        } else if (args[i].starts_with("--")) {
            return usage_error("call: unknown option " + std::string(args[i]));
        } else {
            positional.emplace_back(args[i]);
        }
    }
    if (positional.empty()) return usage_error("call: STATION is required");
    if (positional.size() > 2) return usage_error("call: expected STATION [TARGET]");
    options.station = positional[0];
    if (positional.size() == 2) options.target = positional[1];
    return switchboard::core::call_command(options);
}

int hangup(const std::vector<std::string_view>& args) {
    auto control = control_from_environment();
    std::vector<std::string> ids;
    for (std::size_t i = 1; i < args.size(); ++i) {
        if (control_flag(args, i, control)) continue;
        if (args[i].starts_with("--")) return usage_error("hangup: unknown option " + std::string(args[i]));
        ids.emplace_back(args[i]);
    }
    if (ids.empty()) return usage_error("hangup: CALL_ID is required");
    return switchboard::core::hangup_command(control, ids);
}

int calls(const std::vector<std::string_view>& args) {
    auto control = control_from_environment();
    bool json = false;
    for (std::size_t i = 1; i < args.size(); ++i) {
        if (control_flag(args, i, control)) continue;
        if (args[i] == "--json")
            json = true;
        else
            return usage_error("calls: unknown argument " + std::string(args[i]));
    }
    return switchboard::core::calls_command(control, json);
}

}  // namespace

int main(int argc, char** argv) {
    using namespace switchboard::core;
    std::vector<std::string_view> args(argv + 1, argv + argc);
    if (args.empty()) return usage_error("no command given");
    const auto command = args[0];
    if (command == "--help" || command == "-h" || command == "help") {
        std::fputs(usage, stdout);
        return exit_ok;
    }
    if (command == "--version") {
        std::printf("switchboard %s (plugin ABI %u)\n", SWITCHBOARD_SDK_VERSION, SWITCHBOARD_ABI_VERSION);
        return exit_ok;
    }
    if (command == "run") {
        RunOptions options;
        for (std::size_t i = 1; i < args.size(); ++i) {
            if ((args[i] == "--stats-json" || args[i] == "--log-level") && i + 1 < args.size()) {
                (args[i] == "--stats-json" ? options.stats_json_path : options.log_level) = std::string(args[i + 1]);
                ++i;
            } else if (args[i].starts_with("--")) {
                return usage_error("run: unknown option " + std::string(args[i]));
            } else if (options.config_path.empty()) {
                options.config_path = args[i];
            } else {
                return usage_error("run: more than one CONFIG");
            }
        }
        if (options.config_path.empty()) return usage_error("run: CONFIG is required");
        return run_command(options);
    }
    if (command == "check") {
        if (args.size() != 2) return usage_error("check: expected exactly one CONFIG");
        return check_command(std::string(args[1]));
    }
    if (command == "plugins") {
        std::vector<std::string> path;
        for (std::size_t i = 1; i < args.size(); ++i) {
            if (args[i] == "--plugin-path" && i + 1 < args.size())
                path.emplace_back(args[++i]);
            else
                return usage_error("plugins: unknown argument " + std::string(args[i]));
        }
        return plugins_command(path);
    }
    if (command == "call") return call(args);
    if (command == "hangup") return hangup(args);
    if (command == "calls") return calls(args);
    return usage_error("unknown command " + std::string(command));
}
