/// \file cast_tls_stream.hpp
/// \brief The TLS connection to a Chromecast (TCP, port 8009 by default).
///
/// A Chromecast's certificate is self-signed, made per device, so there is no chain to
/// verify: the handshake accepts any certificate and reports its SHA-256 fingerprint,
/// which the channel logs so a user can tell one device from another (and a later change
/// can pin it). Runs on the executor it is given; no threads of its own.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>

#include <switchboard/errors.hpp>

namespace switchboard::chromecast {

class CastTlsStream {
public:
    using Handler = std::function<void(const boost::system::error_code&, std::size_t)>;

    explicit CastTlsStream(boost::asio::any_io_executor executor);
    CastTlsStream(const CastTlsStream&) = delete;
    CastTlsStream& operator=(const CastTlsStream&) = delete;

    /// Resolves, connects and shakes hands; `done` gets the peer certificate's SHA-256
    /// fingerprint ("AB:CD:..."), or an Error. No timeout here: the caller owns the deadline
    /// and close()s on it.
    void connect(const std::string& host, std::uint16_t port, std::function<void(Result<std::string>)> done);

    void async_read_some(boost::asio::mutable_buffer buffer, Handler handler);
    /// Writes all of `buffer`.
    void async_write(boost::asio::const_buffer buffer, Handler handler);
    /// Ends the connection at once (no TLS close_notify: a receiver we drop may be dead);
    /// pending operations complete with an error.
    void close() noexcept;

private:
    boost::asio::ip::tcp::resolver m_resolver;
    boost::asio::ssl::context m_context;
    boost::asio::ssl::stream<boost::asio::ip::tcp::socket> m_stream;
};

/// "AB:CD:..." for the SHA-256 of the peer's certificate on `stream`; empty without one.
std::string peer_certificate_sha256(boost::asio::ssl::stream<boost::asio::ip::tcp::socket>& stream);

}  // namespace switchboard::chromecast
