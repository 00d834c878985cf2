/// \file rtcp_sdes.hpp
/// \brief RTCP SDES (RFC 3550 §6.5): per-source chunks of items; WebRTC sends only CNAME.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rtc/rtp/rtcp_reader.hpp"

namespace switchboard::rtc::rtp {

struct RtcpSdes {
    static constexpr std::uint8_t cname_item = 1;

    struct Item {
        std::uint8_t type = 0;  ///< 1 CNAME, 2 NAME, ... (never 0: that ends a chunk)
        std::string text;       ///< at most 255 bytes are written
    };
    struct Chunk {
        std::uint32_t ssrc = 0;
        std::vector<Item> items;
        /// The CNAME item's text, if any.
        std::optional<std::string_view> cname() const noexcept;
    };
    std::vector<Chunk> chunks;  ///< at most 31 are written

    /// nullopt if a chunk overruns the body or the SC count is not met.
    static std::optional<RtcpSdes> parse(const RtcpPacketView& v);
    void write(std::vector<std::uint8_t>& out) const;
};

}  // namespace switchboard::rtc::rtp
