#include "rtc/rtp/retransmission_buffer.hpp"

namespace switchboard::rtc::rtp {

namespace {
std::size_t round_capacity(std::size_t c) {
    std::size_t p = 1;
    while (p < c && p < 32768) p <<= 1;
    return p;
}
}  // namespace

RetransmissionBuffer::RetransmissionBuffer(std::size_t capacity, std::int64_t max_age_ms)
    : m_slots(round_capacity(capacity)), m_mask(m_slots.size() - 1), m_max_age_ms(max_age_ms) {}

void RetransmissionBuffer::store(std::uint16_t seq, Buffer packet, std::int64_t now_ms) {
    Slot& s = m_slots[seq & m_mask];
    s.packet = std::move(packet);
    s.sent_ms = now_ms;
    s.seq = seq;
    s.used = true;
}

std::optional<Buffer> RetransmissionBuffer::get(std::uint16_t seq, std::int64_t now_ms) const {
    const Slot& s = m_slots[seq & m_mask];
    if (!s.used || s.seq != seq || now_ms - s.sent_ms > m_max_age_ms) return std::nullopt;
    return s.packet;
}

std::vector<Buffer> RetransmissionBuffer::resend(std::span<const std::uint16_t> seqs, std::int64_t now_ms) const {
    std::vector<Buffer> out;
    for (auto seq : seqs)
        if (auto b = get(seq, now_ms)) out.push_back(std::move(*b));
    return out;
}

}  // namespace switchboard::rtc::rtp
