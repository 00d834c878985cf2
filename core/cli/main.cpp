/// The `switchboard` program: argument parsing only; the commands live beside it.
#include <cstdio>
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
  switchboard --version | --help

exit codes: 0 success, 1 failure while running, 2 bad config or usage.
plugins are searched in the config's plugin_path, then SWITCHBOARD_PLUGIN_PATH, then
the folder installed beside the program.
)";

int usage_error(const std::string& message) {
    std::fprintf(stderr, "switchboard: %s\n\n%s", message.c_str(), usage);
    return switchboard::core::exit_bad_config;
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
    return usage_error("unknown command " + std::string(command));
}
