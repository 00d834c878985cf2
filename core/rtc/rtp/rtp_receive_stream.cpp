#include "rtc/rtp/rtp_receive_stream.hpp"

#include <algorithm>
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

void RtpReceiveStream::set_rtt_ms(std::int64_t rtt_ms) noexcept {
    // Two NACK rounds fit in the wait, plus room for a frame's packets to spread out (a
    // few ms: we send a frame at once, without a pacer).
    m_nack.set_retry_interval_ms(std::clamp<std::int64_t>(rtt_ms + rtt_ms / 2 + 5, 10, 100));
    m_jitter.set_max_wait_ms(std::clamp<std::int64_t>(3 * rtt_ms + 15, 15, m_options.jitter.max_wait_ms));
}

bool RtpReceiveStream::take_keyframe_needed() noexcept {
    return std::exchange(m_keyframe_needed, false);
}

}  // namespace switchboard::rtc::rtp
