// A TCP server that answers from a test's script; see scripted_tcp_server.hpp.
#include "support/scripted_tcp_server.hpp"

#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>

namespace switchboard::test {

namespace asio = boost::asio;
using asio::ip::tcp;

ScriptedTcpServer::ScriptedTcpServer(std::function<std::string(const std::string&)> answer)
    : m_answer(std::move(answer)), m_acceptor(m_io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    m_port = m_acceptor.local_endpoint().port();
    m_thread = std::thread([this] { serve(); });
}

ScriptedTcpServer::~ScriptedTcpServer() {
    m_stopping = true;
    boost::system::error_code ignored;
    // Wakes a blocking accept() or read: shutting the acceptor down ends serve().
    ::shutdown(m_acceptor.native_handle(), SHUT_RDWR);
    m_acceptor.close(ignored);
    if (m_thread.joinable()) m_thread.join();
}

void ScriptedTcpServer::serve() {
    while (!m_stopping) {
        boost::system::error_code ec;
        tcp::socket socket(m_io);
        m_acceptor.accept(socket, ec);
        if (ec) return;
        // Reads block at most 10 s, so a client that never sends cannot hold the thread.
        timeval tv{10, 0};
        ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        asio::streambuf buffer;
        while (!m_stopping) {
            const auto n = asio::read_until(socket, buffer, "\r\n\r\n", ec);
            if (ec) break;
            std::string head(asio::buffers_begin(buffer.data()), asio::buffers_begin(buffer.data()) + n);
            buffer.consume(n);
            ++m_requests;
            const std::string reply = m_answer(head);
            if (reply.empty()) break;
            asio::write(socket, asio::buffer(reply), ec);
            if (ec) break;
        }
    }
}

std::string cseq_of(const std::string& request) {
    const auto at = request.find("CSeq:");
    if (at == std::string::npos) return "0";
    const auto start = request.find_first_not_of(' ', at + 5);
    return request.substr(start, request.find("\r\n", start) - start);
}

}  // namespace switchboard::test
