/// \file rtp_packet.hpp
/// \brief A parsed, read-only RTP packet (RFC 3550 §5.1) with RFC 8285 header extensions.
///
/// An RtpPacket shares the ref-counted Buffer it was parsed from: copying one is cheap
/// and its payload() stays valid for as long as any copy lives, so depacketizers and the
/// jitter buffer keep packets without copying bytes. parse() never throws; a malformed
/// packet is rejected with a reason (the SRTP layer and the stats count them by reason).
/// To change a packet (rewrite an extension, a sequence number), build an RtpPacketWriter
/// from it.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include <switchboard/frame.hpp>

namespace switchboard::rtc::rtp {

/// Why parse() refused a packet.
enum class RtpParseError : std::uint8_t {
    none,
    too_short,            ///< under the 12-byte fixed header
    bad_version,          ///< V != 2
    truncated_csrc,       ///< CC says more CSRCs than there are bytes
    truncated_extension,  ///< X set but the extension header or its length overruns
    bad_padding,          ///< P set with a count of 0 or larger than what follows the header
};

std::string_view to_string(RtpParseError e) noexcept;

/// Which header extension layout the packet uses (RFC 8285 §4).
enum class ExtensionProfile : std::uint8_t { none, one_byte, two_byte, other };

struct RtpParseResult;

class RtpPacket {
public:
    /// The one-byte form's "defined by profile" value (RFC 8285 §4.2).
    static constexpr std::uint16_t one_byte_profile = 0xBEDE;
    /// The two-byte form's value, without its 4 "appbits" (RFC 8285 §4.3).
    static constexpr std::uint16_t two_byte_profile = 0x1000;

    RtpPacket() = default;

    /// Parses `buffer` without copying it.
    static RtpParseResult parse(Buffer buffer) noexcept;
    /// Copies `bytes` into a new Buffer, then parses.
    static RtpParseResult parse(std::span<const std::uint8_t> bytes) noexcept;

    bool padding() const noexcept { return m_padding_size != 0; }
    bool has_extension() const noexcept { return m_ext_present; }
    bool marker() const noexcept { return m_marker; }
    std::uint8_t payload_type() const noexcept { return m_payload_type; }
    std::uint16_t sequence_number() const noexcept { return m_sequence; }
    std::uint32_t timestamp() const noexcept { return m_timestamp; }
    std::uint32_t ssrc() const noexcept { return m_ssrc; }
    std::uint8_t csrc_count() const noexcept { return m_csrc_count; }
    /// CSRC `i` (< csrc_count()).
    std::uint32_t csrc(std::size_t i) const noexcept;

    /// The media payload, padding excluded.
    std::span<const std::uint8_t> payload() const noexcept { return {data() + m_payload_offset, m_payload_size}; }
    std::size_t padding_size() const noexcept { return m_padding_size; }
    std::size_t header_size() const noexcept { return m_payload_offset; }

    /// The 16-bit "defined by profile" field and the extension's bytes (both 0/empty
    /// without X).
    std::uint16_t extension_profile_id() const noexcept { return m_ext_profile; }
    ExtensionProfile extension_profile() const noexcept;
    std::span<const std::uint8_t> extension_data() const noexcept { return {data() + m_ext_offset, m_ext_size}; }

    /// The element with local identifier `id`, if present (RFC 8285 one- or two-byte
    /// form). A zero-length two-byte element is present but empty.
    std::optional<std::span<const std::uint8_t>> extension(std::uint8_t id) const noexcept;

    /// Calls f(id, bytes) for each element in order. Returns false if the walk met a
    /// malformed element (it stops there; what came before was delivered).
    template <class F>
    bool for_each_extension(F&& f) const noexcept(noexcept(f(std::uint8_t{}, std::span<const std::uint8_t>{})));

    /// The whole packet.
    const std::uint8_t* data() const noexcept { return m_buffer.data(); }
    std::size_t size() const noexcept { return m_buffer.size(); }
    std::span<const std::uint8_t> bytes() const noexcept { return {data(), size()}; }
    const Buffer& buffer() const noexcept { return m_buffer; }

private:
    Buffer m_buffer;
    std::uint32_t m_timestamp = 0;
    std::uint32_t m_ssrc = 0;
    std::uint32_t m_payload_offset = 0;
    std::uint32_t m_payload_size = 0;
    std::uint32_t m_ext_offset = 0;
    std::uint32_t m_ext_size = 0;
    std::uint16_t m_sequence = 0;
    std::uint16_t m_ext_profile = 0;
    std::uint8_t m_padding_size = 0;
    std::uint8_t m_payload_type = 0;
    std::uint8_t m_csrc_count = 0;
    bool m_marker = false;
    bool m_ext_present = false;
};

/// parse()'s answer: a packet, or the reason there is none.
struct RtpParseResult {
    std::optional<RtpPacket> packet;
    RtpParseError error = RtpParseError::none;

    bool ok() const noexcept { return packet.has_value(); }
    explicit operator bool() const noexcept { return ok(); }
};

template <class F>
bool RtpPacket::for_each_extension(F&& f) const noexcept(noexcept(f(std::uint8_t{}, std::span<const std::uint8_t>{}))) {
    const auto kind = extension_profile();
    if (kind != ExtensionProfile::one_byte && kind != ExtensionProfile::two_byte) return true;
    const auto ext = extension_data();
    std::size_t i = 0;
    while (i < ext.size()) {
        const std::uint8_t b = ext[i];
        // ID 0 is padding (RFC 8285 §4.2, §4.3): one byte, whatever a one-byte
        // header's length nibble says (libwebrtc reads it the same way).
        if (b == 0 || (kind == ExtensionProfile::one_byte && (b >> 4) == 0)) {
            ++i;
            continue;
        }
        std::uint8_t id;
        std::size_t len;
        if (kind == ExtensionProfile::one_byte) {
            id = b >> 4;
            len = (b & 0x0f) + 1u;
            // ID 15 is reserved: "the parser MUST stop" (RFC 8285 §4.2).
            if (id == 15) return true;
            ++i;
        } else {
            if (i + 2 > ext.size()) return false;
            id = b;
            len = ext[i + 1];
            i += 2;
        }
        if (i + len > ext.size()) return false;
        f(id, ext.subspan(i, len));
        i += len;
    }
    return true;
}

}  // namespace switchboard::rtc::rtp
