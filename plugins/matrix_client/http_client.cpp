#include "matrix_client/http_client.hpp"

#include <charconv>
#include <utility>

#include <openssl/ssl.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

namespace switchboard::matrix {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

std::string endpoint_of(http::verb method, const std::string& target) {
    return std::string(http::to_string(method)) + " " + target.substr(0, target.find('?'));
}

/// One request on its own connection; keeps itself alive through its pending handlers.
class HttpExchange : public std::enable_shared_from_this<HttpExchange> {
public:
    HttpExchange(asio::any_io_executor executor, const HomeserverUrl& url, asio::ssl::context* tls, HttpRequest request,
                 HttpHandler handler, std::size_t max_body)
        : m_url(url),
          m_endpoint(endpoint_of(request.method, request.target)),
          m_timeout(request.timeout),
          m_resolver(executor),
          m_resolve_timer(executor),
          m_handler(std::move(handler)) {
        if (tls) {
            m_tls.emplace(executor, *tls);
        } else {
            m_plain.emplace(executor);
        }
        m_request.method(request.method);
        m_request.target(url.base_path + request.target);
        m_request.version(11);
        m_request.set(http::field::host, url.host_header());
        m_request.set(http::field::user_agent, "Switchboard");
        m_request.set(http::field::accept, "application/json");
        m_request.set(http::field::connection, "close");
        if (!request.bearer_token.empty()) m_request.set(http::field::authorization, "Bearer " + request.bearer_token);
        if (!request.body.empty()) {
            m_request.set(http::field::content_type, "application/json");
            m_request.body() = std::move(request.body);
        }
        m_request.prepare_payload();
        m_parser.body_limit(max_body);
        m_parser.header_limit(64 * 1024);
    }

    void start() {
        tcp().expires_after(m_timeout);
        boost::system::error_code ec;
        auto address = asio::ip::make_address(m_url.host, ec);
        if (!ec) {  // an IP literal needs no resolver (and no resolver thread)
            tcp().async_connect(tcp::endpoint(address, m_url.port),
                                [self = shared_from_this()](beast::error_code e) { self->on_connect(e); });
            return;
        }
        m_resolve_timer.expires_after(m_timeout);
        m_resolve_timer.async_wait([weak = weak_from_this()](beast::error_code e) {
            if (auto self = weak.lock(); self && !e) self->m_resolver.cancel();
        });
        m_resolver.async_resolve(m_url.host, std::to_string(m_url.port),
                                 [self = shared_from_this()](beast::error_code e, tcp::resolver::results_type r) {
                                     self->m_resolve_timer.cancel();
                                     if (e) return self->fail(e, "resolving " + self->m_url.host);
                                     self->tcp().async_connect(r, [self](beast::error_code e2, const tcp::endpoint&) {
                                         self->on_connect(e2);
                                     });
                                 });
    }

    void cancel() {
        m_cancelled = true;
        m_resolver.cancel();
        m_resolve_timer.cancel();
        beast::error_code ignored;
        tcp().socket().close(ignored);
    }

private:
    beast::tcp_stream& tcp() { return m_tls ? beast::get_lowest_layer(*m_tls) : *m_plain; }

    void on_connect(beast::error_code ec) {
        if (ec) return fail(ec, "connecting");
        if (!m_tls) return write();
        // SNI, and the certificate must name the host (RFC 6125), not just chain to a CA.
        if (!SSL_set_tlsext_host_name(m_tls->native_handle(), m_url.host.c_str()))
            return fail(beast::error_code(static_cast<int>(::ERR_get_error()), asio::error::get_ssl_category()),
                        "setting SNI");
        m_tls->set_verify_mode(asio::ssl::verify_peer);
        m_tls->set_verify_callback(asio::ssl::host_name_verification(m_url.host));
        m_tls->async_handshake(asio::ssl::stream_base::client, [self = shared_from_this()](beast::error_code e) {
            if (e) return self->fail(e, "TLS handshake");
            self->write();
        });
    }

