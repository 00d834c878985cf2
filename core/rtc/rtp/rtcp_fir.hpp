/// \file rtcp_fir.hpp
/// \brief Full Intra Request (RFC 5104 §4.3.1): PSFB FMT 4. Unlike PLI it names each
/// target SSRC in the FCI with a command sequence number, so a repeated request (same
/// number) is not a new one; the media SSRC field is 0 (§4.3.1.2).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "rtc/rtp/rtcp_reader.hpp"

namespace switchboard::rtc::rtp {

struct RtcpFir {
    static constexpr std::uint8_t fmt = 4;

    struct Entry {
        std::uint32_t ssrc = 0;
        std::uint8_t sequence_number = 0;
        friend bool operator==(const Entry&, const Entry&) = default;
    };
    std::uint32_t sender_ssrc = 0;
    std::vector<Entry> entries;

    static std::optional<RtcpFir> parse(const RtcpPacketView& v);
    void write(std::vector<std::uint8_t>& out) const;
};

}  // namespace switchboard::rtc::rtp
