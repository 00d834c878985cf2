#include "rtsp/client/rtsp_stream.hpp"

#include <openssl/ssl.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/write.hpp>

namespace switchboard::rtsp {

namespace asio = boost::asio;

RtspStream::RtspStream(asio::any_io_executor executor, std::optional<TlsOptions> tls)
    : m_resolver(executor),
      m_context(asio::ssl::context::tls_client),
      m_stream(executor, m_context),
      m_tls(std::move(tls)) {
    if (!m_tls) return;
    m_context.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_tlsv1 |
                          asio::ssl::context::no_tlsv1_1);
    m_context.set_default_verify_paths();
    if (!m_tls->ca_file.empty()) m_context.load_verify_file(m_tls->ca_file);
}

void RtspStream::connect(const std::string& host, std::uint16_t port, std::function<void(Result<void>)> done) {
    const std::string where = host + ":" + std::to_string(port);
    m_resolver.async_resolve(
        host, std::to_string(port),
        [this, host, where, done = std::move(done)](const boost::system::error_code& ec,
                                                    asio::ip::tcp::resolver::results_type results) mutable {
            if (ec) return done(Error::unavailable("cannot resolve " + where + ": " + ec.message()));
            asio::async_connect(
                socket(), results,
                [this, host, where, done = std::move(done)](const boost::system::error_code& ec,
                                                            const asio::ip::tcp::endpoint&) mutable {
                    if (ec) return done(Error::unavailable("cannot connect to " + where + ": " + ec.message()));
                    socket().set_option(asio::ip::tcp::no_delay(true));
                    if (!m_tls) return done(Result<void>{});
                    if (!::SSL_set_tlsext_host_name(m_stream.native_handle(), host.c_str()))
                        return done(Error::runtime("TLS to " + where + ": cannot set the server name"));
                    if (m_tls->verify) {
                        m_stream.set_verify_mode(asio::ssl::verify_peer);
                        m_stream.set_verify_callback(asio::ssl::host_name_verification(host));
                    } else {
                        m_stream.set_verify_mode(asio::ssl::verify_none);
                    }
                    m_stream.async_handshake(asio::ssl::stream_base::client, [where, done = std::move(done)](
                                                                                 const boost::system::error_code& ec) {
                        if (ec)
                            return done(Error::unavailable("TLS handshake with " + where + " failed: " + ec.message()));
                        done(Result<void>{});
                    });
                });
        });
}

void RtspStream::async_read_some(asio::mutable_buffer buffer, Handler handler) {
    if (m_tls)
        m_stream.async_read_some(buffer, std::move(handler));
    else
        socket().async_read_some(buffer, std::move(handler));
}

void RtspStream::async_write(asio::const_buffer buffer, Handler handler) {
    if (m_tls)
        asio::async_write(m_stream, buffer, std::move(handler));
    else
        asio::async_write(socket(), buffer, std::move(handler));
}

void RtspStream::close() noexcept {
    boost::system::error_code ignored;
    m_resolver.cancel();
    socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    socket().close(ignored);
}

std::optional<asio::ip::address> RtspStream::local_address() const {
    boost::system::error_code ec;
    auto ep = socket().local_endpoint(ec);
    if (ec) return std::nullopt;
    return ep.address();
}

std::optional<asio::ip::address> RtspStream::remote_address() const {
    boost::system::error_code ec;
    auto ep = socket().remote_endpoint(ec);
    if (ec) return std::nullopt;
    return ep.address();
}

}  // namespace switchboard::rtsp