    void write() {
        auto done = [self = shared_from_this()](beast::error_code e, std::size_t) {
            if (e) return self->fail(e, "writing the request");
            self->read();
        };
        if (m_tls) {
            http::async_write(*m_tls, m_request, std::move(done));
        } else {
            http::async_write(*m_plain, m_request, std::move(done));
        }
    }

    void read() {
        auto done = [self = shared_from_this()](beast::error_code e, std::size_t) {
            if (e) return self->fail(e, "reading the answer");
            self->on_read();
        };
        if (m_tls) {
            http::async_read(*m_tls, m_buffer, m_parser, std::move(done));
        } else {
            http::async_read(*m_plain, m_buffer, m_parser, std::move(done));
        }
    }

    void on_read() {
        auto& message = m_parser.get();
        HttpResponse response;
        response.status = message.result_int();
        response.body = std::move(message.body());
        if (auto it = message.find(http::field::retry_after); it != message.end()) {
            // Seconds only; an HTTP-date is rare from homeservers and the body's
            // retry_after_ms covers it.
            auto value = it->value();
            unsigned seconds = 0;
            auto [end, err] = std::from_chars(value.data(), value.data() + value.size(), seconds);
            if (err == std::errc() && end == value.data() + value.size())
                response.retry_after = std::chrono::seconds(seconds);
        }
        close();
        finish(std::move(response));
    }

    void fail(beast::error_code ec, const std::string& step) {
        Error error{ErrorKind::network, m_endpoint, 0, {}, step + ": " + ec.message()};
        if (m_cancelled) {
            error.kind = ErrorKind::refused;
            error.message = "cancelled";
        } else if (ec == beast::error::timeout || ec == asio::error::operation_aborted) {
            error.kind = ErrorKind::timeout;
            error.message = step + ": no answer within " + std::to_string(m_timeout.count()) + " ms";
        }
        close();
        finish(std::move(error));
    }

    void close() {
        beast::error_code ignored;
        tcp().socket().close(ignored);
    }

    void finish(Result<HttpResponse> result) {
        if (auto handler = std::exchange(m_handler, nullptr)) handler(std::move(result));
    }

    HomeserverUrl m_url;
    std::string m_endpoint;
    std::chrono::milliseconds m_timeout;
    tcp::resolver m_resolver;
    asio::steady_timer m_resolve_timer;
    std::optional<beast::tcp_stream> m_plain;
    std::optional<asio::ssl::stream<beast::tcp_stream>> m_tls;
    http::request<http::string_body> m_request;
    http::response_parser<http::string_body> m_parser;
    beast::flat_buffer m_buffer;
    HttpHandler m_handler;
    bool m_cancelled = false;
};

HttpClient::HttpClient(asio::any_io_executor executor, HomeserverUrl url, const std::string& extra_ca_file,
                       std::size_t max_body_bytes)
    : m_executor(std::move(executor)), m_url(std::move(url)), m_max_body_bytes(max_body_bytes) {
    if (m_url.tls) {
        m_tls.emplace(asio::ssl::context::tls_client);
        m_tls->set_default_verify_paths();
        m_tls->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_tlsv1 |
                           asio::ssl::context::no_tlsv1_1);
        m_tls->set_verify_mode(asio::ssl::verify_peer);
        // A file that cannot be read must not silently fall back: the constructor throws.
        if (!extra_ca_file.empty()) m_tls->load_verify_file(extra_ca_file);
    }
}

HttpClient::~HttpClient() {
    cancel_all();
}

void PendingRequest::cancel() {
    if (auto exchange = m_exchange.lock()) exchange->cancel();
}

PendingRequest HttpClient::request(HttpRequest request, HttpHandler handler) {
    m_live.remove_if([](const auto& weak) { return weak.expired(); });
    auto exchange = std::make_shared<HttpExchange>(m_executor, m_url, m_tls ? &*m_tls : nullptr, std::move(request),
                                                   std::move(handler), m_max_body_bytes);
    m_live.push_back(exchange);
    exchange->start();
    return PendingRequest(exchange);
}

void HttpClient::cancel_all() {
    for (auto& weak : m_live)
        if (auto exchange = weak.lock()) exchange->cancel();
    m_live.clear();
}

}  // namespace switchboard::matrix
