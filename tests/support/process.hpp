/// \file process.hpp
/// \brief Runs a program for a test: arguments, extra environment, captured output, a
/// timeout after which the child is killed by its PID. Never a shell.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace switchboard::test {

struct ProcessResult {
    int exit_code = -1;      ///< the exit status, or 128 + signal
    bool timed_out = false;  ///< killed after the timeout
    std::string out;         ///< stdout
    std::string err;         ///< stderr
};

/// Runs `argv` (argv[0] is a path) with the current environment plus `env` (an empty
/// value unsets), waits at most `timeout`, and returns what it printed.
ProcessResult run_process(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env = {},
                          std::chrono::milliseconds timeout = std::chrono::seconds(60));

}  // namespace switchboard::test
