#include "rtc/rtp/rtp_send_stream.hpp"

#include <algorithm>

#include "rtc/rtp/abs_send_time.hpp"
#include "rtc/rtp/rtx.hpp"

namespace switchboard::rtc::rtp {

RtpSendStream::RtpSendStream(Format format, std::unique_ptr<Packetizer> packetizer, SendStreamOptions options)
    : m_format(std::move(format)),
      m_packetizer(std::move(packetizer)),
      m_options(options),
      m_timeline(m_packetizer->config().clock_rate, m_packetizer->config().clock_rate,
                 m_packetizer->config().clock_rate / 30),
      m_history(options.history_packets, options.history_ms),
      m_stats(m_packetizer->config().ssrc, m_packetizer->config().clock_rate),
      m_rtx_sequence(options.rtx ? options.rtx->first_sequence_number : 0) {
    // Reserve the element so stamp() only overwrites bytes.
    if (m_options.abs_send_time_id) m_packetizer->set_extension(*m_options.abs_send_time_id, abs_send_time_bytes(0));
}

std::optional<std::uint32_t> RtpSendStream::rtx_ssrc() const noexcept {
    if (!m_options.rtx) return std::nullopt;
    return m_options.rtx->ssrc;
}

void RtpSendStream::stamp(Buffer& packet, std::int64_t now_us) const {
    if (m_options.abs_send_time_id) stamp_abs_send_time(packet, *m_options.abs_send_time_id, now_us);
}

std::vector<Buffer> RtpSendStream::send(const Frame& frame, std::int64_t now_us) {
    const int clock = m_packetizer->config().clock_rate;
    Frame continuous = frame;
    continuous.pts = m_timeline.map(frame.pts, frame.time_base);
    continuous.time_base = {1, clock};
    auto packets = m_packetizer->packetize(continuous);
    const std::int64_t now_ms = now_us / 1000;
    // Capture and send times share the monotonic clock; a capture time in the future
    // (a source's bad clock) is not believed.
    const std::int64_t captured_ms = frame.timing.capture_ns > 0 && frame.timing.capture_ns / 1'000'000 <= now_ms
                                         ? frame.timing.capture_ns / 1'000'000
                                         : now_ms;
    for (Buffer& b : packets) {
        stamp(b, now_us);
        auto parsed = RtpPacket::parse(b);
        if (!parsed) continue;
        m_stats.on_sent(parsed.packet->timestamp(), parsed.packet->payload().size(), now_ms, captured_ms);
        m_history.store(parsed.packet->sequence_number(), b, now_ms);
        m_media_bytes.add(now_ms, b.size());
    }
    return packets;
}

std::vector<Buffer> RtpSendStream::retransmit(std::span<const std::uint16_t> seqs, std::int64_t now_us) {
    const std::int64_t now_ms = now_us / 1000;
    std::vector<Buffer> out;
    // Forget resend times older than any interval that could still refuse.
    std::erase_if(m_last_resend_ms, [&](const auto& e) { return now_ms - e.second > m_options.history_ms; });
    for (const Buffer& stored : m_history.resend(seqs, now_ms)) {
        auto original = RtpPacket::parse(stored);
        if (!original) continue;
        const auto seq = original.packet->sequence_number();
        auto last = m_last_resend_ms.find(seq);
        const bool too_soon =
            last != m_last_resend_ms.end() && now_ms - last->second < m_options.min_resend_interval_ms;
        const auto media = double(m_media_bytes.sum(now_ms));
        auto budget = media * m_options.max_resend_ratio;
        if (m_estimate_bps != 0)
            budget = std::min(budget, std::max(double(m_estimate_bps) / 8 - media, media * m_options.min_resend_ratio));
        if (too_soon || double(m_resend_bytes.sum(now_ms) + stored.size()) > budget) {
            ++m_resends_limited;
            continue;
        }
        m_last_resend_ms[seq] = now_ms;
        m_resend_bytes.add(now_ms, stored.size());
        Buffer b;
        if (m_options.rtx) {
            b = wrap_rtx(*original.packet, m_options.rtx->payload_type, m_options.rtx->ssrc, m_rtx_sequence++);
        } else {
            // A copy: the stored packet stays as first sent.
            b = Buffer::copy_of(stored.data(), stored.size());
        }
        if (b.empty()) continue;
        stamp(b, now_us);
        out.push_back(std::move(b));
        ++m_retransmissions;
    }
    return out;
}

std::optional<RtcpSenderReport> RtpSendStream::sender_report(std::uint64_t ntp_now, std::int64_t now_us) const {
    return m_stats.report(ntp_now, now_us / 1000);
}

void RtpSendStream::ByteWindow::add(std::int64_t now_ms, std::size_t bytes) {
    entries.emplace_back(now_ms, bytes);
    total += bytes;
}

std::size_t RtpSendStream::ByteWindow::sum(std::int64_t now_ms) {
    while (!entries.empty() && now_ms - entries.front().first >= 1000) {
        total -= entries.front().second;
        entries.pop_front();
    }
    return total;
}

}  // namespace switchboard::rtc::rtp
