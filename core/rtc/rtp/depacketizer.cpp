#include "rtc/rtp/depacketizer.hpp"

#include <algorithm>

namespace switchboard::rtc::rtp {

Depacketizer::Depacketizer(const Format& format, bool needs_keyframes, bool frame_per_packet) noexcept
    : m_format(format),
      m_needs_keyframes(needs_keyframes),
      m_frame_per_packet(frame_per_packet),
      m_waiting_for_keyframe(needs_keyframes) {}

DepacketizerResult Depacketizer::push(const RtpPacket& packet) {
    DepacketizerResult out;
    const std::int64_t seq = m_seq.unwrap(packet.sequence_number());
    if (m_last_seq && seq <= *m_last_seq) {
        ++m_late;
        return out;
    }
    const bool gap = m_last_seq && seq != *m_last_seq + 1;
    if (gap) out.packets_lost = std::uint32_t(std::min<std::int64_t>(seq - *m_last_seq - 1, UINT32_MAX));
    m_last_seq = seq;

    if (!m_pending.empty() && packet.timestamp() != m_pending.front().timestamp()) {
        // The previous frame ended without its marker: if packets are missing they may
        // be its tail, so it is damaged too.
        m_pending_damaged |= gap;
        complete(out);
    }
    if (gap) {
        // Lost packets belong to the frame in progress, or to this one's head, or to
        // whole frames in between; video must resynchronise on a keyframe.
        if (!m_pending.empty()) m_pending_damaged = true;
        if (m_needs_keyframes) m_waiting_for_keyframe = true;
    }
    m_pending.push_back(packet);
    if (packet.marker() || m_frame_per_packet) complete(out);
    return out;
}

DepacketizerResult Depacketizer::flush() {
    DepacketizerResult out;
    if (!m_pending.empty()) complete(out);
    return out;
}

void Depacketizer::complete(DepacketizerResult& out) {
    const std::uint32_t rtp_ts = m_pending.front().timestamp();
    Units units;
    if (!m_pending_damaged) units = assemble(m_pending);
    m_pending.clear();
    m_pending_damaged = false;
    const std::int64_t pts = m_ts.unwrap(rtp_ts) - TimestampUnwrapper::cycle;
    if (units.empty()) {
        drop(out);
        return;
    }
    for (auto& a : units) {
        if (m_waiting_for_keyframe && !a.keyframe) {
            drop(out);
            continue;
        }
        m_waiting_for_keyframe = false;
        Frame f;
        f.format = m_format;
        f.buffer = std::move(a.data);
        f.codec_config = std::move(a.codec_config);
        f.keyframe = a.keyframe;
        f.pts = pts + a.pts_offset;
        f.time_base = {1, m_format.clock_rate > 0 ? m_format.clock_rate : 90000};
        out.frames.push_back(std::move(f));
    }
}

void Depacketizer::drop(DepacketizerResult& out) {
    ++out.frames_dropped;
    if (m_needs_keyframes) {
        m_waiting_for_keyframe = true;
        out.keyframe_needed = true;
    }
}

}  // namespace switchboard::rtc::rtp
