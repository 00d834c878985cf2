/// \file retransmission_buffer.hpp
/// \brief Send side of NACK: keeps recently sent RTP packets by sequence number so a
/// NACK (RFC 4585 §6.2.1) can be answered.
///
/// A ring of `capacity` slots (rounded up to a power of two, at most 32768, so it
/// divides the 16-bit sequence space and a slot is found by seq & mask); a newer packet
/// overwrites the slot of one `capacity` older. Packets older than max_age_ms are not
/// served: a late retransmission only adds to congestion and the receiver has moved on.
/// The stored Buffers are the serialized packets as sent (before SRTP); resending them
/// as-is suits a peer without RTX (RFC 4588). Not thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include <switchboard/frame.hpp>

namespace switchboard::rtc::rtp {

class RetransmissionBuffer {
public:
    explicit RetransmissionBuffer(std::size_t capacity = 1024, std::int64_t max_age_ms = 1000);

    void store(std::uint16_t seq, Buffer packet, std::int64_t now_ms);
    /// The packet sent as `seq`, unless unknown, overwritten or too old.
    std::optional<Buffer> get(std::uint16_t seq, std::int64_t now_ms) const;
    /// The packets still held for a NACK's sequence numbers, in the order asked.
    std::vector<Buffer> resend(std::span<const std::uint16_t> seqs, std::int64_t now_ms) const;

    std::size_t capacity() const noexcept { return m_slots.size(); }

private:
    struct Slot {
        Buffer packet;
        std::int64_t sent_ms = 0;
        std::uint16_t seq = 0;
        bool used = false;
    };
    std::vector<Slot> m_slots;
    std::size_t m_mask;
    std::int64_t m_max_age_ms;
};

}  // namespace switchboard::rtc::rtp
