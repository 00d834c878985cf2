/// \file rtp_send_stream.hpp
/// \brief One stream we send, from encoded frames to RTP packets and back again when the
/// peer asks: the codec's Packetizer behind a SendTimeline (continuous timestamps), a
/// RetransmissionBuffer answering generic NACK (RFC 4585 §6.2.1) over RTX (RFC 4588)
/// when negotiated or with the original packet otherwise, abs-send-time stamped as each
/// packet leaves, and the counts a Sender Report carries.
///
/// Resends are limited the way a congested path needs (a receiver that NACKs every hole on
/// every new loss would otherwise multiply the load exactly when the path is full): one
/// packet is resent at most once per min_resend_interval_ms (about an RTT), resends over
/// the last second stay within max_resend_ratio of the media bytes sent in it, and, once
/// the peer has estimated the path (REMB), within what the media leaves of that estimate:
/// resends past it only keep a bottleneck's queue full, which blinds a delay-based
/// estimator to the very congestion it should report. Repair keeps min_resend_ratio of the
/// media even then, as an unrepaired loss costs a keyframe, which is bigger still.
///
/// Everything returned is plain RTP, serialized, for the caller to protect and send.
/// Time is the caller's monotonic clock. Not thread-safe: one per stream, on its strand.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include <switchboard/format.hpp>
#include <switchboard/frame.hpp>

#include "rtc/rtp/packetizer.hpp"
#include "rtc/rtp/retransmission_buffer.hpp"
#include "rtc/rtp/rtcp_sender_report.hpp"
#include "rtc/rtp/send_timeline.hpp"
#include "rtc/rtp/sender_statistics.hpp"

namespace switchboard::rtc::rtp {

struct RtxConfig {
    std::uint8_t payload_type = 0;
    std::uint32_t ssrc = 0;
    std::uint16_t first_sequence_number = 0;
};

struct SendStreamOptions {
    std::optional<RtxConfig> rtx;                  ///< resend over RTX; without, the packet as sent
    std::optional<std::uint8_t> abs_send_time_id;  ///< negotiated abs-send-time extension id
    std::size_t history_packets = 1024;            ///< RetransmissionBuffer capacity
    std::int64_t history_ms = 1000;                ///< older packets are not resent
    std::int64_t min_resend_interval_ms = 100;
    double max_resend_ratio = 0.5;
    double min_resend_ratio = 0.1;  ///< what repair keeps when the estimate is full
};

class RtpSendStream {
public:
    /// `packetizer` must be set up with the stream's SSRC, payload type and clock rate.
    RtpSendStream(Format format, std::unique_ptr<Packetizer> packetizer, SendStreamOptions options);

    /// The frame's packets, in send order; empty when it cannot be packetized.
    std::vector<Buffer> send(const Frame& frame, std::int64_t now_us);
    /// Resends for a NACK's sequence numbers (those still held), RTX-wrapped when
    /// negotiated; each stamped with a fresh send time.
    std::vector<Buffer> retransmit(std::span<const std::uint16_t> seqs, std::int64_t now_us);
    /// The SR for the media SSRC (nullopt before the first packet). The RTX SSRC gets
    /// none, as in libwebrtc: nobody syncs or measures RTT on it, and a second SDES chunk
    /// for it trips aiortc's parser (it reads a one-null chunk end as an item).
    std::optional<RtcpSenderReport> sender_report(std::uint64_t ntp_now, std::int64_t now_us) const;

    const Format& format() const noexcept { return m_format; }
    std::uint32_t ssrc() const noexcept { return m_packetizer->config().ssrc; }
    std::optional<std::uint32_t> rtx_ssrc() const noexcept;
    std::uint64_t retransmissions() const noexcept { return m_retransmissions; }
    /// Resends refused by the interval or the budget.
    std::uint64_t resends_limited() const noexcept { return m_resends_limited; }
    const SendTimeline& timeline() const noexcept { return m_timeline; }
    /// Sending starts again after a pause (hold): see SendTimeline::resume().
    void resume() noexcept { m_timeline.resume(); }
    /// The peer's estimate of the path (REMB), which bounds media plus resends; 0: none.
    void set_bandwidth_estimate(std::uint64_t bps) noexcept { m_estimate_bps = bps; }

private:
    /// Stamps abs-send-time into a packet we own alone.
    void stamp(Buffer& packet, std::int64_t now_us) const;
    /// Bytes sent over the last second, one sliding window per kind.
    struct ByteWindow {
        std::deque<std::pair<std::int64_t, std::size_t>> entries;
        std::size_t total = 0;
        void add(std::int64_t now_ms, std::size_t bytes);
        std::size_t sum(std::int64_t now_ms);
    };

    Format m_format;
    std::unique_ptr<Packetizer> m_packetizer;
    SendStreamOptions m_options;
    SendTimeline m_timeline;
    RetransmissionBuffer m_history;
    SenderStatistics m_stats;
    std::uint16_t m_rtx_sequence = 0;
    std::uint64_t m_retransmissions = 0;
    std::uint64_t m_resends_limited = 0;
    std::uint64_t m_estimate_bps = 0;
    std::map<std::uint16_t, std::int64_t> m_last_resend_ms;  ///< by media sequence number
    ByteWindow m_media_bytes;
    ByteWindow m_resend_bytes;
};

}  // namespace switchboard::rtc::rtp
