/// \file h264_config.hpp
/// \brief What HLS needs to know of an H264 stream, read from its Annex B bytes: the
/// parameter sets (for the avcC box), the RFC 6381 codec string, and the level.
///
/// A Chromecast's decoder takes H264 up to level 4.1 (issue 6), so a higher level is
/// refused up front rather than failing on the TV. Pure functions; never throw.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace switchboard::hls {

/// The NAL units of an Annex B buffer (start codes of 3 or 4 bytes removed), in order.
std::vector<std::span<const std::uint8_t>> annexb_nal_units(std::span<const std::uint8_t> bytes);

/// SPS and PPS of a stream, each as one NAL unit without start code.
struct H264ParameterSets {
    std::vector<std::uint8_t> sps;
    std::vector<std::uint8_t> pps;

    /// The first SPS and PPS in `annexb` (an access unit or codec extradata); nullopt
    /// when either is missing.
    static std::optional<H264ParameterSets> find(std::span<const std::uint8_t> annexb);

    /// Both as Annex B (start code + SPS, start code + PPS): the extradata form that
    /// libavformat's mp4 muxer turns into an avcC box.
    std::vector<std::uint8_t> annexb() const;
    /// "avc1.PPCCLL" (RFC 6381 §3.3): profile_idc, constraint flags, level_idc in hex.
    std::string codec_string() const;
    /// level_idc from the SPS (41 for level 4.1).
    int level_idc() const noexcept { return sps.size() > 3 ? sps[3] : 0; }
};

/// Codec configuration in the MP4 form (an AVCDecoderConfigurationRecord, "avcC",
/// ISO 14496-15 §5.3.3: version byte 1) rewritten as Annex B SPS/PPS; the input as it is
/// when it is already Annex B (or anything else), so either form can be handed in.
std::vector<std::uint8_t> h264_config_as_annexb(std::span<const std::uint8_t> config);

/// The highest level a Chromecast decodes, as level_idc.
inline constexpr int max_level_idc = 41;

}  // namespace switchboard::hls
