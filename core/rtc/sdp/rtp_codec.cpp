#include "rtc/sdp/rtp_codec.hpp"

#include <algorithm>

#include "rtc/sdp/h264_profile.hpp"
#include "rtc/sdp/sdp_text.hpp"

namespace switchboard::rtc::sdp {

bool RtpCodec::is_rtx() const {
    return text::iequals(encoding, "rtx");
}

std::optional<std::uint8_t> RtpCodec::rtx_primary() const {
    if (!is_rtx()) return std::nullopt;
    auto apt = parameter(fmtp, "apt");
    return apt ? text::number<std::uint8_t>(*apt, 0, 127) : std::nullopt;
}

std::optional<Format> RtpCodec::format() const {
    Format f;
    f.clock_rate = int(clock_rate);
    const auto name = encoding;
    auto video = [&](Codec c) {
        f.kind = MediaKind::video;
        f.codec = c;
        return f;
    };
    auto audio = [&](Codec c, int default_channels) {
        f.kind = MediaKind::audio;
        f.codec = c;
        f.channels = channels ? int(*channels) : default_channels;
        return f;
    };
    if (text::iequals(name, "H264")) {
        // RFC 6184 §8.1: without the parameter, 42000a and single NAL mode (0).
        f.profile_level_id = default_h264_profile_level_id;
        if (auto plid = parameter(fmtp, "profile-level-id")) {
            auto value = parse_profile_level_id(*plid);
            if (!value) return std::nullopt;
            f.profile_level_id = *value;
        }
        // Canonical spelling, so 42c01f and 42e01f are one format to the graph.
        if (auto id = H264ProfileLevelId::from_value(f.profile_level_id))
            f.profile_level_id = id->value().value_or(f.profile_level_id);
        f.packetization_mode = 0;
        if (auto mode = parameter(fmtp, "packetization-mode")) {
            auto m = text::number<int>(*mode, 0, 2);
            if (!m) return std::nullopt;
            f.packetization_mode = *m;
        }
        return video(Codec::h264);
    }
    if (text::iequals(name, "H265")) return video(Codec::h265);
    if (text::iequals(name, "VP8")) return video(Codec::vp8);
    if (text::iequals(name, "VP9")) return video(Codec::vp9);
    if (text::iequals(name, "AV1")) return video(Codec::av1);
    if (text::iequals(name, "opus")) return audio(Codec::opus, 2);
    if (text::iequals(name, "PCMU")) return audio(Codec::pcmu, 1);
    if (text::iequals(name, "PCMA")) return audio(Codec::pcma, 1);
    if (text::iequals(name, "MPEG4-GENERIC")) {
        // RFC 3640 carries any MPEG-4 elementary stream; AAC is streamType 5 (audio),
        // the clock is the sampling rate (§4.1) and the channels those of the rtpmap.
        if (auto type = parameter(fmtp, "streamType"); type && text::trim(*type) != "5") return std::nullopt;
        f.sample_rate = int(clock_rate);
        return audio(Codec::aac, 1);
    }
    if (text::iequals(name, "JPEG")) return video(Codec::mjpeg);  // RFC 2435, 90 kHz
    return std::nullopt;
}

std::vector<RtpCodec> rtp_codecs(const MediaSection& section) {
    std::vector<RtpCodec> out;
    for (auto pt : section.payload_types()) {
        RtpCodec c;
        c.payload_type = pt;
        if (const auto* map = section.rtpmap(pt)) {
            c.encoding = map->encoding;
            c.clock_rate = map->clock_rate;
            c.channels = map->channels;
        } else if (pt == 0 || pt == 8) {  // RFC 3551 table 4
            c.encoding = pt == 0 ? "PCMU" : "PCMA";
            c.clock_rate = 8000;
            c.channels = 1;
        } else if (pt == 26) {  // RFC 3551 table 5: cameras often write no rtpmap for it
            c.encoding = "JPEG";
            c.clock_rate = 90000;
        } else {
            continue;
        }
        if (const auto* fmtp = section.fmtp(pt)) c.fmtp = fmtp->parameters;
        for (auto fb : section.feedback(pt)) {
            fb.payload_type = pt;
            if (std::find(c.feedback.begin(), c.feedback.end(), fb) == c.feedback.end()) c.feedback.push_back(fb);
        }
        out.push_back(std::move(c));
    }
    return out;
}

void add_codec(MediaSection& section, const RtpCodec& codec) {
    section.formats.push_back(std::to_string(codec.payload_type));
    section.rtpmaps.push_back({codec.payload_type, codec.encoding, codec.clock_rate, codec.channels});
    for (auto fb : codec.feedback) {
        fb.payload_type = codec.payload_type;
        section.rtcp_feedback.push_back(std::move(fb));
    }
    if (!codec.fmtp.empty()) section.fmtps.push_back({codec.payload_type, codec.fmtp});
}

}  // namespace switchboard::rtc::sdp
