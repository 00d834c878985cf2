/// \file rtsp_connection.hpp
/// \brief One RTSP control connection to a camera: requests with their CSeq, answers
/// matched back to them, sign-in on a 401, and the RTP/RTCP interleaved on it (RFC 2326
/// §10.12) handed on as it arrives.
///
/// Every request has a deadline; a camera that does not answer in time, a connection
/// that closes or a byte stream the parser refuses ends the connection with one Error
/// (on_closed), after which nothing else is called. Runs on one serial executor, with
/// no threads of its own. Owned through shared_ptr: handlers keep it alive, close()
/// makes them return.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <switchboard/errors.hpp>
#include <switchboard/request_table.hpp>

#include "rtsp/client/rtsp_stream.hpp"
#include "rtsp/protocol/rtsp_auth.hpp"
#include "rtsp/protocol/rtsp_message.hpp"
#include "rtsp/protocol/rtsp_url.hpp"

namespace switchboard::rtsp {

struct ConnectionOptions {
    RtspUrl url;  ///< with its credentials, if any
    TlsOptions tls;
    std::chrono::milliseconds timeout{10'000};  ///< connect, and each request's answer
    std::string user_agent = "Switchboard";
};

struct ConnectionHandlers {
    /// An RTP or RTCP packet on an interleaved channel; the bytes are valid during the call.
    std::function<void(std::uint8_t channel, std::span<const std::uint8_t> packet)> on_interleaved;
    /// The connection ended (not after close()).
    std::function<void(const Error&)> on_closed;
};

class RtspConnection : public std::enable_shared_from_this<RtspConnection> {
public:
    using ResponseHandler = std::function<void(Result<RtspResponse>)>;

    static std::shared_ptr<RtspConnection> create(boost::asio::any_io_executor executor, ConnectionOptions options,
                                                  ConnectionHandlers handlers);
    ~RtspConnection();
    RtspConnection(const RtspConnection&) = delete;
    RtspConnection& operator=(const RtspConnection&) = delete;

    /// Connects (and shakes hands for rtsps://) within the timeout.
    void connect(std::function<void(Result<void>)> done);

    /// Sends `request` (CSeq, User-Agent and, once challenged, Authorization added) and
    /// calls `done` with its answer, whatever the status, or an Error when the
    /// connection ended first. A 401 is answered once with the credentials; a second one
    /// is the Error "wrong user name or password". Requests may overlap.
    void request(RtspRequest request, ResponseHandler done);

    /// Sends a packet on an interleaved channel (our RTCP receiver reports over TCP).
    void send_interleaved(std::uint8_t channel, std::span<const std::uint8_t> packet);

    /// Ends the connection now; no handler is called after this.
    void close() noexcept;

    const RtspUrl& url() const noexcept { return m_options.url; }
    const RtspStream& stream() const noexcept { return m_stream; }

private:
    struct Pending {
        RtspRequest request;
        ResponseHandler done;
        int challenges = 0;  ///< 401s answered for this request (a stale nonce may need two)
    };

    RtspConnection(boost::asio::any_io_executor executor, ConnectionOptions options, ConnectionHandlers handlers);

    void send(Pending pending);
    void write(std::string bytes);
    void write_next();
    void read();
    void on_bytes(std::span<const std::uint8_t> bytes);
    void on_response(RtspResponse response);
    void on_server_request(const RtspRequest& request);
    /// Ends the connection with `error`: every pending request (`expired` first, the one
    /// whose deadline ended it) and on_closed hear it.
    void fail(const Error& error, std::optional<Pending> expired = std::nullopt);

    boost::asio::any_io_executor m_executor;
    ConnectionOptions m_options;
    ConnectionHandlers m_handlers;
    RtspStream m_stream;
    std::optional<Authenticator> m_auth;
    RtspStreamParser m_parser;
    std::vector<std::uint8_t> m_read_buffer;
    std::deque<std::string> m_writes;
    bool m_writing = false;
    RequestTable<std::uint32_t, Pending> m_pending;
    std::uint32_t m_next_cseq = 1;
    bool m_closed = false;
};

}  // namespace switchboard::rtsp
