/// \file rtcp_reader.hpp
/// \brief Walks the packets of a compound RTCP datagram (RFC 3550 §6.1).
///
/// next() hands out each packet's common header and body in order and stops, with a
/// reason, at the first header that does not fit; what came before stays usable, as
/// RFC 3550 §6.1 asks receivers to be lenient. The first-packet-is-SR/RR rule is not
/// enforced, so reduced-size RTCP (RFC 5506: a lone PLI or NACK) reads the same way.
/// Unknown packet types are delivered too; callers skip what they do not handle.
/// The per-type parsers (RtcpSenderReport::parse, RtcpNack::parse, ...) take the
/// RtcpPacketView this returns.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace switchboard::rtc::rtp {

/// RTCP packet types (RFC 3550 §12.1, RFC 4585 §6.1).
namespace rtcp_type {
inline constexpr std::uint8_t sr = 200;
inline constexpr std::uint8_t rr = 201;
inline constexpr std::uint8_t sdes = 202;
inline constexpr std::uint8_t bye = 203;
inline constexpr std::uint8_t app = 204;
inline constexpr std::uint8_t rtpfb = 205;  ///< transport-layer feedback (NACK: FMT 1)
inline constexpr std::uint8_t psfb = 206;   ///< payload-specific feedback (PLI 1, FIR 4, AFB 15)
}  // namespace rtcp_type

/// One packet of a compound datagram.
struct RtcpPacketView {
    std::uint8_t count = 0;  ///< RC, SC or FMT: the header's 5 low bits of byte 0
    std::uint8_t type = 0;   ///< packet type (200..)
    /// After the 4-byte common header, up to the padding.
    std::span<const std::uint8_t> body;
    /// The whole packet, header and padding included.
    std::span<const std::uint8_t> bytes;
};

enum class RtcpParseError : std::uint8_t { none, too_short, bad_version, truncated, bad_padding };
std::string_view to_string(RtcpParseError e) noexcept;

class RtcpReader {
public:
    explicit RtcpReader(std::span<const std::uint8_t> datagram) noexcept : m_rest(datagram) {}

    /// The next packet, or nullopt at the end or at the first malformed header (then
    /// error() says why).
    std::optional<RtcpPacketView> next() noexcept;
    RtcpParseError error() const noexcept { return m_error; }

    /// Every packet; nullopt if any header is malformed (strict, for tests and fuzzers).
    static std::optional<std::vector<RtcpPacketView>> read_all(std::span<const std::uint8_t> datagram);

private:
    std::span<const std::uint8_t> m_rest;
    RtcpParseError m_error = RtcpParseError::none;
};

/// Appends a common header for a packet whose body (after the header, before padding) is
/// `body_size` bytes, a multiple of 4 (RFC 3550 §6.4.1: length in 32-bit words minus one).
void write_rtcp_header(std::vector<std::uint8_t>& out, std::uint8_t count, std::uint8_t type, std::size_t body_size);

}  // namespace switchboard::rtc::rtp
