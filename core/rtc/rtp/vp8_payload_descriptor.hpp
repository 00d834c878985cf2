/// \file vp8_payload_descriptor.hpp
/// \brief The VP8 payload descriptor at the front of every VP8 RTP payload (RFC 7741
/// §4.2), and the one bit of the VP8 payload header a router needs (§4.3).
///
///      0 1 2 3 4 5 6 7
///     |X|R|N|S|R| PID |   X: extension present; N: non-reference frame; S: start of a
///     |I|L|T|K| RSV   |   partition; PID: partition index. I: PictureID present (M bit:
///     |M| PictureID   |   15 bits, else 7); L: TL0PICIDX; T/K: the TID|Y|KEYIDX byte.
///     |   PictureID   |
///     |   TL0PICIDX   |
///     |TID|Y| KEYIDX  |
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace switchboard::rtc::rtp {

struct Vp8PayloadDescriptor {
    bool non_reference = false;               ///< N
    bool start_of_partition = false;          ///< S
    std::uint8_t partition_index = 0;         ///< PID, 0..7
    std::optional<std::uint16_t> picture_id;  ///< 7 or 15 bits
    bool picture_id_15bit = false;            ///< the M bit: how it was / will be written
    std::optional<std::uint8_t> tl0_pic_idx;
    std::optional<std::uint8_t> tid;      ///< T: temporal layer 0..3
    bool layer_sync = false;              ///< Y (with T)
    std::optional<std::uint8_t> key_idx;  ///< K: 0..31

    /// Size of the descriptor in bytes (where the VP8 payload starts).
    std::size_t size = 0;

    /// nullopt if the descriptor overruns the payload or leaves no VP8 data after it.
    static std::optional<Vp8PayloadDescriptor> parse(std::span<const std::uint8_t> payload) noexcept;
    /// Appends the descriptor (X set only when an extension field is present).
    void write(std::vector<std::uint8_t>& out) const;

    /// True when the VP8 payload header (the first bytes after the descriptor of a
    /// partition-0 start) says keyframe: P bit clear (RFC 7741 §4.3), and the frame
    /// carries the 9d 01 2a start code of a key frame (RFC 6386 §9.1).
    static bool is_keyframe(std::span<const std::uint8_t> vp8_payload) noexcept;
};

}  // namespace switchboard::rtc::rtp
