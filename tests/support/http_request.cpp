#include "support/http_request.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace switchboard::test {

HttpReply http_request(const std::string& method, std::uint16_t port, const std::string& target,
                       const std::string& body, const std::string& content_type, std::chrono::milliseconds timeout,
                       const std::map<std::string, std::string>& headers) {
    namespace beast = boost::beast;
    namespace http = beast::http;
    HttpReply reply;
    auto verb = http::string_to_verb(method);
    if (verb == http::verb::unknown) {
        reply.error = "unknown method " + method;
        return reply;
    }
    boost::asio::io_context io;
    beast::tcp_stream stream(io);
    // tcp_stream's expiry only bounds asynchronous operations: run the exchange as those, on
    // an io_context of our own, bounded by run_for().
    http::request<http::string_body> request(verb, target, 11);
    request.set(http::field::host, "127.0.0.1:" + std::to_string(port));
    if (!body.empty()) request.set(http::field::content_type, content_type);
    for (const auto& [name, value] : headers) request.set(name, value);
    request.body() = body;
    request.prepare_payload();
    beast::flat_buffer buffer;
    http::response<http::string_body> response;
    beast::error_code failure;
    bool finished = false;
    auto fail = [&](beast::error_code ec, const char* what) {
        failure = ec;
        reply.error = std::string(what) + ": " + ec.message();
        finished = true;
    };
    stream.expires_after(timeout);
    stream.async_connect(boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port),
                         [&](beast::error_code ec) {
                             if (ec) return fail(ec, "connect");
                             http::async_write(stream, request, [&](beast::error_code ec, std::size_t) {
                                 if (ec) return fail(ec, "write");
                                 http::async_read(stream, buffer, response, [&](beast::error_code ec, std::size_t) {
                                     if (ec) return fail(ec, "read");
                                     reply.status = static_cast<int>(response.result_int());
                                     reply.body = std::move(response.body());
                                     finished = true;
                                 });
                             });
                         });
    io.run_for(timeout + std::chrono::milliseconds(100));
    if (!finished) reply.error = "no reply within " + std::to_string(timeout.count()) + " ms";
    beast::error_code ignored;
    stream.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
    return reply;
}

}  // namespace switchboard::test
