// Keeps the TV showing the station's wish; see tv_remote.hpp.
#include "tv_remote.hpp"

#include <boost/asio/post.hpp>

namespace switchboard::chromecast {

std::shared_ptr<TvRemote> TvRemote::create(boost::asio::any_io_executor io, Logger& log, TvRemoteOptions options) {
    return std::shared_ptr<TvRemote>(new TvRemote(std::move(io), log, std::move(options)));
}

TvRemote::TvRemote(boost::asio::any_io_executor io, Logger& log, TvRemoteOptions options)
    : m_io(io),
      m_log(log),
      m_options(std::move(options)),
      m_backoff(m_options.reconnect_min, m_options.reconnect_max),
      m_retry(io) {}

TvRemote::~TvRemote() {
    close();
}

void TvRemote::start() {
    connect();
}

void TvRemote::show(TvContent content) {
    // More of the same (its stream is ready now) does not undo a user's switch.
    if (!m_wish || m_wish->what != content.what) m_yielded = false;
    m_wish = std::move(content);
    ++m_wish_id;
    reconcile();
}

void TvRemote::clear() {
    m_wish.reset();
    m_yielded = false;
    reconcile();
}

void TvRemote::close() noexcept {
    if (m_closed) return;
    m_closed = true;
    m_retry.cancel();
    if (auto channel = std::move(m_channel)) channel->close();
}

void TvRemote::connect() {
    if (m_closed) return;
    const std::uint64_t attempt = ++m_attempt;
    std::weak_ptr<TvRemote> weak = weak_from_this();
    m_options.resolve([weak, attempt](Result<std::pair<std::string, std::uint16_t>> where) {
        auto self = weak.lock();
        if (!self || !self->current(attempt)) return;
        if (!where) return self->retry_later(where.error().message);
        CastChannelOptions options = self->m_options.channel;
        options.host = where.value().first;
        options.port = where.value().second;
        CastChannelHandlers handlers;
        handlers.on_receiver_status = [weak, attempt](const ReceiverStatus& status) {
            if (auto s = weak.lock(); s && s->current(attempt)) s->on_status(status);
        };
        handlers.on_media_status = [weak, attempt](const std::string& transport_id, const MediaStatus& status) {
            if (auto s = weak.lock(); s && s->current(attempt)) s->on_media_status(transport_id, status);
        };
        handlers.on_closed = [weak, attempt](const Error& error) {
            if (auto s = weak.lock(); s && s->current(attempt)) s->dropped(error);
        };
        self->m_channel = CastChannel::create(self->m_io, self->m_log, std::move(options), std::move(handlers));
        self->m_channel->connect([weak, attempt](Result<void> r) {
            auto s = weak.lock();
            if (!s || !s->current(attempt)) return;
            if (!r) {
                s->m_channel.reset();
                return s->retry_later(r.error().message);
            }
            s->connected(attempt);
        });
    });
}

void TvRemote::connected(std::uint64_t attempt) {
    ++m_stats.connects;
    if (m_backoff.failures() > 0 || m_stats.connects > 1)
        SWITCHBOARD_LOG(m_log, info, "TV connected again (connection " << m_stats.connects << ")");
    m_backoff.reset();
    std::weak_ptr<TvRemote> weak = weak_from_this();
    m_channel->get_status([weak, attempt](Result<ReceiverStatus> status) {
        auto s = weak.lock();
        if (!s || !s->current(attempt)) return;
        if (status) return s->on_status(status.value());
        // A TV that will not tell what runs is of no use: start over.
        SWITCHBOARD_LOG(s->m_log, warn, "TV status: " << status.error().message);
        if (auto channel = std::move(s->m_channel)) channel->close();
        s->dropped(status.error());
    });
}

void TvRemote::dropped(const Error& error) {
    ++m_stats.drops;
    m_channel.reset();
    m_status.reset();
    m_busy = false;
    retry_later("lost the TV: " + error.message);
}

void TvRemote::retry_later(const std::string& why) {
    if (m_closed) return;
    ++m_attempt;  // whatever the last attempt still has out is stale now
    const auto wait = m_backoff.next();
    SWITCHBOARD_LOG(m_log, warn, why << "; reconnecting in " << wait.count() << " ms");
    m_retry.expires_after(wait);
    std::weak_ptr<TvRemote> weak = weak_from_this();
    m_retry.async_wait([weak](const boost::system::error_code& ec) {
        if (ec) return;
        if (auto s = weak.lock()) s->connect();
    });
}

void TvRemote::reconcile_later(const std::string& why) {
    const auto wait = m_backoff.next();
    SWITCHBOARD_LOG(m_log, warn, why << "; trying again in " << wait.count() << " ms");
    const std::uint64_t attempt = m_attempt;
    std::weak_ptr<TvRemote> weak = weak_from_this();
    m_retry.expires_after(wait);
    m_retry.async_wait([weak, attempt](const boost::system::error_code& ec) {
        if (auto s = weak.lock(); !ec && s && s->current(attempt)) s->reconcile();
    });
}

void TvRemote::on_status(const ReceiverStatus& status) {
    m_status = status;
    reconcile();
}

void TvRemote::on_media_status(const std::string& transport_id, const MediaStatus& status) {
    if (!m_wish || !m_wish->load || transport_id != m_our_transport || m_delivered_id != m_wish_id) return;
    for (const auto& session : status.sessions)
        if (session.player_state == "IDLE" && session.idle_reason == "ERROR") {
            // The player gave up on the stream (it could not fetch or decode it): load it
            // again, after the back-off, while the call goes on.
            m_delivered_id = 0;
            return reconcile_later("the TV's player failed on " + m_wish->what);
        }
}

void TvRemote::reconcile() {
    if (m_closed || m_busy || !m_channel || !m_channel->is_open() || !m_status) return;
    const Application* ours = nullptr;
    const Application* other = nullptr;  // something a user started
    for (const auto& app : m_status->applications) {
        if (!m_our_session.empty() && app.session_id == m_our_session)
            ours = &app;
        else if (!app.is_idle_screen && !other)
            other = &app;
    }
    if (!m_wish) {
        if (ours) stop_ours(*ours);
        return;
    }
    if (m_yielded) return;
    if (ours && ours->app_id == m_wish->app_id) {
        if (m_delivered_id != m_wish_id) deliver(*ours);
        return;
    }
    if (other && other->app_id == m_wish->app_id) {
        // Our app, launched before a reconnect or by another sender: use it.
        m_our_session = other->session_id;
        m_delivered_id = 0;
        return deliver(*other);
    }
    if (other && !m_our_session.empty() && m_options.yield_to_other_apps) {
        SWITCHBOARD_LOG(m_log, info,
                        "someone switched the TV to "
                            << (other->display_name.empty() ? other->app_id : other->display_name) << " during "
                            << m_wish->what << "; leaving it (yield_to_other_apps)");
        ++m_stats.yielded;
        m_yielded = true;
        return;
    }
    if (!m_our_session.empty())
        SWITCHBOARD_LOG(m_log, info, "our app is gone from the TV; launching it again for " << m_wish->what);
    launch();
}

void TvRemote::launch() {
    m_busy = true;
    const std::uint64_t attempt = m_attempt;
    std::weak_ptr<TvRemote> weak = weak_from_this();
    m_channel->launch(m_wish->app_id, [weak, attempt](Result<Application> app) {
        auto s = weak.lock();
        if (!s || !s->current(attempt)) return;
        s->m_busy = false;
        if (!app) {
            // The connection stays: a TV that cannot launch now may later (another app
            // is starting).
            return s->reconcile_later("cannot launch the TV app: " + app.error().message);
        }
        ++s->m_stats.launches;
        s->m_our_session = app.value().session_id;
        s->m_delivered_id = 0;
        SWITCHBOARD_LOG(
            s->m_log, info,
            "launched " << (app.value().display_name.empty() ? app.value().app_id : app.value().display_name)
                        << " on the TV (session " << app.value().session_id << ")");
        if (s->m_wish && app.value().app_id == s->m_wish->app_id) return s->deliver(app.value());
        s->reconcile();
    });
}

void TvRemote::deliver(const Application& app) {
    const TvContent& wish = *m_wish;
    const std::uint64_t wish_id = m_wish_id;
    m_our_transport = app.transport_id;
    if (!wish.load && wish.app_message.empty()) {  // the app, and nothing to show in it yet
        m_delivered_id = wish_id;
        return;
    }
    if (!wish.load) {
        m_channel->connect_app(app.transport_id, {wish.app_namespace});
        if (auto r = m_channel->send_app(app.transport_id, wish.app_namespace, wish.app_message); !r)
            return reconcile_later("cannot hand " + wish.what + " to the TV app: " + r.error().message);
        m_delivered_id = wish_id;
        ++m_stats.deliveries;
        SWITCHBOARD_LOG(m_log, info, "the TV opens " << wish.what);
        return;
    }
    m_channel->connect_app(app.transport_id);
    m_busy = true;
    const std::uint64_t attempt = m_attempt;
    std::weak_ptr<TvRemote> weak = weak_from_this();
    m_channel->media_load(app.transport_id, *wish.load, [weak, attempt, wish_id](Result<MediaStatus> status) {
        auto s = weak.lock();
        if (!s || !s->current(attempt)) return;
        s->m_busy = false;
        if (!status) return s->reconcile_later("the TV did not load the stream: " + status.error().message);
        s->m_delivered_id = wish_id;
        ++s->m_stats.deliveries;
        const auto& sessions = status.value().sessions;
        SWITCHBOARD_LOG(s->m_log, info,
                        "the TV loaded " << (s->m_wish ? s->m_wish->what : std::string("the stream"))
                                         << (sessions.empty() ? "" : " (" + sessions.front().player_state + ")"));
        s->reconcile();
    });
}

void TvRemote::stop_ours(const Application& app) {
    m_busy = true;
    const std::uint64_t attempt = m_attempt;
    std::weak_ptr<TvRemote> weak = weak_from_this();
    SWITCHBOARD_LOG(m_log, info, "stopping our app on the TV (session " << app.session_id << ")");
    m_channel->stop(app.session_id, [weak, attempt](Result<ReceiverStatus> status) {
        auto s = weak.lock();
        if (!s || !s->current(attempt)) return;
        s->m_busy = false;
        if (!status) {
            SWITCHBOARD_LOG(s->m_log, warn, "the TV did not stop our app: " << status.error().message);
            return;
        }
        ++s->m_stats.stops;
        s->m_our_session.clear();
        s->on_status(status.value());
    });
}

}  // namespace switchboard::chromecast
