/// \file audio_specific_config.hpp
/// \brief Reads the MPEG-4 AudioSpecificConfig (ISO/IEC 14496-3 §1.6.2.1) far enough to
/// know how long an AAC frame lasts: an RFC 3640 stream's RTP timestamps step by one
/// frame per access unit, 1024 samples for AAC-LC but 960 for some encoders, 480/512
/// for the low-delay profiles, twice as many output samples with explicit SBR.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

namespace switchboard::rtc::sdp {

struct AudioSpecificConfig {
    int object_type = 0;            ///< audioObjectType: 2 AAC-LC, 5 SBR, 29 PS, 23 LD, 39 ELD...
    int sample_rate = 0;            ///< the core coder's sampling frequency
    int channel_configuration = 0;  ///< 0: defined in the stream (a PCE), 1..7: a fixed layout
    int frame_length = 1024;        ///< samples per frame at sample_rate
    /// The output rate after SBR when the config says so explicitly (object type 5 or
    /// 29, "hierarchical signalling"), else 0.
    int extension_sample_rate = 0;

    /// nullopt when the bytes are too short or name a reserved sampling frequency.
    static std::optional<AudioSpecificConfig> parse(std::span<const std::uint8_t> bytes);

    /// RTP clock ticks per access unit at `clock_rate`: frame_length scaled from the
    /// core rate to the clock's, so HE-AAC announced at its output rate gets 2048.
    std::uint32_t frame_duration(int clock_rate) const noexcept;
};

}  // namespace switchboard::rtc::sdp
