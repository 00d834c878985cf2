/// \file h264_packetizer.hpp
/// \brief H264 access units (Annex B, 3- or 4-byte start codes) to RTP, RFC 6184
/// packetization-mode 1: consecutive NAL units that fit together go in one STAP-A
/// (§5.7.1; typically SPS + PPS + a small slice), one that fits alone in a single NAL
/// unit packet (§5.6), a larger one in FU-A fragments (§5.8), all full but the last (full_chunks).
#pragma once

#include "rtc/rtp/packetizer.hpp"

namespace switchboard::rtc::rtp {

class H264Packetizer final : public Packetizer {
public:
    explicit H264Packetizer(const PacketizerConfig& config) noexcept : Packetizer(config) {}

    /// The NAL units of an Annex B buffer, without start codes or the zero bytes before
    /// them (trailing_zero_8bits, the 4th byte of a 4-byte start code).
    static std::vector<std::span<const std::uint8_t>> split_annex_b(std::span<const std::uint8_t> data);

private:
    bool payloads(std::span<const std::uint8_t> frame, bool keyframe,
                  std::vector<std::vector<std::uint8_t>>& out) override;
};

}  // namespace switchboard::rtc::rtp
