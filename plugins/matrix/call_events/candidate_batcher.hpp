/// \file candidate_batcher.hpp
/// \brief When to send our trickled ICE candidates (matrix-voip.md §1.10–1.11, §4.4, §5b).
/// Pure logic: the caller passes the time in and sends what take_due() hands out.
///
/// Every m.call.* room event counts against Synapse's rc_message (0.2 events/s, burst 10
/// per account); one event per candidate hits 429 within seconds. So candidates are
/// batched: the first batch goes ≈2 s after the invite (≈500 ms after the answer), later
/// ones after a collecting window, never beyond what the rate limit allows while keeping
/// room for the call's remaining events (select_answer, hangup). When gathering completes,
/// what is left goes out at once with the one end-of-candidates marker `{"candidate": ""}`.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <optional>
#include <vector>

#include "matrix/call_events/call_event.hpp"

namespace switchboard::matrix {

/// Synapse's rate limiter (synapse/api/ratelimiting.py) as a leaky bucket: each event adds
/// one, the level drains at `per_second`, an event is allowed while the level stays ≤ burst.
class RateLimit {
public:
    using TimePoint = std::chrono::steady_clock::time_point;
    struct Config {
        double per_second = 0.2;  ///< Synapse's rc_message default
        double burst = 10;
    };

    RateLimit() : RateLimit(Config{}) {}
    explicit RateLimit(Config config) : m_config(config) {}

    /// Events counted at `now` (after draining).
    double level(TimePoint now) const noexcept;
    /// The earliest time ≥ `now` at which one more event still leaves room for `reserve` more.
    TimePoint earliest(TimePoint now, unsigned reserve = 0) const noexcept;
    bool allows(TimePoint now, unsigned reserve = 0) const noexcept { return earliest(now, reserve) <= now; }
    /// One event was sent at `now` (any m.call.* room event of the account, not only candidates).
    void record(TimePoint now) noexcept;

private:
    Config m_config;
    double m_level = 0;
    TimePoint m_at{};
};

class CandidateBatcher {
public:
    using TimePoint = std::chrono::steady_clock::time_point;
    struct Config {
        /// First batch after the invite/answer went out (js-sdk: 2000 ms caller, 500 ms callee).
        std::chrono::milliseconds first_delay{2000};
        /// Later batches: how long to collect after the first candidate of a batch.
        std::chrono::milliseconds batch_delay{2000};
        /// Rate-limit room kept for the call's other events (select_answer and hangup).
        unsigned reserve = 2;
    };
    /// Timings for the side that sent the invite / the answer.
    static Config caller() { return Config{}; }
    static Config callee() { return Config{std::chrono::milliseconds(500), std::chrono::milliseconds(500), 2}; }

    explicit CandidateBatcher(Config config = caller()) : m_config(config) {}

    /// Our invite (or answer) was sent: candidates may follow it (never precede it).
    void description_sent(TimePoint now);
    /// Queues a local candidate. An end marker means gathering_complete(). Returns false
    /// (and drops it) after gathering completed: the marker must stay the last entry.
    bool add(Candidate candidate, TimePoint now);
    /// ICE gathering finished: flush the rest plus the end marker as soon as allowed.
    void gathering_complete(TimePoint now);

    /// When take_due() will next hand out a batch; nullopt when there is nothing to send yet.
    std::optional<TimePoint> next_flush(const RateLimit& limit) const;
    /// The batch due at `now` (empty when none is), at most kMaxCandidatesPerEvent entries,
    /// the end marker last; records the event in `limit`.
    std::vector<Candidate> take_due(TimePoint now, RateLimit& limit);

    std::size_t pending() const noexcept { return m_pending.size(); }
    /// The end marker has been handed out: this batcher is done.
    bool finished() const noexcept { return m_marker_taken; }

private:
    bool has_work() const noexcept { return !m_pending.empty() || (m_complete && !m_marker_taken); }

    Config m_config;
    std::optional<TimePoint> m_sent_at;
    std::optional<TimePoint> m_window_start;
    std::deque<Candidate> m_pending;
    bool m_complete = false;
    bool m_marker_taken = false;
};

}  // namespace switchboard::matrix
