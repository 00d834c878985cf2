#include "graph/link_queue.hpp"

#include <stdexcept>

namespace switchboard::core {

LinkQueue::LinkQueue(std::size_t capacity) : m_ring(capacity) {
    if (capacity == 0) throw std::invalid_argument("link queue capacity must be at least 1");
}

void LinkQueue::drop_front_locked() {
    m_ring[m_head] = Frame{};  // release the buffer now, not when the slot is reused
    m_head = (m_head + 1) % m_ring.size();
    --m_count;
    ++m_drops;
}

LinkQueue::PushResult LinkQueue::push(Frame&& frame) {
    std::lock_guard lock(m_mutex);
    PushResult result;
    if (m_closed) return result;
    if (m_skipping_to_keyframe) {
        if (!frame.keyframe) return result;
        m_skipping_to_keyframe = false;
    }
    if (m_waiting_for_keyframe) {
        if (!frame.keyframe) {
            ++m_drops;
            result.dropped = 1;
            return result;
        }
        m_waiting_for_keyframe = false;
    }
    if (m_count == m_ring.size()) {
        drop_front_locked();
        ++result.dropped;
        while (m_count > 0 && !m_ring[m_head].keyframe) {
            drop_front_locked();
            ++result.dropped;
        }
        if (m_count == 0 && !frame.keyframe) {
            ++m_drops;
            ++result.dropped;
            m_waiting_for_keyframe = true;
            result.need_keyframe = true;
            return result;
        }
    }
    m_ring[(m_head + m_count) % m_ring.size()] = std::move(frame);
    ++m_count;
    return result;
}

void LinkQueue::start_at_keyframe() {
    std::lock_guard lock(m_mutex);
    m_skipping_to_keyframe = true;
}

std::optional<Frame> LinkQueue::pop() {
    std::lock_guard lock(m_mutex);
    if (m_count == 0) return std::nullopt;
    std::optional<Frame> out(std::move(m_ring[m_head]));
    m_ring[m_head] = Frame{};
    m_head = (m_head + 1) % m_ring.size();
    --m_count;
    return out;
}

void LinkQueue::close() {
    std::lock_guard lock(m_mutex);
    m_closed = true;
}

bool LinkQueue::ended() const {
    std::lock_guard lock(m_mutex);
    return m_closed && m_count == 0;
}

std::size_t LinkQueue::size() const {
    std::lock_guard lock(m_mutex);
    return m_count;
}

std::uint64_t LinkQueue::drops() const {
    std::lock_guard lock(m_mutex);
    return m_drops;
}

}  // namespace switchboard::core
