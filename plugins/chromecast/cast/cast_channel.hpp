/// \file cast_channel.hpp
/// \brief One CASTV2 connection to a Chromecast, as a sender: TLS, the virtual
/// connection to the platform (receiver-0), the heartbeat, receiver requests (GET_STATUS,
/// LAUNCH, STOP), virtual connections to launched apps and their messages (media LOAD,
/// GET_STATUS, or an app's own namespace).
///
/// Liveness: we PING every heartbeat_interval and answer the receiver's PINGs; a receiver
/// from which nothing at all arrived for dead_after is declared dead. Every request has a
/// deadline (a late answer fails that request, not the connection). Bad input from the
/// receiver (a frame over 64 KiB, a frame cut off by the end of the stream, bytes that are
/// not a CastMessage, malformed JSON, a namespace nobody opened) ends the connection with
/// one log line and on_closed; never a crash.
///
/// One channel is one connection: after it closed, a new channel reconnects. Everything
/// runs on the serial executor given to create() (a strand or a one-thread io_context),
/// including every handler; close() is safe from inside a handler. Owned through
/// shared_ptr: pending operations keep it alive, close() makes them return.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <span>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <switchboard/errors.hpp>
#include <switchboard/log.hpp>
#include <switchboard/request_table.hpp>

#include "chromecast/cast/cast_frame.hpp"
#include "chromecast/cast/cast_message.hpp"
#include "chromecast/cast/cast_payload.hpp"
#include "chromecast/cast/cast_tls_stream.hpp"

namespace switchboard::chromecast {

struct CastChannelOptions {
    std::string host;
    std::uint16_t port = 8009;
    std::string sender_id = "sender-0";                 ///< our end of every virtual connection
    std::chrono::milliseconds connect_timeout{10'000};  ///< TCP connect plus TLS handshake
    std::chrono::milliseconds request_timeout{10'000};  ///< each request's answer
    std::chrono::milliseconds heartbeat_interval{5'000};
    std::chrono::milliseconds dead_after{20'000};  ///< silence after which the receiver is dead
};

struct CastChannelHandlers {
    /// Every RECEIVER_STATUS, answers to our requests included (the receiver broadcasts
    /// one whenever an app starts or stops, also when another sender caused it).
    std::function<void(const ReceiverStatus&)> on_receiver_status;
    /// Every MEDIA_STATUS, with the transportId of the app that sent it.
    std::function<void(const std::string& transport_id, const MediaStatus&)> on_media_status;
    /// A message on an app namespace opened with connect_app() (e.g. a web receiver's own).
    std::function<void(const CastMessage&)> on_app_message;
    /// The connection ended (not after close()); nothing else is called after this.
    std::function<void(const Error&)> on_closed;
};

class CastChannel : public std::enable_shared_from_this<CastChannel> {
public:
    struct Stats {
        std::uint64_t messages_received = 0;
        std::uint64_t pings_sent = 0;
        std::uint64_t pongs_received = 0;
        std::uint64_t pings_answered = 0;  ///< the receiver's PINGs we answered with PONG
    };

    /// `log` must outlive the channel.
    static std::shared_ptr<CastChannel> create(boost::asio::any_io_executor executor, Logger& log,
                                               CastChannelOptions options, CastChannelHandlers handlers);
    ~CastChannel();
    CastChannel(const CastChannel&) = delete;
    CastChannel& operator=(const CastChannel&) = delete;

    /// Connects within connect_timeout, logs the receiver's certificate fingerprint, opens
    /// the virtual connection to receiver-0 and starts the heartbeat. Call once.
    void connect(std::function<void(Result<void>)> done);

    /// The receiver's status: running apps, volume.
    void get_status(std::function<void(Result<ReceiverStatus>)> done);
    /// Launches `app_id`: the running app as the receiver's answer lists it, or an Error
    /// (LAUNCH_ERROR's reason, or an answer without the app).
    void launch(const std::string& app_id, std::function<void(Result<Application>)> done);
    /// Stops the app session `session_id`: the status that follows.
    void stop(const std::string& session_id, std::function<void(Result<ReceiverStatus>)> done);

    /// Opens a virtual connection to a launched app; messages it sends on `namespaces`
    /// (beyond media, always accepted) reach on_app_message. Again for the same transport:
    /// adds namespaces, no second CONNECT.
    void connect_app(const std::string& transport_id, const std::vector<std::string>& namespaces = {});
    /// Sends `json` on `name_space` to an app opened with connect_app(); Invalid otherwise
    /// or when the message is too large.
    Result<void> send_app(const std::string& transport_id, const std::string& name_space, const std::string& json);
    /// Media LOAD on an app opened with connect_app(): the MEDIA_STATUS that answers it.
    void media_load(const std::string& transport_id, const LoadRequest& load,
                    std::function<void(Result<MediaStatus>)> done);
    void media_get_status(const std::string& transport_id, std::function<void(Result<MediaStatus>)> done);

    /// Ends the connection now; no handler is called after this. Safe from a handler.
    void close() noexcept;

    bool is_open() const noexcept { return m_connected && !m_closed; }
    const Stats& stats() const noexcept { return m_stats; }
    /// SHA-256 of the receiver's certificate, "AB:CD:..."; empty before connect() succeeded.
    const std::string& peer_fingerprint() const noexcept { return m_fingerprint; }

private:
    using Answer = std::function<void(Result<ReceivedPayload>)>;
    struct Pending {
        std::string what;  ///< "LAUNCH CC1AD845", for errors
        Answer done;
    };

    CastChannel(boost::asio::any_io_executor executor, Logger& log, CastChannelOptions options,
                CastChannelHandlers handlers);

    /// Sends a request with a fresh requestId (`build` makes its payload from the id).
    void request(const std::string& destination, std::string_view name_space, std::string what,
                 const std::function<std::string(std::int64_t)>& build, Answer done);
    Result<void> send(const std::string& destination, std::string_view name_space, std::string json);
    void write_next();
    void read();
    void on_bytes(std::span<const std::uint8_t> bytes);
    void on_message(const CastMessage& message);
    void on_payload(const CastMessage& message, ReceivedPayload payload);
    /// Hands an answer to the request that waits for it; false if none does.
    bool answer(std::optional<std::int64_t> request_id, Result<ReceivedPayload> result);
    void heartbeat();
    void watch_liveness();
    /// Ends the connection with `error`: one log line, pending requests and on_closed hear it.
    void fail(const Error& error);
    std::string where() const;

    boost::asio::any_io_executor m_executor;
    Logger& m_log;
    CastChannelOptions m_options;
    CastChannelHandlers m_handlers;
    CastTlsStream m_stream;
    CastFrameReader m_reader;
    std::vector<std::uint8_t> m_read_buffer;
    std::deque<std::string> m_writes;
    bool m_writing = false;
    RequestIds m_ids;
    RequestTable<std::int64_t, Pending> m_pending;
    std::map<std::string, std::set<std::string>> m_apps;  ///< connected transportId -> its namespaces
    boost::asio::steady_timer m_heartbeat;
    boost::asio::steady_timer m_liveness;
    std::chrono::steady_clock::time_point m_last_received;
    std::string m_fingerprint;
    Stats m_stats;
    bool m_connected = false;
    bool m_closed = false;
};

}  // namespace switchboard::chromecast
