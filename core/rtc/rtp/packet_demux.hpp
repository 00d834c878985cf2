/// \file packet_demux.hpp
/// \brief Cheap classifiers for what arrives on a bundled, rtcp-muxed 5-tuple.
///
/// One UDP flow carries STUN, DTLS, SRTP and SRTCP. RFC 7983 §7 demultiplexes by the
/// first byte; RFC 5761 §4 separates RTP from RTCP by the second byte, because RTCP
/// packet types 192-223 sit where an RTP marker bit plus payload types 64-95 would be
/// (which is why those payload types must never be negotiated). These run before any
/// parser and look at two bytes at most.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace switchboard::rtc::rtp {

/// What a datagram on the media flow is.
enum class PacketKind : std::uint8_t { unknown, stun, zrtp, dtls, turn_channel, rtp, rtcp };

/// RFC 7983 §7 first-byte ranges, then RFC 5761 §4 for RTP vs RTCP.
PacketKind classify(std::span<const std::uint8_t> datagram) noexcept;

/// Version 2 and a second byte outside the RTCP range (RFC 5761 §4). 12 bytes at least.
bool is_rtp(std::span<const std::uint8_t> datagram) noexcept;

/// Version 2 and a packet type 192..223 (second byte, marker bit ignored, 64..95).
bool is_rtcp(std::span<const std::uint8_t> datagram) noexcept;

std::string_view to_string(PacketKind kind) noexcept;

}  // namespace switchboard::rtc::rtp
