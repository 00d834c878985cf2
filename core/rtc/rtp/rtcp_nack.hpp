/// \file rtcp_nack.hpp
/// \brief Generic NACK (RFC 4585 §6.2.1): RTPFB FMT 1, lost packets as PID + BLP pairs.
///
/// Sequence numbers are kept expanded; write() compresses them: each FCI names one lost
/// packet (PID) and a bitmask of the 16 that follow (BLP, bit i = PID+i+1). The list is
/// taken in sending order and may cross the 65535 -> 0 wrap.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "rtc/rtp/rtcp_reader.hpp"

namespace switchboard::rtc::rtp {

struct RtcpNack {
    static constexpr std::uint8_t fmt = 1;

    std::uint32_t sender_ssrc = 0;
    std::uint32_t media_ssrc = 0;  ///< the stream whose packets are missing
    std::vector<std::uint16_t> sequence_numbers;

    static std::optional<RtcpNack> parse(const RtcpPacketView& v);
    void write(std::vector<std::uint8_t>& out) const;

    /// The PID/BLP pairs write() produces, packed as (PID << 16) | BLP.
    static std::vector<std::uint32_t> compress(const std::vector<std::uint16_t>& seqs);
};

}  // namespace switchboard::rtc::rtp
