#include "chromecast/cast/cast_tls_stream.hpp"

#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/write.hpp>

namespace switchboard::chromecast {

namespace asio = boost::asio;

CastTlsStream::CastTlsStream(asio::any_io_executor executor)
    : m_resolver(executor), m_context(asio::ssl::context::tls_client), m_stream(executor, m_context) {
    m_context.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_tlsv1 |
                          asio::ssl::context::no_tlsv1_1);
    // Self-signed per device: nothing to verify the chain against (see the file comment).
    m_stream.set_verify_mode(asio::ssl::verify_none);
}

void CastTlsStream::connect(const std::string& host, std::uint16_t port,
                            std::function<void(Result<std::string>)> done) {
    const std::string where = host + ":" + std::to_string(port);
    m_resolver.async_resolve(
        host, std::to_string(port),
        [this, where, done = std::move(done)](const boost::system::error_code& ec,
                                              asio::ip::tcp::resolver::results_type results) mutable {
            if (ec) return done(Error::unavailable("cannot resolve " + where + ": " + ec.message()));
            asio::async_connect(
                m_stream.next_layer(), results,
                [this, where, done = std::move(done)](const boost::system::error_code& ec,
                                                      const asio::ip::tcp::endpoint&) mutable {
                    if (ec) return done(Error::unavailable("cannot connect to " + where + ": " + ec.message()));
                    boost::system::error_code ignored;
                    m_stream.next_layer().set_option(asio::ip::tcp::no_delay(true), ignored);
                    m_stream.async_handshake(asio::ssl::stream_base::client, [this, where, done = std::move(done)](
                                                                                 const boost::system::error_code& ec) {
                        if (ec)
                            return done(Error::unavailable("TLS handshake with " + where + " failed: " + ec.message()));
                        done(peer_certificate_sha256(m_stream));
                    });
                });
        });
}

void CastTlsStream::async_read_some(asio::mutable_buffer buffer, Handler handler) {
    m_stream.async_read_some(buffer, std::move(handler));
}

void CastTlsStream::async_write(asio::const_buffer buffer, Handler handler) {
    asio::async_write(m_stream, buffer, std::move(handler));
}

void CastTlsStream::close() noexcept {
    boost::system::error_code ignored;
    m_resolver.cancel();
    m_stream.next_layer().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    m_stream.next_layer().close(ignored);
}

std::string peer_certificate_sha256(asio::ssl::stream<asio::ip::tcp::socket>& stream) {
    X509* cert = ::SSL_get1_peer_certificate(stream.native_handle());
    if (!cert) return {};
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    const bool ok = ::X509_digest(cert, ::EVP_sha256(), digest, &length) == 1;
    ::X509_free(cert);
    if (!ok) return {};
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned int i = 0; i < length; ++i) {
        if (i) out += ':';
        out += hex[digest[i] >> 4];
        out += hex[digest[i] & 0xf];
    }
    return out;
}

}  // namespace switchboard::chromecast
