#include "matrix/call_events/candidate_batcher.hpp"

#include <algorithm>

namespace switchboard::matrix {

double RateLimit::level(TimePoint now) const noexcept {
    const double elapsed = std::chrono::duration<double>(now - m_at).count();
    return std::max(0.0, m_level - std::max(0.0, elapsed) * m_config.per_second);
}

RateLimit::TimePoint RateLimit::earliest(TimePoint now, unsigned reserve) const noexcept {
    // A reserve as large as the burst could never be met: keep one slot usable.
    const double room = std::max(1.0, m_config.burst - reserve);
    const double excess = level(now) + 1 - room;
    if (excess <= 0 || m_config.per_second <= 0) return now;
    // The level only drains from the last recorded event on, even when `now` is earlier.
    const auto wait = std::chrono::duration<double>((level(m_at) + 1 - room) / m_config.per_second);
    return std::max(now, m_at + std::chrono::ceil<std::chrono::milliseconds>(wait));
}

void RateLimit::record(TimePoint now) noexcept {
    m_level = level(now) + 1;
    m_at = std::max(m_at, now);
}

void CandidateBatcher::description_sent(TimePoint now) {
    if (!m_sent_at) m_sent_at = now;
}

bool CandidateBatcher::add(Candidate candidate, TimePoint now) {
    if (m_complete) return false;
    if (candidate.end_of_candidates()) {
        gathering_complete(now);
        return true;
    }
    if (!m_window_start) m_window_start = now;
    m_pending.push_back(std::move(candidate));
    return true;
}

void CandidateBatcher::gathering_complete(TimePoint) {
    m_complete = true;
}

std::optional<CandidateBatcher::TimePoint> CandidateBatcher::next_flush(const RateLimit& limit) const {
    if (!m_sent_at || !has_work()) return std::nullopt;
    TimePoint due = *m_sent_at;
    // Gathering done: no reason to wait for more, send now (§1.10).
    if (!m_complete) {
        due = std::max(*m_sent_at + m_config.first_delay, m_window_start.value_or(*m_sent_at) + m_config.batch_delay);
    }
    return limit.earliest(due, m_config.reserve);
}

std::vector<Candidate> CandidateBatcher::take_due(TimePoint now, RateLimit& limit) {
    std::vector<Candidate> batch;
    const auto due = next_flush(limit);
    if (!due || *due > now) return batch;
    while (!m_pending.empty() && batch.size() < kMaxCandidatesPerEvent) {
        batch.push_back(std::move(m_pending.front()));
        m_pending.pop_front();
    }
    if (m_complete && !m_marker_taken && m_pending.empty() && batch.size() < kMaxCandidatesPerEvent) {
        batch.push_back(Candidate::end_marker());
        m_marker_taken = true;
    }
    m_window_start = m_pending.empty() ? std::nullopt : std::optional<TimePoint>(now);
    limit.record(now);
    return batch;
}

}  // namespace switchboard::matrix
