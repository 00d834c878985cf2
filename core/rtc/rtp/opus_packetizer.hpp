/// \file opus_packetizer.hpp
/// \brief Opus to RTP (RFC 7587 §4.2): one Opus packet per RTP packet, never split; a
/// frame larger than the payload budget is refused. Clock 48 kHz regardless of the
/// encoder's rate (§4.1); the marker bit is left clear.
#pragma once

#include "rtc/rtp/packetizer.hpp"

namespace switchboard::rtc::rtp {

class OpusPacketizer final : public Packetizer {
public:
    /// config.clock_rate is forced to 48000.
    explicit OpusPacketizer(PacketizerConfig config) noexcept : Packetizer(with_clock(config)) {}

private:
    static PacketizerConfig with_clock(PacketizerConfig c) noexcept {
        c.clock_rate = 48000;
        return c;
    }
    bool payloads(std::span<const std::uint8_t> frame, bool keyframe,
                  std::vector<std::vector<std::uint8_t>>& out) override;
    bool marks_frame_end() const noexcept override { return false; }
};

}  // namespace switchboard::rtc::rtp
