#include "rtc/rtp/rtx.hpp"

#include <vector>

#include "rtc/rtp/rtp_packet_writer.hpp"

namespace switchboard::rtc::rtp {

Buffer wrap_rtx(const RtpPacket& original, std::uint8_t rtx_payload_type, std::uint32_t rtx_ssrc,
                std::uint16_t rtx_sequence) {
    auto w = RtpPacketWriter::from(original);
    const auto payload = original.payload();
    std::vector<std::uint8_t> body(payload.size() + 2);
    body[0] = std::uint8_t(original.sequence_number() >> 8);
    body[1] = std::uint8_t(original.sequence_number());
    std::copy(payload.begin(), payload.end(), body.begin() + 2);
    w.payload = body;
    w.payload_type = rtx_payload_type;
    w.ssrc = rtx_ssrc;
    w.sequence_number = rtx_sequence;
    w.padding = 0;
    return w.to_buffer();
}

std::optional<RtpPacket> unwrap_rtx(const RtpPacket& rtx, std::uint8_t media_payload_type, std::uint32_t media_ssrc) {
    const auto payload = rtx.payload();
    if (payload.size() < 2) return std::nullopt;
    auto w = RtpPacketWriter::from(rtx);
    w.sequence_number = std::uint16_t((payload[0] << 8) | payload[1]);
    w.payload = payload.subspan(2);
    w.payload_type = media_payload_type;
    w.ssrc = media_ssrc;
    w.padding = 0;
    auto parsed = RtpPacket::parse(w.to_buffer());
    if (!parsed) return std::nullopt;
    return std::move(parsed.packet);
}

}  // namespace switchboard::rtc::rtp
