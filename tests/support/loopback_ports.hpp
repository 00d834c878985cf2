/// \file loopback_ports.hpp
/// \brief Ports on 127.0.0.1 for servers a test starts: one that is free now, and a
/// bounded wait until something accepts TCP on it.
#pragma once

#include <chrono>
#include <cstdint>

namespace switchboard::test {

/// A port free for both UDP and TCP on 127.0.0.1 right now, and never returned before in
/// this process; 0 if none was found.
std::uint16_t free_loopback_port();
/// Whether something accepts a TCP connection on 127.0.0.1:port.
bool accepts_tcp(std::uint16_t port);
/// Polls accepts_tcp() until it holds or `timeout` passes.
bool wait_for_tcp(std::uint16_t port, std::chrono::milliseconds timeout);

}  // namespace switchboard::test
