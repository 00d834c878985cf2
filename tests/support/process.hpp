/// \file process.hpp
/// \brief Runs a program for a test: arguments, extra environment, captured output, a
/// timeout after which the child is killed by its PID. Never a shell.
#pragma once

#include <sys/types.h>
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

/// A started child. wait() must be called (the destructor kills and reaps a child that
/// was not waited for).
class ChildProcess {
public:
    /// Starts `argv` (argv[0] is a path) with the current environment plus `env` (an
    /// empty value unsets).
    ChildProcess(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env = {});
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    pid_t pid() const noexcept { return m_pid; }
    void signal(int sig) const;
    /// Collects output until the child exits or `timeout` passes (then kills it).
    ProcessResult wait(std::chrono::milliseconds timeout);

private:
    pid_t m_pid = -1;
    int m_out = -1;
    int m_err = -1;
    bool m_waited = false;
};

/// Starts `argv` and waits for it: ChildProcess(argv, env).wait(timeout).
ProcessResult run_process(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env = {},
                          std::chrono::milliseconds timeout = std::chrono::seconds(60));

}  // namespace switchboard::test
