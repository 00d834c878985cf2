#include "support/turn_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace switchboard::test {

namespace {

/// A port free for both UDP and TCP on 127.0.0.1 right now (turnserver listens on both).
std::uint16_t free_port() {
    for (int attempt = 0; attempt < 20; ++attempt) {
        int udp = socket(AF_INET, SOCK_DGRAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof a;
        if (bind(udp, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
            getsockname(udp, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
            close(udp);
            continue;
        }
        int tcp = socket(AF_INET, SOCK_STREAM, 0);
        const bool tcp_free = bind(tcp, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
        close(tcp);
        close(udp);
        if (tcp_free) return ntohs(a.sin_port);
    }
    return 0;
}

bool accepts_tcp(std::uint16_t port) {
    int s = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(port);
    const bool ok = connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    close(s);
    return ok;
}

}  // namespace

TurnServerProcess::TurnServerProcess(const std::string& work_dir, std::chrono::milliseconds timeout) {
    std::filesystem::create_directories(work_dir);
    m_port = free_port();
    if (m_port == 0) return;
    m_log = work_dir + "/turnserver.log";
    std::filesystem::remove(m_log);
    const std::string port = std::to_string(m_port);
    // Relay ports well away from the listening one; loopback peers are refused unless
    // allowed (they are a classic TURN abuse), and tests have nothing else.
    m_child = std::make_unique<ChildProcess>(std::vector<std::string>{"/usr/bin/turnserver",
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
                                                                      "--user",
                                                                      std::string(username) + ":" + password,
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
                                                                      "--verbose"});
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (accepts_tcp(m_port)) {
            m_ready = true;
            return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
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
