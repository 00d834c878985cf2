/// \file vp8_packetizer.hpp
/// \brief VP8 frames to RTP (RFC 7741 §4): a 4-byte payload descriptor on every packet
/// (X=1, I=1 with a 15-bit PictureID that counts frames, as browsers send), S=1 and
/// PID=0 on the first packet only, the frame split in full chunks (full_chunks); partition
/// boundaries are not tracked (allowed: §4.4 lets one packet span partitions).
#pragma once

#include "rtc/rtp/packetizer.hpp"

namespace switchboard::rtc::rtp {

class Vp8Packetizer final : public Packetizer {
public:
    /// `first_picture_id` is masked to 15 bits.
    explicit Vp8Packetizer(const PacketizerConfig& config, std::uint16_t first_picture_id = 0) noexcept
        : Packetizer(config), m_picture_id(first_picture_id & 0x7fff) {}

    std::uint16_t next_picture_id() const noexcept { return m_picture_id; }

private:
    bool payloads(std::span<const std::uint8_t> frame, bool keyframe,
                  std::vector<std::vector<std::uint8_t>>& out) override;

    std::uint16_t m_picture_id;
};

}  // namespace switchboard::rtc::rtp
