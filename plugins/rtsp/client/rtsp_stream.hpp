/// \file rtsp_stream.hpp
/// \brief The byte stream under an RTSP connection: TCP, or TLS over TCP for rtsps://.
///
/// TLS checks the camera's certificate against the system CAs plus an optional CA file
/// (a camera's own self-signed certificate is usually given that way) and its host
/// name; `verify: false` turns the check off for cameras whose certificate cannot be
/// trusted any other way, which the caller logs as a warning. One object, so the
/// connection above reads and writes the same way whatever the transport.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>

#include <switchboard/errors.hpp>

namespace switchboard::rtsp {

struct TlsOptions {
    bool verify = true;
    std::string ca_file;  ///< PEM, trusted besides the system CAs; empty: none
};

class RtspStream {
public:
    using Handler = std::function<void(const boost::system::error_code&, std::size_t)>;

    /// `tls`: set for rtsps://. Throws boost::system::system_error when `ca_file` cannot
    /// be read.
    RtspStream(boost::asio::any_io_executor executor, std::optional<TlsOptions> tls);

    /// Resolves, connects, and for TLS shakes hands (SNI and host name checked). The
    /// caller bounds it with a timer and close().
    void connect(const std::string& host, std::uint16_t port, std::function<void(Result<void>)> done);
    void async_read_some(boost::asio::mutable_buffer buffer, Handler handler);
    void async_write(boost::asio::const_buffer buffer, Handler handler);
    /// Closes the socket; pending operations end with operation_aborted.
    void close() noexcept;

    bool tls() const noexcept { return m_tls.has_value(); }
    /// The local address of the connection (UDP ports are opened on it).
    std::optional<boost::asio::ip::address> local_address() const;
    /// The camera's address, once connected.
    std::optional<boost::asio::ip::address> remote_address() const;

private:
    boost::asio::ip::tcp::socket& socket() noexcept { return m_stream.next_layer(); }
    const boost::asio::ip::tcp::socket& socket() const noexcept { return m_stream.next_layer(); }

    boost::asio::ip::tcp::resolver m_resolver;
    boost::asio::ssl::context m_context;
    boost::asio::ssl::stream<boost::asio::ip::tcp::socket> m_stream;
    std::optional<TlsOptions> m_tls;
};

}  // namespace switchboard::rtsp
