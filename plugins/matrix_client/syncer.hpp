/// \file syncer.hpp
/// \brief The /sync long-poll loop: delivers room timeline events and to-device events
/// in order, each once, and keeps `next_batch` in the session store.
///
/// When a room's timeline says `limited` on an incremental sync, the events before it
/// are fetched with /messages (dir=b from prev_batch, `to` our previous token) until the
/// gap is closed, so a burst larger than the timeline limit is not lost (Synapse cuts
/// silently). `next_batch` is saved only after the batch handler returned: a crash
/// replays a batch rather than losing one (to-device messages are at-least-once anyway);
/// a restart never re-delivers what a handled batch held. Network errors and rate limits
/// back off and retry; an unknown token is fatal (sign in again). Runs on the executor
/// only; handlers run there too.
#pragma once

#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <switchboard/log.hpp>

#include "matrix_client/backoff.hpp"
#include "matrix_client/client_api.hpp"
#include "matrix_client/session_store.hpp"
#include "matrix_client/sync_filter.hpp"
#include "matrix_client/sync_response.hpp"

namespace switchboard::matrix {

struct SyncOptions {
    SyncFilterOptions filter;
    /// The server holds a /sync this long when nothing happens.
    std::chrono::milliseconds long_poll{30'000};
    /// Added to long_poll for the request's own deadline.
    std::chrono::milliseconds request_slack{15'000};
    std::chrono::milliseconds retry_min{1'000};
    std::chrono::milliseconds retry_max{60'000};
    /// /messages page size and the most pages fetched for one gap.
    unsigned gap_page_size = 50;
    unsigned max_gap_pages = 20;
    /// Event ids remembered to deliver each event once (and to see where a gap closes).
    std::size_t remembered_events = 4096;
};

/// One /sync answer with its gaps filled.
struct SyncBatch {
    /// The first sync of this device (no stored token): the timeline is recent history.
    bool initial = false;
    std::string next_batch;
    /// Joined rooms' timeline events, room by room as served, each room oldest first.
    std::vector<RoomEvent> timeline;
    std::vector<InvitedRoom> invited;
    std::vector<std::string> left;
    std::vector<ToDeviceEvent> to_device;
    /// Rooms whose gap could not be closed (paging failed or hit max_gap_pages): earlier
    /// events there may be missing, so call state in them is unknown.
    std::vector<std::string> unfilled_gaps;
};

class Syncer : public std::enable_shared_from_this<Syncer> {
public:
    using BatchHandler = std::function<void(const SyncBatch&)>;
    using FatalHandler = std::function<void(const Error&)>;

    /// `api` carries the session's token and must outlive the syncer's activity (stop()
    /// first); `state` is the signed-in session (its next_batch is where syncing resumes).
    Syncer(boost::asio::any_io_executor executor, ClientApi& api, const SessionStore& store, SessionState state,
           SyncOptions options, std::shared_ptr<Logger> log);
    Syncer(const Syncer&) = delete;
    Syncer& operator=(const Syncer&) = delete;

    /// Starts the loop. `on_batch` gets every batch; `on_fatal` once if the loop ends by
    /// itself (the token was revoked).
    void start(BatchHandler on_batch, FatalHandler on_fatal);
    /// Ends the loop; the request in flight is cancelled; no handler runs afterwards.
    void stop();

    const SessionState& state() const noexcept { return m_state; }
    /// Whether an event id was already delivered (within the remembered window).
    bool delivered(const std::string& event_id) const { return m_seen.count(event_id) > 0; }

private:
    void poll();
    void on_sync(Result<std::string> result);
    void retry_later(const Error& error);
    void fill_room(std::size_t index);
    void fetch_page(std::size_t index, std::string from, unsigned pages);
    void append_room(JoinedRoomUpdate& room);
    void deliver();
    void remember(const std::string& event_id);

    boost::asio::any_io_executor m_executor;
    ClientApi& m_api;
    const SessionStore& m_store;
    SessionState m_state;
    SyncOptions m_options;
    std::shared_ptr<Logger> m_log;
    std::string m_filter;
    Backoff m_backoff;
    boost::asio::steady_timer m_timer;
    PendingRequest m_request;
    BatchHandler m_on_batch;
    FatalHandler m_on_fatal;
    bool m_running = false;

    /// The answer being completed (gaps fetched room by room).
    SyncResponse m_response;
    SyncBatch m_batch;
    /// Events of the gap being filled, newest first, as /messages serves them.
    std::vector<RoomEvent> m_gap;

    std::unordered_set<std::string> m_seen;
    std::deque<std::string> m_seen_order;
};

}  // namespace switchboard::matrix
