/// \file rtcp_remb.hpp
/// \brief Receiver Estimated Max Bitrate (draft-alvestrand-rmcat-remb-03 §2.2): PSFB FMT 15
/// (application layer feedback), media SSRC 0, the ASCII tag "REMB", an SSRC count, the
/// bitrate as an 18-bit mantissa and a 6-bit exponent, then the SSRCs it applies to.
///
/// write() encodes as libwebrtc does: the smallest exponent whose mantissa fits, so
/// 1.5 Mb/s goes out as 187500 << 3 and reads back exactly; bitrates needing more than 18
/// significant bits lose their low bits (rounded down, never up).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "rtc/rtp/rtcp_reader.hpp"

namespace switchboard::rtc::rtp {

struct RtcpRemb {
    static constexpr std::uint8_t fmt = 15;

    std::uint32_t sender_ssrc = 0;
    std::uint64_t bitrate_bps = 0;
    std::vector<std::uint32_t> ssrcs;  ///< at most 255 are written

    /// nullopt unless an AFB with the REMB tag whose SSRC count fits; also for a
    /// mantissa/exponent that overflows 64 bits.
    static std::optional<RtcpRemb> parse(const RtcpPacketView& v);
    void write(std::vector<std::uint8_t>& out) const;

    /// The 24-bit exp/mantissa field for `bps` (exponent in the top 6 bits).
    static std::uint32_t encode_bitrate(std::uint64_t bps) noexcept;
};

}  // namespace switchboard::rtc::rtp
