#include "rtc/rtp/opus_packetizer.hpp"

namespace switchboard::rtc::rtp {

bool OpusPacketizer::payloads(std::span<const std::uint8_t> frame, bool, std::vector<std::vector<std::uint8_t>>& out) {
    if (frame.empty() || frame.size() > max_payload()) return false;
    out.emplace_back(frame.begin(), frame.end());
    return true;
}

}  // namespace switchboard::rtc::rtp
