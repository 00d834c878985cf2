/// \file http_server.hpp
/// \brief Accepts TCP connections and runs an HttpConnection for each.
///
/// Runs on the io executor only (serial). Owns no request logic: every request goes to
/// the RequestHandler. close() stops accepting and closes every live connection.
#pragma once

#include <memory>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <switchboard/errors.hpp>
#include <switchboard/log.hpp>

#include "http_connection.hpp"

namespace switchboard::http {

class HttpServer : public std::enable_shared_from_this<HttpServer> {
public:
    HttpServer(boost::asio::any_io_executor io, HttpLimits limits, RequestHandler handler, std::shared_ptr<Logger> log);
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    /// Opens, binds and listens, synchronously, so a port in use is an error now; the
    /// accept loop starts on the io executor. Returns the bound endpoint (port 0 resolved).
    Result<boost::asio::ip::tcp::endpoint> listen(const boost::asio::ip::tcp::endpoint& endpoint);
    /// Stops accepting and closes every connection. Idempotent.
    void close() noexcept;

private:
    void do_accept();

    boost::asio::any_io_executor m_io;
    boost::asio::ip::tcp::acceptor m_acceptor;
    HttpLimits m_limits;
    std::shared_ptr<const RequestHandler> m_handler;
    std::shared_ptr<Logger> m_log;
    /// Live connections, to close them on close(); dead ones are pruned on accept.
    std::vector<std::weak_ptr<HttpConnection>> m_connections;
    bool m_closed = false;
};

}  // namespace switchboard::http
