// Regrouping S16 audio into fixed blocks; see sample_chunker.hpp.
#include "sample_chunker.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>

namespace switchboard::transcode {

SampleChunker::SampleChunker(int block_samples, const Format& format)
    : m_block(block_samples), m_channels(std::max(1, format.channels)), m_format(format) {
    m_format.channels = m_channels;
}

void SampleChunker::push(const Frame& frame, std::int64_t pts) {
    const std::int64_t expected = m_first_pts + buffered();
    if (!m_samples.empty() && std::llabs(pts - expected) > m_block) {
        m_samples.clear();
        m_marks.clear();
    }
    if (m_samples.empty()) m_first_pts = pts;
    const auto* data = reinterpret_cast<const std::int16_t*>(frame.payload());
    const std::size_t count =
        std::min(std::size_t(frame.samples) * std::size_t(m_channels), frame.payload_size() / sizeof(std::int16_t));
    // Small jitter in input pts is absorbed: positions follow the samples themselves.
    m_marks.emplace_back(m_first_pts + buffered(), frame.timing);
    m_samples.insert(m_samples.end(), data, data + count);
}

std::optional<Frame> SampleChunker::pop() {
    if (buffered() < m_block) return std::nullopt;
    Frame block = make_block(m_samples.data());
    m_samples.erase(m_samples.begin(), m_samples.begin() + std::ptrdiff_t(m_block) * m_channels);
    m_first_pts += m_block;
    forget_before(m_first_pts);
    return block;
}

std::optional<Frame> SampleChunker::pop_padded() {
    if (m_samples.empty()) return std::nullopt;
    m_samples.resize(std::size_t(m_block) * std::size_t(m_channels), 0);
    return pop();
}

Frame SampleChunker::make_block(const std::int16_t* data) {
    const std::size_t bytes = std::size_t(m_block) * std::size_t(m_channels) * sizeof(std::int16_t);
    Frame f;
    f.format = m_format;
    f.buffer = Buffer::copy_of(data, bytes);
    f.samples = m_block;
    f.pts = m_first_pts;
    f.duration = m_block;
    f.time_base = Rational{1, m_format.sample_rate};
    f.keyframe = true;
    f.timing = timing_at(m_first_pts);
    return f;
}

Timing SampleChunker::timing_at(std::int64_t pts) const {
    Timing t = m_marks.empty() ? Timing{} : m_marks.front().second;
    for (const auto& [start, timing] : m_marks) {
        if (start > pts) break;
        t = timing;
    }
    return t;
}

void SampleChunker::forget_before(std::int64_t pts) {
    // Keep the last mark at or before `pts`: it still covers the next block's start.
    while (m_marks.size() > 1 && m_marks[1].first <= pts) m_marks.pop_front();
}

}  // namespace switchboard::transcode
