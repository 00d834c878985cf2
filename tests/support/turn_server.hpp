/// \file turn_server.hpp
/// \brief Debian's coturn `turnserver` for a test: on 127.0.0.1, a free port, one static
/// long-term-credential user, relaying between loopback peers, its log and pid file in
/// a folder of the build tree. Ended by its PID (SIGTERM, then SIGKILL) when destroyed.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "support/process.hpp"

namespace switchboard::test {

class TurnServerProcess {
public:
    /// Starts turnserver with its log in `work_dir` (created); ready() says whether it
    /// answers on its port within `timeout`.
    /// With `auth_secret`, it takes TURN REST credentials made with that secret (as a
    /// homeserver's /voip/turnServer hands out) instead of the static user.
    TurnServerProcess(const std::string& work_dir, std::chrono::milliseconds timeout = std::chrono::seconds(10),
                      const std::string& auth_secret = {});
    ~TurnServerProcess();
    TurnServerProcess(const TurnServerProcess&) = delete;
    TurnServerProcess& operator=(const TurnServerProcess&) = delete;

    bool ready() const noexcept { return m_ready; }
    std::uint16_t port() const noexcept { return m_port; }
    static constexpr const char* username = "switchboard";
    static constexpr const char* password = "turn-test-secret";
    /// The log file (verbose: one line per allocation, permission and channel).
    std::string log_path() const { return m_log; }
    std::string log_text() const;

private:
    std::uint16_t m_port = 0;
    std::string m_log;
    bool m_ready = false;
    std::unique_ptr<ChildProcess> m_child;
};

}  // namespace switchboard::test
