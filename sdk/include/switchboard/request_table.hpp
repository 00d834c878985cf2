/// \file request_table.hpp
/// \brief Requests waiting for their answers on one connection, by id (an RTSP CSeq, a
/// CASTV2 requestId), each with a deadline.
///
/// A protocol client keeps what it needs per request in `Entry` (the handler, what to
/// name in errors). An answer takes its entry out; a request that outlives its deadline
/// is taken out and handed to the `on_expired` given with it; a connection that fails or
/// closes takes out every entry at once. Taking out cancels the deadline, so nothing is
/// answered twice. Header-only.
///
/// Threads: use it from one serial executor (the connection's strand), the one given to
/// the constructor. The deadlines hold no reference to the table: one that fires after
/// the table is gone does nothing.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

namespace switchboard {

template <class Key, class Entry>
class RequestTable {
public:
    using Expired = std::function<void(const Key& key, Entry entry)>;

    explicit RequestTable(boost::asio::any_io_executor executor)
        : m_executor(std::move(executor)), m_waiting(std::make_shared<Waiting>()) {}
    ~RequestTable() { take_all(); }
    RequestTable(const RequestTable&) = delete;
    RequestTable& operator=(const RequestTable&) = delete;

    /// Waits for `key`'s answer for at most `timeout`, then takes the entry out and calls
    /// `on_expired` with it.
    void add(Key key, Entry entry, std::chrono::milliseconds timeout, Expired on_expired) {
        auto deadline = std::make_unique<boost::asio::steady_timer>(m_executor, timeout);
        deadline->async_wait([waiting = std::weak_ptr<Waiting>(m_waiting), key,
                              on_expired = std::move(on_expired)](const boost::system::error_code& ec) {
            auto table = waiting.lock();
            if (ec || !table) return;
            auto it = table->find(key);
            if (it == table->end()) return;
            Entry late = std::move(it->second.entry);
            table->erase(it);
            on_expired(key, std::move(late));
        });
        m_waiting->insert_or_assign(std::move(key), Slot{std::move(entry), std::move(deadline)});
    }

    /// The entry waiting for `key`, taken out; nullopt when nothing waits for it (a late
    /// answer, or one to a request that was never made).
    std::optional<Entry> take(const Key& key) {
        auto it = m_waiting->find(key);
        if (it == m_waiting->end()) return std::nullopt;
        it->second.deadline->cancel();
        Entry entry = std::move(it->second.entry);
        m_waiting->erase(it);
        return entry;
    }

    /// Every waiting entry, taken out, in key order.
    std::vector<Entry> take_all() {
        std::vector<Entry> out;
        auto waiting = std::move(*m_waiting);
        m_waiting->clear();
        for (auto& [key, slot] : waiting) {
            slot.deadline->cancel();
            out.push_back(std::move(slot.entry));
        }
        return out;
    }

    bool contains(const Key& key) const { return m_waiting->count(key) != 0; }
    std::size_t size() const noexcept { return m_waiting->size(); }

private:
    struct Slot {
        Entry entry;
        std::unique_ptr<boost::asio::steady_timer> deadline;
    };
    using Waiting = std::map<Key, Slot>;

    boost::asio::any_io_executor m_executor;
    std::shared_ptr<Waiting> m_waiting;
};

}  // namespace switchboard
