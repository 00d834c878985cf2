/// \file rtcp_bye.hpp
/// \brief RTCP BYE (RFC 3550 §6.6): the sources leaving, and an optional reason.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "rtc/rtp/rtcp_reader.hpp"

namespace switchboard::rtc::rtp {

struct RtcpBye {
    std::vector<std::uint32_t> ssrcs;  ///< at most 31 are written
    std::string reason;                ///< at most 255 bytes are written

    static std::optional<RtcpBye> parse(const RtcpPacketView& v);
    void write(std::vector<std::uint8_t>& out) const;
};

}  // namespace switchboard::rtc::rtp
