#include "rtc/sdp/audio_specific_config.hpp"

#include "rtc/rtp/bit_reader.hpp"

namespace switchboard::rtc::sdp {

namespace {

constexpr int sampling_frequencies[13] = {96000, 88200, 64000, 48000, 44100, 32000, 24000,
                                          22050, 16000, 12000, 11025, 8000,  7350};

int read_object_type(rtp::BitReader& r) {
    const int t = int(r.read(5));
    return t == 31 ? 32 + int(r.read(6)) : t;  // escape for types past 30
}

/// A sampling frequency index, or an explicit 24-bit frequency after index 15; 0 for
/// the reserved indices.
int sampling_frequency(rtp::BitReader& r) {
    const unsigned index = r.read(4);
    if (index == 15) return int(r.read(24));
    return index < 13 ? sampling_frequencies[index] : 0;
}

}  // namespace

std::optional<AudioSpecificConfig> AudioSpecificConfig::parse(std::span<const std::uint8_t> bytes) {
    rtp::BitReader r(bytes);
    AudioSpecificConfig c;
    c.object_type = read_object_type(r);
    c.sample_rate = sampling_frequency(r);
    c.channel_configuration = int(r.read(4));
    int coder = c.object_type;
    if (coder == 5 || coder == 29) {  // explicit SBR/PS: the extension rate, then the core coder
        c.extension_sample_rate = sampling_frequency(r);
        coder = read_object_type(r);
        if (coder == 22) (void)r.read(4);  // extensionChannelConfiguration
    }
    if (!r.ok() || c.sample_rate <= 0) return std::nullopt;
    // GASpecificConfig (§4.4.1) or ELDSpecificConfig (§4.6.20.1) starts with
    // frameLengthFlag; other coders keep the default.
    switch (coder) {
        case 1:
        case 2:
        case 3:
        case 4:
        case 6:
        case 7:
        case 17:
        case 19:
        case 20:
        case 21:
        case 22:
            c.frame_length = r.read_flag() ? 960 : 1024;
            break;
        case 23:
        case 39:  // ER AAC LD, ER AAC ELD
            c.frame_length = r.read_flag() ? 480 : 512;
            break;
        default:
            break;
    }
    if (!r.ok()) return std::nullopt;
    return c;
}

std::uint32_t AudioSpecificConfig::frame_duration(int clock_rate) const noexcept {
    std::int64_t samples = frame_length;
    if (extension_sample_rate > 0) samples *= 2;  // SBR doubles the output per frame
    const int rate = extension_sample_rate > 0 ? extension_sample_rate : sample_rate;
    if (clock_rate <= 0 || rate <= 0) return std::uint32_t(samples);
    const std::int64_t ticks = samples * clock_rate / rate;
    return ticks > 0 && ticks <= 1 << 20 ? std::uint32_t(ticks) : std::uint32_t(samples);
}

}  // namespace switchboard::rtc::sdp
