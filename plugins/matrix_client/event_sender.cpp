#include "matrix_client/event_sender.hpp"

#include <utility>

#include <boost/asio/post.hpp>

#include "matrix_client/json_util.hpp"

namespace switchboard::matrix {

namespace http = boost::beast::http;

EventSender::EventSender(boost::asio::any_io_executor executor, ClientApi& api, SendOptions options,
                         std::shared_ptr<Logger> log, TxnIds txn_ids)
    : m_executor(executor),
      m_api(api),
      m_options(options),
      m_log(std::move(log)),
      m_txn_ids(std::move(txn_ids)),
      m_backoff(options.retry_min, options.retry_max),
      m_timer(executor) {}

std::string EventSender::send(std::string room_id, std::string type, std::string content_json, SendHandler handler) {
    if (m_stopped || m_queue.size() >= m_options.max_queue) {
        Error error{ErrorKind::refused,
                    "PUT /rooms/" + room_id + "/send/" + type,
                    0,
                    {},
                    m_stopped ? "the sender is stopped" : "the send queue is full"};
        SWITCHBOARD_LOG(*m_log, warn, "matrix: " << error.to_string());
        if (handler) boost::asio::post(m_executor, [handler = std::move(handler), error] { handler(error); });
        return {};
    }
    Item item{std::move(room_id), std::move(type),    std::move(content_json),
              m_txn_ids.next(),   std::move(handler), std::chrono::steady_clock::now()};
    auto txn = item.txn_id;
    m_queue.push_back(std::move(item));
    if (!m_busy) pump();
    return txn;
}

void EventSender::stop() {
    m_stopped = true;
    m_timer.cancel();
    m_request.cancel();
    auto queue = std::move(m_queue);
    m_queue.clear();
    for (auto& item : queue)
        if (item.handler)
            item.handler(Error{ErrorKind::refused,
                               "PUT /rooms/" + item.room_id + "/send/" + item.type,
                               0,
                               {},
                               "the sender was stopped"});
}

void EventSender::pump() {
    if (m_stopped || m_queue.empty()) {
        m_busy = false;
        return;
    }
    m_busy = true;
    auto& item = m_queue.front();
    ++item.attempts;
    m_request =
        m_api.call_text(http::verb::put, api_path({"rooms", item.room_id, "send", item.type, item.txn_id}), {},
                        item.content, m_api.default_timeout(), [self = shared_from_this()](Result<std::string> result) {
                            if (self->m_stopped) return;
                            if (!result) return self->on_answer(result.error());
                            rapidjson::Document doc;
                            doc.Parse(result.value().data(), result.value().size());
                            self->on_answer(std::move(doc));
                        });
}

void EventSender::on_answer(Result<rapidjson::Document> result) {
    auto& item = m_queue.front();
    if (result) {
        auto event_id = json::string_or(result.value(), "event_id", "");
        if (event_id.empty())
            return finish_head(Error{ErrorKind::protocol,
                                     "PUT /rooms/" + item.room_id + "/send/" + item.type,
                                     200,
                                     {},
                                     "the answer has no event_id"});
        m_backoff.reset();
        return finish_head(SendOutcome{std::move(event_id), item.txn_id, item.attempts});
    }
    const auto& error = result.error();
    bool expired = std::chrono::steady_clock::now() - item.queued_at >= m_options.give_up_after;
    if (!error.retryable() || expired) return finish_head(error);
    auto delay = m_backoff.next(error);
    SWITCHBOARD_LOG(*m_log, warn,
                    "matrix: send of " << item.type << " (txn " << item.txn_id << ") failed, retrying in "
                                       << delay.count() << " ms: " << error.to_string());
    m_timer.expires_after(delay);
    m_timer.async_wait([self = shared_from_this()](boost::system::error_code ec) {
        if (!ec && !self->m_stopped) self->pump();
    });
}

void EventSender::finish_head(Result<SendOutcome> result) {
    auto item = std::move(m_queue.front());
    m_queue.pop_front();
    if (!result)
        SWITCHBOARD_LOG(*m_log, warn, "matrix: gave up sending " << item.type << ": " << result.error().to_string());
    if (item.handler) item.handler(std::move(result));
    pump();
}

}  // namespace switchboard::matrix
