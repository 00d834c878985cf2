#include "rtc/rtp/packetizer.hpp"

namespace switchboard::rtc::rtp {

Packetizer::Packetizer(const PacketizerConfig& config) noexcept : m_config(config) {
    if (m_config.max_payload_size < 16) m_config.max_payload_size = 16;  // room for any header plus data
    m_template.ssrc = config.ssrc;
    m_template.payload_type = config.payload_type;
    m_template.sequence_number = config.first_sequence_number;
}

std::uint32_t Packetizer::rtp_timestamp(std::int64_t pts, Rational tb) const noexcept {
    std::int64_t ticks = pts;
    if (!(tb.num == 1 && tb.den == m_config.clock_rate) && tb.is_set()) {
        // long double keeps 64 bits of mantissa: exact for any realistic pts.
        ticks = std::int64_t((long double)pts * tb.num * m_config.clock_rate / tb.den);
    }
    return std::uint32_t(std::uint64_t(ticks) + m_config.timestamp_offset);
}

std::vector<Buffer> Packetizer::packetize(const Frame& frame) {
    std::vector<Buffer> packets;
    if (frame.payload_size() == 0) return packets;
    std::vector<std::vector<std::uint8_t>> chunks;
    if (!payloads({frame.payload(), frame.payload_size()}, frame.keyframe, chunks) || chunks.empty()) return packets;
    m_template.timestamp = rtp_timestamp(frame.pts, frame.time_base);
    packets.reserve(chunks.size());
    for (std::size_t i = 0; i < chunks.size(); ++i) {
        m_template.marker = marks_frame_end() && i + 1 == chunks.size();
        m_template.payload = chunks[i];
        packets.push_back(m_template.to_buffer());
        ++m_template.sequence_number;
    }
    m_template.payload = {};
    return packets;
}

std::vector<std::size_t> full_chunks(std::size_t size, std::size_t max) {
    std::vector<std::size_t> out;
    if (max == 0) return out;
    out.reserve((size + max - 1) / max);
    for (; size > max; size -= max) out.push_back(max);
    if (size) out.push_back(size);
    return out;
}

}  // namespace switchboard::rtc::rtp
