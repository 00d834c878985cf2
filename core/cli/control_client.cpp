// The control API's client; see control_client.hpp.
#include "cli/control_client.hpp"

#include <rapidjson/document.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

namespace switchboard::core {

namespace beast_http = boost::beast::http;

std::string ControlReply::error_message() const {
    rapidjson::Document doc;
    doc.Parse(body.data(), body.size());
    if (!doc.HasParseError() && doc.IsObject() && doc.HasMember("error") && doc["error"].IsString())
        return {doc["error"].GetString(), doc["error"].GetStringLength()};
    if (body.empty()) return "HTTP status " + std::to_string(status);
    return body;
}

Result<ControlReply> control_request(const ControlEndpoint& endpoint, beast_http::verb method,
                                     const std::string& target, const std::string& body,
                                     std::chrono::milliseconds timeout) {
    const auto fail = [&](const std::string& what) -> Result<ControlReply> {
        return Error::unavailable("cannot reach the control API at " + endpoint.address + ": " + what);
    };
    const auto colon = endpoint.address.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == endpoint.address.size())
        return Error::invalid("control address: expected host:port, found \"" + endpoint.address + "\"");
    std::string host = endpoint.address.substr(0, colon);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    const std::string port = endpoint.address.substr(colon + 1);

    // Asynchronous operations on a private io_context, so one deadline bounds the
    // connect, the write and the read together; the caller just waits.
    boost::asio::io_context io;
    boost::asio::ip::tcp::resolver resolver(io);
    boost::system::error_code error;
    const auto addresses = resolver.resolve(host, port, error);
    if (error) return fail("resolve: " + error.message());

    beast_http::request<beast_http::string_body> request{method, target, 11};
    request.set(beast_http::field::host, endpoint.address);
    request.set(beast_http::field::user_agent, "switchboard");
    request.set(beast_http::field::accept, "application/json");
    if (endpoint.token) request.set(beast_http::field::authorization, "Bearer " + *endpoint.token);
    if (!body.empty()) {
        request.set(beast_http::field::content_type, "application/json");
        request.body() = body;
    }
    request.prepare_payload();

    boost::beast::tcp_stream stream(io);
    boost::beast::flat_buffer buffer;
    beast_http::response<beast_http::string_body> response;
    const char* step = "connect";
    stream.expires_after(timeout);
    stream.async_connect(addresses, [&](boost::system::error_code ec, const auto&) {
        if ((error = ec)) return;
        step = "send";
        beast_http::async_write(stream, request, [&](boost::system::error_code ec, std::size_t) {
            if ((error = ec)) return;
            step = "receive";
            beast_http::async_read(stream, buffer, response,
                                   [&](boost::system::error_code ec, std::size_t) { error = ec; });
        });
    });
    io.run();
    if (error == boost::beast::error::timeout)
        return fail("no answer in " + std::to_string(timeout.count() / 1000) + " s (" + step + ")");
    if (error) return fail(std::string(step) + ": " + error.message());
    boost::system::error_code ignored;
    stream.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
    return ControlReply{response.result_int(), std::move(response.body())};
}

}  // namespace switchboard::core
