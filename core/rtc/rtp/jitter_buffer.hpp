/// \file jitter_buffer.hpp
/// \brief Puts one stream's RTP packets back in sequence order before depacketizing.
///
/// Packets are keyed by extended sequence number (so the 65535 -> 0 wrap sorts right)
/// and released in order. A hole is waited for at most max_wait_ms, counted from the
/// arrival of the first packet after it (time for a NACK round trip to fill it); then,
/// or at once when more than max_packets are held, the hole is given up, counted as
/// lost, and release resumes after it. A packet for a place already released (too late,
/// or a duplicate) is refused. Time is the caller's monotonic clock in milliseconds, so
/// tests drive it by hand. Not thread-safe: one per stream, on its strand.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "rtc/rtp/rtp_packet.hpp"
#include "rtc/rtp/unwrapper.hpp"

namespace switchboard::rtc::rtp {

struct JitterBufferConfig {
    std::size_t max_packets = 512;
    std::int64_t max_wait_ms = 150;
    /// The stream's first release waits this long after the first arrival, so packets
    /// reordered around the first one are not refused as late.
    std::int64_t start_delay_ms = 20;
};

class JitterBuffer {
public:
    explicit JitterBuffer(JitterBufferConfig config = {}) noexcept : m_config(config) {}

    /// Holds `packet`; false (and not held) when it is a duplicate or too late.
    bool insert(const RtpPacket& packet, std::int64_t now_ms);

    struct Released {
        std::vector<RtpPacket> packets;  ///< in sequence order
        std::uint32_t lost = 0;          ///< sequence numbers given up in this call
    };
    /// What may be released at `now_ms`.
    Released pop(std::int64_t now_ms);

    /// Changes how long a hole is waited for (e.g. when the round trip becomes known).
    void set_max_wait_ms(std::int64_t ms) noexcept { m_config.max_wait_ms = ms; }
    std::int64_t max_wait_ms() const noexcept { return m_config.max_wait_ms; }

    /// When pop() will next give up a hole (nullopt: nothing waits); for a timer.
    std::optional<std::int64_t> next_deadline_ms() const noexcept;

    std::size_t size() const noexcept { return m_packets.size(); }
    std::uint64_t total_lost() const noexcept { return m_lost; }
    std::uint64_t total_late() const noexcept { return m_late; }

private:
    struct Entry {
        RtpPacket packet;
        std::int64_t arrival_ms;
    };
    JitterBufferConfig m_config;
    SequenceUnwrapper m_unwrapper;
    std::map<std::int64_t, Entry> m_packets;
    std::optional<std::int64_t> m_next;  ///< the next sequence number to release
    std::optional<std::int64_t> m_first_arrival_ms;
    std::uint64_t m_lost = 0;
    std::uint64_t m_late = 0;
};

}  // namespace switchboard::rtc::rtp
