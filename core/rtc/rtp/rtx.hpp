/// \file rtx.hpp
/// \brief RTP retransmission payload format (RFC 4588 §4): a resent packet travels on its
/// own SSRC and payload type, with the original sequence number (OSN) in front of the
/// original payload.
///
/// The RTX stream has its own sequence numbers (§4.1: a receiver then sees no duplicates
/// on the media SSRC and loss statistics stay honest); the timestamp, marker and header
/// extensions are the original's. Plain functions; any thread.
#pragma once

#include <cstdint>
#include <optional>

#include <switchboard/frame.hpp>

#include "rtc/rtp/rtp_packet.hpp"

namespace switchboard::rtc::rtp {

/// `original` as an RTX packet on `rtx_ssrc`/`rtx_payload_type` with sequence number
/// `rtx_sequence` (empty Buffer on allocation failure).
Buffer wrap_rtx(const RtpPacket& original, std::uint8_t rtx_payload_type, std::uint32_t rtx_ssrc,
                std::uint16_t rtx_sequence);

/// The original packet back from an RTX one (OSN restored, `media_payload_type` and
/// `media_ssrc` as negotiated by apt= and a=ssrc-group:FID); nullopt when the payload is
/// shorter than the OSN (RFC 4588 §4: such a packet is padding only, a probe).
std::optional<RtpPacket> unwrap_rtx(const RtpPacket& rtx, std::uint8_t media_payload_type, std::uint32_t media_ssrc);

}  // namespace switchboard::rtc::rtp
