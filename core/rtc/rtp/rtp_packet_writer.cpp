#include "rtc/rtp/rtp_packet_writer.hpp"

#include <algorithm>
#include <cstring>

#include "rtc/rtp/byte_io.hpp"

namespace switchboard::rtc::rtp {

RtpPacketWriter RtpPacketWriter::from(const RtpPacket& packet) {
    RtpPacketWriter w;
    w.marker = packet.marker();
    w.payload_type = packet.payload_type();
    w.sequence_number = packet.sequence_number();
    w.timestamp = packet.timestamp();
    w.ssrc = packet.ssrc();
    for (std::size_t i = 0; i < packet.csrc_count(); ++i) w.csrcs.push_back(packet.csrc(i));
    w.payload = packet.payload();
    w.padding = std::uint8_t(packet.padding_size());
    const auto kind = packet.extension_profile();
    if (kind == ExtensionProfile::one_byte || kind == ExtensionProfile::two_byte) {
        packet.for_each_extension([&](std::uint8_t id, std::span<const std::uint8_t> v) { w.set_extension(id, v); });
    } else if (kind == ExtensionProfile::other) {
        w.m_has_raw_extension = true;
        w.m_raw_profile = packet.extension_profile_id();
        const auto raw = packet.extension_data();
        w.m_raw_extension.assign(raw.begin(), raw.end());
    }
    return w;
}

bool RtpPacketWriter::set_extension(std::uint8_t id, std::span<const std::uint8_t> value) {
    if (id == 0 || value.size() > 255) return false;
    m_has_raw_extension = false;  // RFC 8285 elements replace an opaque extension
    for (auto& e : m_extensions)
        if (e.id == id) {
            e.value.assign(value.begin(), value.end());
            return true;
        }
    m_extensions.push_back({id, {value.begin(), value.end()}});
    return true;
}

std::optional<std::span<const std::uint8_t>> RtpPacketWriter::extension(std::uint8_t id) const noexcept {
    for (const auto& e : m_extensions)
        if (e.id == id) return std::span<const std::uint8_t>(e.value);
    return std::nullopt;
}

void RtpPacketWriter::remove_extension(std::uint8_t id) noexcept {
    std::erase_if(m_extensions, [id](const Element& e) { return e.id == id; });
}

bool RtpPacketWriter::needs_two_byte_extensions() const noexcept {
    return std::any_of(m_extensions.begin(), m_extensions.end(),
                       [](const Element& e) { return e.id > 14 || e.value.empty() || e.value.size() > 16; });
}

std::size_t RtpPacketWriter::extension_block_size() const noexcept {
    if (m_has_raw_extension) return 4 + m_raw_extension.size();
    if (m_extensions.empty()) return 0;
    const std::size_t per = needs_two_byte_extensions() ? 2 : 1;
    std::size_t body = 0;
    for (const auto& e : m_extensions) body += per + e.value.size();
    return 4 + (body + 3) / 4 * 4;  // padded to 32-bit words (RFC 3550 §5.3.1)
}

std::size_t RtpPacketWriter::size() const noexcept {
    return 12 + 4 * std::min<std::size_t>(csrcs.size(), 15) + extension_block_size() + payload.size() + padding;
}

std::size_t RtpPacketWriter::write(std::span<std::uint8_t> out) const noexcept {
    const std::size_t total = size();
    if (out.size() < total) return 0;
    std::uint8_t* p = out.data();
    const std::size_t cc = std::min<std::size_t>(csrcs.size(), 15);
    const std::size_t ext = extension_block_size();
    p[0] = std::uint8_t(0x80 | (padding ? 0x20 : 0) | (ext ? 0x10 : 0) | cc);
    p[1] = std::uint8_t((marker ? 0x80 : 0) | (payload_type & 0x7f));
    store_be16(p + 2, sequence_number);
    store_be32(p + 4, timestamp);
    store_be32(p + 8, ssrc);
    std::size_t off = 12;
    for (std::size_t i = 0; i < cc; ++i, off += 4) store_be32(p + off, csrcs[i]);
    if (ext) {
        const std::size_t body = ext - 4;
        store_be16(p + off + 2, std::uint16_t(body / 4));
        std::uint8_t* q = p + off + 4;
        if (m_has_raw_extension) {
            store_be16(p + off, m_raw_profile);
            if (body) std::memcpy(q, m_raw_extension.data(), body);
        } else {
            const bool two = needs_two_byte_extensions();
            store_be16(p + off, two ? RtpPacket::two_byte_profile : RtpPacket::one_byte_profile);
            std::size_t i = 0;
            for (const auto& e : m_extensions) {
                if (two) {
                    q[i++] = e.id;
                    q[i++] = std::uint8_t(e.value.size());
                } else {
                    q[i++] = std::uint8_t((e.id << 4) | (e.value.size() - 1));
                }
                if (!e.value.empty()) std::memcpy(q + i, e.value.data(), e.value.size());
                i += e.value.size();
            }
            std::memset(q + i, 0, body - i);  // trailing padding elements (id 0)
        }
        off += ext;
    }
    if (!payload.empty()) std::memcpy(p + off, payload.data(), payload.size());
    off += payload.size();
    if (padding) {
        std::memset(p + off, 0, padding - 1u);
        p[off + padding - 1] = padding;
    }
    return total;
}

Buffer RtpPacketWriter::to_buffer() const {
    Buffer b = Buffer::allocate(size());
    if (b.size() == 0) return b;
    write({b.mutable_data(), b.size()});
    return b;
}

}  // namespace switchboard::rtc::rtp
