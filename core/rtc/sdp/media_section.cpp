#include "rtc/sdp/media_section.hpp"

#include "rtc/sdp/sdp_text.hpp"

namespace switchboard::rtc::sdp {

bool TransportAttributes::trickle() const {
    for (const auto& o : ice_options)
        if (o == "trickle") return true;
    return false;
}

MediaType MediaSection::type() const {
    if (media == "audio") return MediaType::audio;
    if (media == "video") return MediaType::video;
    if (media == "application") return MediaType::application;
    return MediaType::other;
}

bool MediaSection::is_rtp() const {
    return proto.find("RTP/") != std::string::npos;
}

std::vector<std::uint8_t> MediaSection::payload_types() const {
    std::vector<std::uint8_t> out;
    if (!is_rtp()) return out;
    for (const auto& f : formats)
        if (auto pt = text::number<std::uint8_t>(f, 0, 127)) out.push_back(*pt);
    return out;
}

const RtpMap* MediaSection::rtpmap(std::uint8_t pt) const {
    for (const auto& m : rtpmaps)
        if (m.payload_type == pt) return &m;
    return nullptr;
}

const Fmtp* MediaSection::fmtp(std::uint8_t pt) const {
    for (const auto& f : fmtps)
        if (f.payload_type == pt) return &f;
    return nullptr;
}

std::vector<RtcpFeedback> MediaSection::feedback(std::uint8_t pt) const {
    std::vector<RtcpFeedback> out;
    for (const auto& fb : rtcp_feedback)
        if (fb.payload_type == pt || fb.payload_type == RtcpFeedback::wildcard) out.push_back(fb);
    return out;
}

std::optional<std::string> MediaSection::cname() const {
    for (const auto& s : ssrcs)
        if (s.attribute == "cname" && s.value) return s.value;
    return std::nullopt;
}

}  // namespace switchboard::rtc::sdp
