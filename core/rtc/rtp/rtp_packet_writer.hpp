/// \file rtp_packet_writer.hpp
/// \brief Builds RTP packets (RFC 3550 §5.1) with RFC 8285 header extensions.
///
/// Set the fields, add extensions by local id, point at a payload, then serialize into a
/// caller's buffer (write()) or a new Buffer (to_buffer()). The extension form is chosen
/// per packet: one-byte (0xBEDE) when every element has an id 1..14 and 1..16 bytes,
/// two-byte otherwise (RFC 8285 §4.1: a sender may mix only if the SDP allows
/// extmap-allow-mixed, so callers that need ids > 14 must have negotiated it).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include <switchboard/frame.hpp>

#include "rtc/rtp/rtp_packet.hpp"

namespace switchboard::rtc::rtp {

class RtpPacketWriter {
public:
    RtpPacketWriter() = default;

    /// A writer that reproduces `packet` (extensions decoded, so they can be changed).
    /// The payload span points into `packet`'s buffer: keep `packet` alive until written.
    static RtpPacketWriter from(const RtpPacket& packet);

    bool marker = false;
    std::uint8_t payload_type = 0;  ///< 0..127
    std::uint16_t sequence_number = 0;
    std::uint32_t timestamp = 0;
    std::uint32_t ssrc = 0;
    std::vector<std::uint32_t> csrcs;  ///< at most 15 are written
    /// Not owned: must stay valid until write()/to_buffer().
    std::span<const std::uint8_t> payload;
    /// Padding octets to append (0 = none, else 1..255, the count byte included).
    std::uint8_t padding = 0;

    /// Adds or replaces element `id` (1..255; 0 is padding). Returns false, changing
    /// nothing, for id 0 or more than 255 bytes (the two-byte form's limit).
    bool set_extension(std::uint8_t id, std::span<const std::uint8_t> value);
    std::optional<std::span<const std::uint8_t>> extension(std::uint8_t id) const noexcept;
    void remove_extension(std::uint8_t id) noexcept;
    void clear_extensions() noexcept { m_extensions.clear(); }

    /// True when the elements need the two-byte form.
    bool needs_two_byte_extensions() const noexcept;

    /// Bytes write() produces.
    std::size_t size() const noexcept;
    /// Serializes into `out`; returns the bytes written, or 0 if `out` is too small.
    std::size_t write(std::span<std::uint8_t> out) const noexcept;
    /// Serializes into a new Buffer (empty on allocation failure).
    Buffer to_buffer() const;

private:
    struct Element {
        std::uint8_t id;
        std::vector<std::uint8_t> value;
    };
    std::size_t extension_block_size() const noexcept;

    std::vector<Element> m_extensions;
    /// A non-RFC 8285 extension from from(): kept raw, written as it came.
    std::uint16_t m_raw_profile = 0;
    std::vector<std::uint8_t> m_raw_extension;
    bool m_has_raw_extension = false;
};

}  // namespace switchboard::rtc::rtp
