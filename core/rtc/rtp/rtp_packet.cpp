#include "rtc/rtp/rtp_packet.hpp"

#include "rtc/rtp/byte_io.hpp"

namespace switchboard::rtc::rtp {

std::string_view to_string(RtpParseError e) noexcept {
    switch (e) {
        case RtpParseError::none:
            return "none";
        case RtpParseError::too_short:
            return "shorter than the RTP fixed header";
        case RtpParseError::bad_version:
            return "RTP version is not 2";
        case RtpParseError::truncated_csrc:
            return "CSRC list overruns the packet";
        case RtpParseError::truncated_extension:
            return "header extension overruns the packet";
        case RtpParseError::bad_padding:
            return "invalid padding count";
    }
    return "?";
}

RtpParseResult RtpPacket::parse(std::span<const std::uint8_t> bytes) noexcept {
    if (bytes.size() < 12) return {std::nullopt, RtpParseError::too_short};
    Buffer b = Buffer::copy_of(bytes.data(), bytes.size());
    if (b.size() != bytes.size()) return {std::nullopt, RtpParseError::too_short};  // out of memory
    return parse(std::move(b));
}

RtpParseResult RtpPacket::parse(Buffer buffer) noexcept {
    const std::uint8_t* p = buffer.data();
    const std::size_t n = buffer.size();
    // RFC 3550 §5.1 fixed header.
    if (n < 12) return {std::nullopt, RtpParseError::too_short};
    if ((p[0] >> 6) != 2) return {std::nullopt, RtpParseError::bad_version};
    RtpPacket pk;
    const bool has_padding = p[0] & 0x20;
    pk.m_ext_present = p[0] & 0x10;
    pk.m_csrc_count = p[0] & 0x0f;
    pk.m_marker = p[1] & 0x80;
    pk.m_payload_type = p[1] & 0x7f;
    pk.m_sequence = load_be16(p + 2);
    pk.m_timestamp = load_be32(p + 4);
    pk.m_ssrc = load_be32(p + 8);
    std::size_t off = 12 + 4u * pk.m_csrc_count;
    if (off > n) return {std::nullopt, RtpParseError::truncated_csrc};
    // RFC 3550 §5.3.1: 16-bit profile field, 16-bit length in 32-bit words.
    if (pk.m_ext_present) {
        if (off + 4 > n) return {std::nullopt, RtpParseError::truncated_extension};
        pk.m_ext_profile = load_be16(p + off);
        const std::size_t words = load_be16(p + off + 2);
        off += 4;
        if (off + 4 * words > n) return {std::nullopt, RtpParseError::truncated_extension};
        pk.m_ext_offset = std::uint32_t(off);
        pk.m_ext_size = std::uint32_t(4 * words);
        off += 4 * words;
    }
    std::size_t end = n;
    // RFC 3550 §5.1: the last octet counts the padding, itself included; it cannot eat
    // into the header.
    if (has_padding) {
        const std::uint8_t count = p[n - 1];
        if (count == 0 || count > n - off) return {std::nullopt, RtpParseError::bad_padding};
        pk.m_padding_size = count;
        end -= count;
    }
    pk.m_payload_offset = std::uint32_t(off);
    pk.m_payload_size = std::uint32_t(end - off);
    pk.m_buffer = std::move(buffer);
    return {std::move(pk), RtpParseError::none};
}

std::uint32_t RtpPacket::csrc(std::size_t i) const noexcept {
    return i < m_csrc_count ? load_be32(data() + 12 + 4 * i) : 0;
}

ExtensionProfile RtpPacket::extension_profile() const noexcept {
    if (!m_ext_present) return ExtensionProfile::none;
    if (m_ext_profile == one_byte_profile) return ExtensionProfile::one_byte;
    if ((m_ext_profile & 0xfff0) == two_byte_profile) return ExtensionProfile::two_byte;
    return ExtensionProfile::other;
}

std::optional<std::span<const std::uint8_t>> RtpPacket::extension(std::uint8_t id) const noexcept {
    std::optional<std::span<const std::uint8_t>> found;
    for_each_extension([&](std::uint8_t eid, std::span<const std::uint8_t> value) noexcept {
        if (eid == id && !found) found = value;
    });
    return found;
}

}  // namespace switchboard::rtc::rtp
