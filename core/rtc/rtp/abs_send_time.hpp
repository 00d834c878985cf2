/// \file abs_send_time.hpp
/// \brief The abs-send-time RTP header extension
/// (http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time): 3 bytes, the send time
/// in seconds as 6.18 fixed point, wrapping every 64 s.
///
/// A receiver that estimates bandwidth from delay variation (libwebrtc's and aiortc's
/// RemoteBitrateEstimator, which then send REMB) needs it on every packet, stamped when
/// the packet leaves. The packetizer reserves the element; stamp() overwrites it in the
/// serialized packet, so no packet is rebuilt on the send path.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

#include <switchboard/frame.hpp>

#include "rtc/rtp/rtp_packet.hpp"

namespace switchboard::rtc::rtp {

inline constexpr std::string_view abs_send_time_uri = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time";

/// The 24-bit value for a time in microseconds (any epoch: only differences matter).
std::uint32_t abs_send_time(std::int64_t time_us) noexcept;
/// The 3 bytes of the element, big-endian.
std::array<std::uint8_t, 3> abs_send_time_bytes(std::int64_t time_us) noexcept;

/// Writes the send time into the abs-send-time element `id` of the serialized packet in
/// `packet` (it must be unshared, see Buffer::mutable_data). False when it has no 3-byte
/// element `id` or is shared.
bool stamp_abs_send_time(Buffer& packet, std::uint8_t id, std::int64_t time_us) noexcept;

}  // namespace switchboard::rtc::rtp
