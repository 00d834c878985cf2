/// \file scripted_tcp_server.hpp
/// \brief A TCP server on 127.0.0.1 that answers each request (bytes up to a blank line)
/// with what a test's function returns: a broken camera, a server that speaks another
/// protocol. One connection at a time, on its own thread; the destructor ends it.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace switchboard::test {

class ScriptedTcpServer {
public:
    /// `answer` gets each request's head (request line and headers) and returns the bytes
    /// to send back; an empty string closes the connection.
    explicit ScriptedTcpServer(std::function<std::string(const std::string& request)> answer);
    ~ScriptedTcpServer();
    ScriptedTcpServer(const ScriptedTcpServer&) = delete;
    ScriptedTcpServer& operator=(const ScriptedTcpServer&) = delete;

    std::uint16_t port() const noexcept { return m_port; }
    /// Requests answered so far.
    int requests() const noexcept { return m_requests.load(); }

private:
    void serve();

    std::function<std::string(const std::string&)> m_answer;
    boost::asio::io_context m_io;
    boost::asio::ip::tcp::acceptor m_acceptor;
    std::uint16_t m_port = 0;
    std::atomic<int> m_requests{0};
    std::atomic<bool> m_stopping{false};
    std::thread m_thread;
};

/// The CSeq header's value in a request head ("1"), or "0".
std::string cseq_of(const std::string& request);

}  // namespace switchboard::test
