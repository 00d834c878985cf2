// One HTTP connection; see http_connection.hpp.
#include "http_connection.hpp"

#include <array>
#include <utility>

#include <boost/asio/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

namespace switchboard::http {

namespace {

namespace beast_http = boost::beast::http;

Response plain(http::status status, std::string body) {
    Response r{status, 11};
    r.set(http::field::content_type, "text/plain; charset=utf-8");
    r.body() = std::move(body) + "\n";
    return r;
}

}  // namespace

HttpConnection::HttpConnection(boost::asio::ip::tcp::socket&& socket, const HttpLimits& limits,
                               std::shared_ptr<const RequestHandler> handler, std::shared_ptr<Logger> log)
    : m_stream(std::move(socket)), m_limits(limits), m_handler(std::move(handler)), m_log(std::move(log)) {}

void HttpConnection::start() {
    do_read();
}

void HttpConnection::close() noexcept {
    if (m_closed) return;
    m_closed = true;
    boost::system::error_code ignored;
    m_stream.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
    m_stream.close();
}

void HttpConnection::do_read() {
    if (m_closed) return;
    m_parser.emplace();
    m_parser->body_limit(m_limits.max_body_bytes);
    m_parser->header_limit(static_cast<std::uint32_t>(m_limits.max_header_bytes));
    m_stream.expires_after(m_limits.read_timeout);
    beast_http::async_read(
        m_stream, m_buffer, *m_parser,
        [self = shared_from_this()](boost::system::error_code error, std::size_t) { self->on_read(error); });
}

void HttpConnection::on_read(boost::system::error_code error) {
    if (m_closed) return;
    if (error == beast_http::error::end_of_stream || error == boost::asio::error::operation_aborted ||
        error == boost::beast::error::timeout || error == boost::asio::error::connection_reset ||
        error == boost::asio::error::eof) {
        // The client left or took too long: nothing to answer.
        if (error == boost::beast::error::timeout) SWITCHBOARD_LOG(*m_log, debug, "http: read timed out, closing");
        close();
        return;
    }
    m_version = 11;
    m_keep_alive = false;
    if (error == beast_http::error::body_limit) {
        write(plain(http::status::payload_too_large,
                    "request body larger than " + std::to_string(m_limits.max_body_bytes) + " bytes"),
              true);
        return;
    }
    if (error == beast_http::error::header_limit) {
        write(plain(http::status::request_header_fields_too_large, "request headers too large"), true);
        return;
    }
    if (error) {
        SWITCHBOARD_LOG(*m_log, debug, "http: bad request: " << error.message());
        write(plain(http::status::bad_request, "malformed HTTP request: " + error.message()), true);
        return;
    }
    Request request = m_parser->release();
    m_version = request.version();
    m_keep_alive = request.keep_alive();
    // The handler may take a while (ICE gathering before an answer): no read deadline
    // while it works; the reply arms the write deadline.
    m_stream.expires_never();
    // The reply keeps the connection alive until the answer is written (or the server
    // closes it); a second reply is ignored.
    auto replied = std::make_shared<bool>(false);
    (*m_handler)(std::move(request), [self = shared_from_this(), replied](Response response) {
        if (*replied) return;
        *replied = true;
        self->write(std::move(response), false);
    });
}

void HttpConnection::write(Response response, bool close_after) {
    if (m_closed) return;
    response.version(m_version);
    response.keep_alive(m_keep_alive && !close_after);
    response.prepare_payload();
    auto message = std::make_shared<Response>(std::move(response));
    m_stream.expires_after(m_limits.read_timeout);
    beast_http::async_write(
        m_stream, *message,
        [self = shared_from_this(), message, close_after](boost::system::error_code error, std::size_t) {
            if (error) return self->close();
            if (close_after) return self->linger();
            if (!message->keep_alive()) return self->close();
            self->do_read();
        });
}

void HttpConnection::linger() {
    if (m_closed) return;
    boost::system::error_code ignored;
    m_stream.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_send, ignored);
    auto scratch = std::make_shared<std::array<char, 4096>>();
    m_stream.expires_after(m_limits.read_timeout);
    m_stream.async_read_some(boost::asio::buffer(*scratch),
                             [self = shared_from_this(), scratch](boost::system::error_code error, std::size_t) {
                                 if (error) return self->close();
                                 self->linger();
                             });
}

}  // namespace switchboard::http
