// The accept loop; see http_server.hpp.
#include "http_server.hpp"

#include <algorithm>

#include <boost/asio/post.hpp>

namespace switchboard::http {

HttpServer::HttpServer(boost::asio::any_io_executor io, HttpLimits limits, RequestHandler handler,
                       std::shared_ptr<Logger> log)
    : m_io(io),
      m_acceptor(io),
      m_limits(limits),
      m_handler(std::make_shared<const RequestHandler>(std::move(handler))),
      m_log(std::move(log)) {}

Result<boost::asio::ip::tcp::endpoint> HttpServer::listen(const boost::asio::ip::tcp::endpoint& endpoint) {
    boost::system::error_code error;
    auto fail = [&](const char* step) -> Result<boost::asio::ip::tcp::endpoint> {
        const auto message = std::string("cannot listen on ") + endpoint.address().to_string() + ":" +
                             std::to_string(endpoint.port()) + ": " + step + ": " + error.message();
        boost::system::error_code ignored;
        m_acceptor.close(ignored);
        return Error::unavailable(message);
    };
    if (m_acceptor.open(endpoint.protocol(), error)) return fail("open");
    if (m_acceptor.set_option(boost::asio::socket_base::reuse_address(true), error)) return fail("SO_REUSEADDR");
    if (m_acceptor.bind(endpoint, error)) return fail("bind");
    if (m_acceptor.listen(boost::asio::socket_base::max_listen_connections, error)) return fail("listen");
    auto bound = m_acceptor.local_endpoint(error);
    if (error) return fail("local_endpoint");
    boost::asio::post(m_io, [self = shared_from_this()] { self->do_accept(); });
    return bound;
}

void HttpServer::close() noexcept {
    if (m_closed) return;
    m_closed = true;
    boost::system::error_code ignored;
    m_acceptor.close(ignored);
    for (auto& weak : m_connections)
        if (auto connection = weak.lock()) connection->close();
    m_connections.clear();
}

void HttpServer::do_accept() {
    if (m_closed) return;
    m_acceptor.async_accept(
        m_io, [self = shared_from_this()](boost::system::error_code error, boost::asio::ip::tcp::socket socket) {
            if (self->m_closed) return;
            if (error) {
                // A failed accept (out of descriptors) must not end the server.
                if (error != boost::asio::error::operation_aborted)
                    SWITCHBOARD_LOG(*self->m_log, warn, "http: accept failed: " << error.message());
            } else {
                std::erase_if(self->m_connections, [](const auto& weak) { return weak.expired(); });
                auto connection =
                    std::make_shared<HttpConnection>(std::move(socket), self->m_limits, self->m_handler, self->m_log);
                self->m_connections.push_back(connection);
                connection->start();
            }
            self->do_accept();
        });
}

}  // namespace switchboard::http
