/// \file event_sender.hpp
/// \brief Sends room events (PUT /rooms/{roomId}/send/{eventType}/{txnId}) one at a time,
/// in the order given, from a bounded queue.
///
/// Each event gets a fresh transaction id when queued and keeps it on every retry, so a
/// retry after a lost answer cannot make a second event (the server answers a repeated
/// txn id with the first event_id). Network errors, timeouts, 5xx and rate limits
/// (429 / M_LIMIT_EXCEEDED, waiting what Retry-After or retry_after_ms say) are retried
/// until `give_up_after`; other errors end that event. One at a time because call
/// events must arrive in order (an answer before its invite is useless). Runs on the
/// executor only.
#pragma once

#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <switchboard/log.hpp>

#include "matrix_client/backoff.hpp"
#include "matrix_client/client_api.hpp"
#include "matrix_client/txn_ids.hpp"

namespace switchboard::matrix {

struct SendOptions {
    std::size_t max_queue = 256;
    std::chrono::milliseconds retry_min{500};
    std::chrono::milliseconds retry_max{30'000};
    /// After this long since it was queued, an event that still fails is dropped.
    std::chrono::milliseconds give_up_after{120'000};
};

/// What became of one send.
struct SendOutcome {
    std::string event_id;
    std::string txn_id;
    unsigned attempts = 0;
};

using SendHandler = std::function<void(Result<SendOutcome>)>;

class EventSender : public std::enable_shared_from_this<EventSender> {
public:
    EventSender(boost::asio::any_io_executor executor, ClientApi& api, SendOptions options, std::shared_ptr<Logger> log,
                TxnIds txn_ids = TxnIds());
    EventSender(const EventSender&) = delete;
    EventSender& operator=(const EventSender&) = delete;

    /// Queues `content_json` (a JSON object) as an event of `type` in `room_id`. Returns
    /// the transaction id; empty when the queue is full (then `handler` gets a refused
    /// Error, posted). `handler` may be empty.
    std::string send(std::string room_id, std::string type, std::string content_json, SendHandler handler = {});
    /// Drops the queue (handlers get "stopped") and cancels the request in flight.
    void stop();

    std::size_t queued() const noexcept { return m_queue.size(); }

private:
    struct Item {
        std::string room_id;
        std::string type;
        std::string content;
        std::string txn_id;
        SendHandler handler;
        std::chrono::steady_clock::time_point queued_at;
        unsigned attempts = 0;
    };

    void pump();
    void on_answer(Result<rapidjson::Document> result);
    void finish_head(Result<SendOutcome> result);

    boost::asio::any_io_executor m_executor;
    ClientApi& m_api;
    SendOptions m_options;
    std::shared_ptr<Logger> m_log;
    TxnIds m_txn_ids;
    Backoff m_backoff;
    boost::asio::steady_timer m_timer;
    PendingRequest m_request;
    std::deque<Item> m_queue;
    bool m_busy = false;
    bool m_stopped = false;
};

}  // namespace switchboard::matrix
