#include "rtc/rtp/jitter_buffer.hpp"

namespace switchboard::rtc::rtp {

bool JitterBuffer::insert(const RtpPacket& packet, std::int64_t now_ms) {
    const std::int64_t seq = m_unwrapper.unwrap(packet.sequence_number());
    if ((m_next && seq < *m_next) || m_packets.count(seq)) {
        ++m_late;
        return false;
    }
    m_packets.emplace(seq, Entry{packet, now_ms});
    if (!m_first_arrival_ms) m_first_arrival_ms = now_ms;
    return true;
}

JitterBuffer::Released JitterBuffer::pop(std::int64_t now_ms) {
    Released out;
    if (!m_next && m_first_arrival_ms && now_ms - *m_first_arrival_ms < m_config.start_delay_ms &&
        m_packets.size() <= m_config.max_packets)
        return out;
    while (!m_packets.empty()) {
        auto first = m_packets.begin();
        if (!m_next) m_next = first->first;
        if (first->first != *m_next) {
            const bool waited = now_ms - first->second.arrival_ms >= m_config.max_wait_ms;
            if (!waited && m_packets.size() <= m_config.max_packets) break;
            const auto skipped = std::uint32_t(first->first - *m_next);
            out.lost += skipped;
            m_lost += skipped;
            m_next = first->first;
        }
        out.packets.push_back(std::move(first->second.packet));
        m_packets.erase(first);
        ++*m_next;
    }
    return out;
}

std::optional<std::int64_t> JitterBuffer::next_deadline_ms() const noexcept {
    if (m_packets.empty()) return std::nullopt;
    if (!m_next && m_first_arrival_ms) return *m_first_arrival_ms + m_config.start_delay_ms;
    return m_packets.begin()->second.arrival_ms + m_config.max_wait_ms;
}

}  // namespace switchboard::rtc::rtp
