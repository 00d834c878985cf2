#include "matrix_client/syncer.hpp"

#include <utility>

#include <boost/asio/post.hpp>

#include "matrix_client/homeserver_url.hpp"

namespace switchboard::matrix {

namespace http = boost::beast::http;

Syncer::Syncer(boost::asio::any_io_executor executor, ClientApi& api, const SessionStore& store, SessionState state,
               SyncOptions options, std::shared_ptr<Logger> log)
    : m_executor(executor),
      m_api(api),
      m_store(store),
      m_state(std::move(state)),
      m_options(std::move(options)),
      m_log(std::move(log)),
      m_filter(make_sync_filter(m_options.filter)),
      m_backoff(m_options.retry_min, m_options.retry_max),
      m_timer(executor) {}

void Syncer::start(BatchHandler on_batch, FatalHandler on_fatal) {
    m_on_batch = std::move(on_batch);
    m_on_fatal = std::move(on_fatal);
    m_running = true;
    poll();
}

void Syncer::stop() {
    m_running = false;
    m_timer.cancel();
    m_request.cancel();
}

void Syncer::poll() {
    if (!m_running) return;
    bool initial = m_state.next_batch.empty();
    // The first sync answers at once (timeout=0); later ones wait for news.
    auto wait = initial ? std::chrono::milliseconds(0) : m_options.long_poll;
    std::string query =
        "filter=" + url_encode(m_filter) + "&timeout=" + std::to_string(wait.count()) + "&set_presence=offline";
    if (!initial) query += "&since=" + url_encode(m_state.next_batch);
    m_request = m_api.call_text(http::verb::get, "/sync", std::move(query), {}, wait + m_options.request_slack,
                                [self = shared_from_this()](Result<std::string> result) {
                                    if (self->m_running) self->on_sync(std::move(result));
                                });
}

void Syncer::retry_later(const Error& error) {
    auto delay = m_backoff.next(error);
    SWITCHBOARD_LOG(*m_log, warn, "matrix: sync failed, retrying in " << delay.count() << " ms: " << error.to_string());
    m_timer.expires_after(delay);
    m_timer.async_wait([self = shared_from_this()](boost::system::error_code ec) {
        if (!ec && self->m_running) self->poll();
    });
}

void Syncer::on_sync(Result<std::string> result) {
    if (!result) {
        const auto& error = result.error();
        if (error.unknown_token() || (error.status == 401)) {
            SWITCHBOARD_LOG(*m_log, error, "matrix: sync stopped: " << error.to_string());
            m_running = false;
            if (m_on_fatal) m_on_fatal(error);
            return;
        }
        return retry_later(error);
    }
    auto parsed = parse_sync_response(result.value(), m_state.user_id);
    if (!parsed) return retry_later(parsed.error());
    m_backoff.reset();
    m_response = std::move(parsed.value());
    if (m_response.skipped_events)
        SWITCHBOARD_LOG(*m_log, warn, "matrix: sync skipped " << m_response.skipped_events << " malformed events");
    m_batch = SyncBatch{};
    m_batch.initial = m_state.next_batch.empty();
    m_batch.next_batch = m_response.next_batch;
    m_batch.invited = std::move(m_response.invited);
    m_batch.left = std::move(m_response.left);
    m_batch.to_device = std::move(m_response.to_device);
    fill_room(0);
}

void Syncer::fill_room(std::size_t index) {
    if (!m_running) return;
    if (index == m_response.joined.size()) return deliver();
    auto& room = m_response.joined[index];
    m_gap.clear();
    // Only an incremental sync has a gap to close: the first one is recent history by design.
    if (!room.limited || m_batch.initial || room.prev_batch.empty()) {
        append_room(room);
        return fill_room(index + 1);
    }
    SWITCHBOARD_LOG(*m_log, debug, "matrix: timeline of " << room.room_id << " is limited; paging back");
    fetch_page(index, room.prev_batch, 0);
}

void Syncer::fetch_page(std::size_t index, std::string from, unsigned pages) {
    const auto& room = m_response.joined[index];
    std::string query = "dir=b&from=" + url_encode(from) + "&to=" + url_encode(m_state.next_batch) +
                        "&limit=" + std::to_string(m_options.gap_page_size);
    m_request = m_api.call_text(
        http::verb::get, api_path({"rooms", room.room_id, "messages"}), std::move(query), {}, m_api.default_timeout(),
        [self = shared_from_this(), index, pages](Result<std::string> result) {
            if (!self->m_running) return;
            auto& room = self->m_response.joined[index];
            auto give_up = [&](const std::string& why) {
                SWITCHBOARD_LOG(
                    *self->m_log, warn,
                    "matrix: gap in " << room.room_id << " not closed, earlier events may be missing: " << why);
                self->m_batch.unfilled_gaps.push_back(room.room_id);
                self->append_room(room);
                self->fill_room(index + 1);
            };
            if (!result) return give_up(result.error().to_string());
            auto page = parse_messages_page(result.value(), room.room_id);
            if (!page) return give_up(page.error().to_string());
            bool closed = page.value().chunk.empty() || !page.value().end;
            for (auto& event : page.value().chunk) {
                // An event we already delivered marks the start of the gap (for servers
                // that ignore `to`).
                if (self->m_seen.count(event.event_id)) {
                    closed = true;
                    break;
                }
                self->m_gap.push_back(std::move(event));
            }
            if (closed) {
                self->append_room(room);
                return self->fill_room(index + 1);
            }
            if (pages + 1 >= self->m_options.max_gap_pages)
                return give_up("more than " + std::to_string(self->m_options.max_gap_pages) + " pages");
            self->fetch_page(index, *page.value().end, pages + 1);
        });
}

void Syncer::append_room(JoinedRoomUpdate& room) {
    auto take = [this](RoomEvent& event) {
        if (m_seen.count(event.event_id)) return;
        remember(event.event_id);
        m_batch.timeline.push_back(std::move(event));
    };
    for (auto it = m_gap.rbegin(); it != m_gap.rend(); ++it) take(*it);
    m_gap.clear();
    for (auto& event : room.timeline) take(event);
}

void Syncer::deliver() {
    m_response = SyncResponse{};
    auto batch = std::move(m_batch);
    m_batch = SyncBatch{};
    if (m_on_batch) m_on_batch(batch);
    if (!m_running) return;
    // Saved after the handler: what it handled is never handed out again after a restart.
    m_state.next_batch = batch.next_batch;
    if (auto saved = m_store.save(m_state); !saved)
        SWITCHBOARD_LOG(*m_log, error, "matrix: cannot save the sync position: " << saved.error().to_string());
    // Next poll from a fresh stack: a stream of ready answers must not recurse.
    boost::asio::post(m_executor, [self = shared_from_this()] { self->poll(); });
}

void Syncer::remember(const std::string& event_id) {
    if (!m_seen.insert(event_id).second) return;
    m_seen_order.push_back(event_id);
    while (m_seen_order.size() > m_options.remembered_events) {
        m_seen.erase(m_seen_order.front());
        m_seen_order.pop_front();
    }
}

}  // namespace switchboard::matrix
