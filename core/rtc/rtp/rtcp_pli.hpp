/// \file rtcp_pli.hpp
/// \brief Picture Loss Indication (RFC 4585 §6.3.1): PSFB FMT 1, no FCI. The receiver's
/// "send me a keyframe".
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "rtc/rtp/rtcp_reader.hpp"

namespace switchboard::rtc::rtp {

struct RtcpPli {
    static constexpr std::uint8_t fmt = 1;

    std::uint32_t sender_ssrc = 0;
    std::uint32_t media_ssrc = 0;

    static std::optional<RtcpPli> parse(const RtcpPacketView& v);
    void write(std::vector<std::uint8_t>& out) const;
};

}  // namespace switchboard::rtc::rtp
