/// \file tv_remote.hpp
/// \brief Keeps a Chromecast showing what the station wants, across everything a TV does:
/// it is found (by address or mDNS), connected and kept connected (reconnect with capped
/// back-off after a drop, a dead heartbeat or bad input); show() launches the app and
/// hands it the content (a web receiver's URL message, or a media LOAD), clear() stops
/// our app. The wish is kept, not the steps: after a reconnect the receiver's status is
/// read again and whatever is missing is done again (a TV restarted mid-call gets the app
/// relaunched). If someone switched the TV to another app while we showed, we leave it
/// there until the next show() (unless yield_to_other_apps is off).
///
/// Runs on the serial io executor given to create(), like CastChannel; owned through
/// shared_ptr (timers and callbacks hold weak references).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <switchboard/backoff.hpp>
#include <switchboard/log.hpp>

#include "chromecast/cast/cast_channel.hpp"

namespace switchboard::chromecast {

/// What the TV should show.
struct TvContent {
    std::string app_id;
    /// A web receiver: this JSON on this namespace once the app runs (DashCast's URL).
    std::string app_namespace;
    std::string app_message;
    /// A media app: this LOAD instead. Neither: the app runs, with nothing in it yet.
    std::optional<LoadRequest> load;
    /// For logs: "the TV page of call 42" (no secrets: URLs carry tokens).
    std::string what;
};

/// Where the TV is, found fresh before every connect (an mDNS name may move).
using TvResolver = std::function<void(std::function<void(Result<std::pair<std::string, std::uint16_t>>)>)>;

struct TvRemoteOptions {
    CastChannelOptions channel;  ///< host and port are filled by the resolver
    TvResolver resolve;
    std::chrono::milliseconds reconnect_min{500};
    std::chrono::milliseconds reconnect_max{10'000};
    bool yield_to_other_apps = true;
};

class TvRemote : public std::enable_shared_from_this<TvRemote> {
public:
    struct Stats {
        std::uint64_t connects = 0;    ///< connections that came up
        std::uint64_t drops = 0;       ///< connections that ended without close()
        std::uint64_t launches = 0;    ///< LAUNCHes that succeeded
        std::uint64_t deliveries = 0;  ///< URL messages or LOADs sent
        std::uint64_t stops = 0;       ///< STOPs of our app
        std::uint64_t yielded = 0;     ///< times we left the TV to another app
    };

    /// `log` must outlive the remote.
    static std::shared_ptr<TvRemote> create(boost::asio::any_io_executor io, Logger& log, TvRemoteOptions options);
    ~TvRemote();
    TvRemote(const TvRemote&) = delete;
    TvRemote& operator=(const TvRemote&) = delete;

    /// Connects, and keeps connected until close().
    void start();
    /// The TV should show `content` (replacing what it showed). Content with another
    /// `what` is a new wish: the TV is taken again even from another app.
    void show(TvContent content);
    /// The TV should show nothing of ours: our app is stopped if it runs.
    void clear();
    /// Ends the connection and every timer; nothing more is sent.
    void close() noexcept;

    const Stats& stats() const noexcept { return m_stats; }

private:
    TvRemote(boost::asio::any_io_executor io, Logger& log, TvRemoteOptions options);

    void connect();
    void connected(std::uint64_t attempt);
    void dropped(const Error& error);
    /// Reconnects after the back-off.
    void retry_later(const std::string& why);
    /// Connected, but a step failed: reconcile again after the back-off.
    void reconcile_later(const std::string& why);
    void on_status(const ReceiverStatus& status);
    /// A player that failed (IDLE, ERROR) on our stream gets it loaded again.
    void on_media_status(const std::string& transport_id, const MediaStatus& status);
    /// Does the next step towards the wish, if one is due.
    void reconcile();
    void launch();
    void deliver(const Application& app);
    void stop_ours(const Application& app);
    bool current(std::uint64_t attempt) const noexcept { return attempt == m_attempt && !m_closed; }

    boost::asio::any_io_executor m_io;
    Logger& m_log;
    TvRemoteOptions m_options;
    Backoff m_backoff;
    boost::asio::steady_timer m_retry;
    std::shared_ptr<CastChannel> m_channel;
    std::uint64_t m_attempt = 0;  ///< connection attempts; callbacks of older ones are stale
    std::optional<ReceiverStatus> m_status;

    std::optional<TvContent> m_wish;
    std::uint64_t m_wish_id = 0;       ///< bumped by show(): content to deliver again
    std::uint64_t m_delivered_id = 0;  ///< the wish the app has
    std::string m_our_session;         ///< the app session we launched or adopted
    std::string m_our_transport;       ///< its transportId
    bool m_busy = false;               ///< a LAUNCH or STOP is out
    bool m_yielded = false;            ///< someone else took the TV during this wish
    bool m_closed = false;
    Stats m_stats;
};

}  // namespace switchboard::chromecast
