#include "support/turn_server.hpp"

#include "support/loopback_ports.hpp"

#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace switchboard::test {

TurnServerProcess::TurnServerProcess(const std::string& work_dir, std::chrono::milliseconds timeout,
                                     const std::string& auth_secret) {
    std::filesystem::create_directories(work_dir);
    m_port = free_loopback_port();
    if (m_port == 0) return;
    m_log = work_dir + "/turnserver.log";
    std::filesystem::remove(m_log);
    const std::string port = std::to_string(m_port);
    // Relay ports well away from the listening one; loopback peers are refused unless
    // allowed (they are a classic TURN abuse), and tests have nothing else.
    std::vector<std::string> argv{"/usr/bin/turnserver",
                                  "-n",
                                  "--listening-ip",
                                  "127.0.0.1",
                                  "--relay-ip",
                                  "127.0.0.1",
                                  "--listening-port",
                                  port,
                                  "--allow-loopback-peers",
                                  "--no-cli",
                                  "--no-tls",
                                  "--no-dtls",
                                  "--lt-cred-mech",
                                  "--realm",
                                  "switchboard.test",
                                  "--min-port",
                                  "49152",
                                  "--max-port",
                                  "65535",
                                  "--log-file",
                                  m_log,
                                  "--simple-log",
                                  "--no-stdout-log",
                                  "--pidfile",
                                  work_dir + "/turnserver.pid",
                                  "--no-software-attribute",
                                  "--db",
                                  work_dir + "/turndb",
                                  "--verbose"};
    if (auth_secret.empty()) {
        argv.insert(argv.end(), {"--user", std::string(username) + ":" + password});
    } else {
        // TURN REST credentials (what a homeserver's /voip/turnServer hands out).
        argv.insert(argv.end(), {"--use-auth-secret", "--static-auth-secret", auth_secret});
    }
    m_child = std::make_unique<ChildProcess>(argv);
    m_ready = wait_for_tcp(m_port, timeout);
}

TurnServerProcess::~TurnServerProcess() {
    if (!m_child) return;
    m_child->signal(SIGTERM);
    m_child->wait(std::chrono::seconds(5));  // kills it (by PID) if it does not stop
}

std::string TurnServerProcess::log_text() const {
    std::ifstream in(m_log);
    std::stringstream all;
    all << in.rdbuf();
    return all.str();
}

}  // namespace switchboard::test
