#include "graph/gop_cache.hpp"

namespace switchboard::core {

void GopCache::on_frame(const Frame& frame) {
    if (frame.keyframe) {
        clear();
    } else if (m_frames.empty()) {
        return;  // no keyframe to start from
    }
    if (m_frames.size() == m_limits.max_frames || m_bytes + frame.payload_size() > m_limits.max_bytes) {
        clear();
        return;
    }
    m_frames.push_back(frame);
    m_bytes += frame.payload_size();
}

void GopCache::clear() noexcept {
    m_frames.clear();
    m_bytes = 0;
}

}  // namespace switchboard::core
