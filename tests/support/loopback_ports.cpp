#include "support/loopback_ports.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <mutex>
#include <set>
#include <thread>

namespace switchboard::test {

namespace {

sockaddr_in loopback(std::uint16_t port) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(port);
    return a;
}

}  // namespace

std::uint16_t free_loopback_port() {
    // A port is free only until someone binds it: a test that asks twice before starting
    // its servers (a TV page, then a control API) must not get the same one twice.
    static std::mutex mutex;
    static std::set<std::uint16_t> handed_out;
    std::lock_guard lock(mutex);
    for (int attempt = 0; attempt < 64; ++attempt) {
        int udp = socket(AF_INET, SOCK_DGRAM, 0);
        sockaddr_in a = loopback(0);
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
        if (tcp_free && handed_out.insert(ntohs(a.sin_port)).second) return ntohs(a.sin_port);
    }
    return 0;
}

bool accepts_tcp(std::uint16_t port) {
    int s = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a = loopback(port);
    const bool ok = connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    close(s);
    return ok;
}

bool wait_for_tcp(std::uint16_t port, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (accepts_tcp(port)) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
}

}  // namespace switchboard::test
