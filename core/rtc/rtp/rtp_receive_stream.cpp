#include "rtc/rtp/rtp_receive_stream.hpp"

#include <utility>

namespace switchboard::rtc::rtp {

RtpReceiveStream::RtpReceiveStream(std::uint32_t ssrc, ReceiveStreamOptions options)
    : m_ssrc(ssrc),
      m_options(options),
      m_stats(ssrc, options.clock_rate),
      m_jitter(options.jitter),
      m_nack(options.nack_config) {
    m_options.nack = m_options.nack && m_options.reorder;
}

void RtpReceiveStream::on_packet(const RtpPacket& packet, bool retransmitted, std::int64_t now_ms) {
    if (retransmitted)
        m_stats.add_retransmitted();
    else
        m_stats.on_packet(packet.sequence_number(), packet.timestamp(), now_ms);
    if (!m_options.reorder) {
        m_passthrough.push_back(packet);
        return;
    }
    if (m_options.nack && !m_nack.on_packet(packet.sequence_number(), now_ms)) m_keyframe_needed = true;
    m_jitter.insert(packet, now_ms);
}

std::vector<RtpPacket> RtpReceiveStream::release(std::int64_t now_ms) {
    if (!m_options.reorder) return std::exchange(m_passthrough, {});
    return m_jitter.pop(now_ms).packets;
}

std::vector<std::uint16_t> RtpReceiveStream::nacks_due(std::int64_t now_ms) {
    if (!m_options.nack) return {};
    return m_nack.due(now_ms);
}

bool RtpReceiveStream::take_keyframe_needed() noexcept {
    return std::exchange(m_keyframe_needed, false);
}

}  // namespace switchboard::rtc::rtp
