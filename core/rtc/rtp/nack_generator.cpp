#include "rtc/rtp/nack_generator.hpp"

namespace switchboard::rtc::rtp {

bool NackGenerator::on_packet(std::uint16_t seq16, std::int64_t now_ms) {
    const std::int64_t seq = m_unwrapper.unwrap(seq16);
    if (!m_newest) {
        m_newest = seq;
        return true;
    }
    if (seq <= *m_newest) {  // reordered or retransmitted: fills a hole
        m_missing.erase(seq);
        return true;
    }
    const std::int64_t gap = seq - *m_newest - 1;
    if (gap > std::int64_t(m_config.max_missing)) {
        m_given_up += m_missing.size() + std::uint64_t(gap);
        m_missing.clear();
        m_newest = seq;
        return false;
    }
    for (std::int64_t s = *m_newest + 1; s < seq; ++s) m_missing.emplace(s, Hole{now_ms, std::nullopt, 0});
    m_newest = seq;
    while (m_missing.size() > m_config.max_missing) {
        m_missing.erase(m_missing.begin());
        ++m_given_up;
    }
    return true;
}

std::vector<std::uint16_t> NackGenerator::due(std::int64_t now_ms) {
    std::vector<std::uint16_t> out;
    for (auto it = m_missing.begin(); it != m_missing.end();) {
        Hole& h = it->second;
        if (h.retries >= m_config.max_retries || now_ms - h.detected_ms > m_config.max_age_ms) {
            it = m_missing.erase(it);
            ++m_given_up;
            continue;
        }
        if (!h.last_sent_ms || now_ms - *h.last_sent_ms >= m_config.retry_interval_ms) {
            out.push_back(std::uint16_t(it->first));
            h.last_sent_ms = now_ms;
            ++h.retries;
        }
        ++it;
    }
    return out;
}

}  // namespace switchboard::rtc::rtp
