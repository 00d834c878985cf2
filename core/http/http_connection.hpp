/// \file http_connection.hpp
/// \brief One HTTP/1.1 client connection: read a request, hand it on, write the reply,
/// repeat while the client keeps the connection alive.
///
/// Beast parses; this class only adds the limits (body and header size, a read timeout)
/// and turns a parse failure into a 4xx without bothering the request handler. Runs on
/// the io executor only, which must be serial (the host's control loop); pending
/// operations hold a shared_ptr to the connection.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <switchboard/log.hpp>

namespace switchboard::http {

// The Beast vocabulary a request handler speaks, so that `http::status::ok` reads the
// same in every service built on this server.
using boost::beast::http::field;
using boost::beast::http::status;
using boost::beast::http::verb;
using Request = boost::beast::http::request<boost::beast::http::string_body>;
using Response = boost::beast::http::response<boost::beast::http::string_body>;

/// Sends the response to one request. Call it once, on the io executor; calling it
/// after the connection went away does nothing.
using Reply = std::function<void(Response)>;
/// Answers one request, now or later, through `reply`. Runs on the io executor.
using RequestHandler = std::function<void(Request&& request, Reply reply)>;

/// What a client may send and how long it may take.
struct HttpLimits {
    std::size_t max_body_bytes = 64 * 1024;
    std::size_t max_header_bytes = 8 * 1024;
    std::chrono::milliseconds read_timeout{10'000};
};

class HttpConnection : public std::enable_shared_from_this<HttpConnection> {
public:
    HttpConnection(boost::asio::ip::tcp::socket&& socket, const HttpLimits& limits,
                   std::shared_ptr<const RequestHandler> handler, std::shared_ptr<Logger> log);
    HttpConnection(const HttpConnection&) = delete;
    HttpConnection& operator=(const HttpConnection&) = delete;

    /// Starts reading the first request.
    void start();
    /// Closes the socket; pending operations end with operation_aborted.
    void close() noexcept;

private:
    void do_read();
    void on_read(boost::system::error_code error);
    /// Writes `response`; then reads the next request, or closes when `close_after`.
    void write(Response response, bool close_after);
    /// After an error reply, shut our side and read until the client closes (or the
    /// timeout), so the client sees the reply instead of a reset.
    void linger();

    boost::beast::tcp_stream m_stream;
    boost::beast::flat_buffer m_buffer;
    std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> m_parser;
    HttpLimits m_limits;
    std::shared_ptr<const RequestHandler> m_handler;
    std::shared_ptr<Logger> m_log;
    /// The request being answered: HTTP version and whether the client wants to go on.
    unsigned m_version = 11;
    bool m_keep_alive = true;
    bool m_closed = false;
};

}  // namespace switchboard::http
