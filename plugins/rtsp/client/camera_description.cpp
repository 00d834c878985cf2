#include "rtsp/client/camera_description.hpp"

#include "rtc/sdp/codec_config.hpp"
#include "rtc/sdp/depacketizer_factory.hpp"
#include "rtc/sdp/h264_profile.hpp"
#include "rtsp/protocol/header_text.hpp"

namespace switchboard::rtsp {

namespace {

/// The value of "a=control:" among a level's attribute lines the SDP model keeps whole.
std::optional<std::string> control_of(const std::vector<std::string>& lines) {
    constexpr std::string_view prefix = "a=control:";
    for (const auto& line : lines)
        if (line.size() >= prefix.size() && iequals(std::string_view(line).substr(0, prefix.size()), prefix))
            return std::string(trim(std::string_view(line).substr(prefix.size())));
    return std::nullopt;
}

/// The profile-level-id of an H264 track's first SPS (profile_idc, constraint flags,
/// level_idc: its bytes 1-3), from sprop-parameter-sets, or nullopt without one.
std::optional<std::uint32_t> sps_profile_level_id(const rtc::sdp::RtpCodec& codec) {
    const auto sets = rtc::sdp::h264_parameter_sets(codec);  // Annex B, 4-byte start codes
    for (std::size_t i = 0; i + 7 < sets.size(); ++i)
        if (sets[i] == 0 && sets[i + 1] == 0 && sets[i + 2] == 0 && sets[i + 3] == 1 && (sets[i + 4] & 0x1f) == 7)
            return (std::uint32_t(sets[i + 5]) << 16) | (std::uint32_t(sets[i + 6]) << 8) | sets[i + 7];
    return std::nullopt;
}

bool starts_with_scheme(std::string_view s) {
    return (s.size() >= 7 && iequals(s.substr(0, 7), "rtsp://")) ||
           (s.size() >= 8 && iequals(s.substr(0, 8), "rtsps://"));
}

}  // namespace

const CameraTrack* CameraDescription::track(MediaKind kind) const {
    for (const auto& t : tracks)
        if (t.kind == kind) return &t;
    return nullptr;
}

std::string resolve_control(std::string_view base_url, std::string_view control) {
    if (control.empty() || control == "*") return std::string(base_url);
    if (starts_with_scheme(control)) return std::string(control);
    std::string url(base_url);
    if (url.empty() || url.back() != '/') url += '/';
    if (control.front() == '/') control.remove_prefix(1);
    return url + std::string(control);
}

Result<CameraDescription> describe_camera(std::string_view sdp_text, std::string_view base_url) {
    auto parsed = rtc::sdp::SessionDescription::parse(sdp_text);
    if (!parsed) return Error::invalid("the camera's SDP: " + parsed.error().message);
    CameraDescription d;
    d.sdp = std::move(parsed).value();
    const std::string session_base = resolve_control(base_url, control_of(d.sdp.unknown).value_or("*"));
    for (const auto& section : d.sdp.media) {
        const auto type = section.type();
        if (type != rtc::sdp::MediaType::audio && type != rtc::sdp::MediaType::video) continue;
        if (!section.is_rtp()) {
            d.skipped.push_back(section.media + ": protocol " + section.proto + " is not RTP");
            continue;
        }
        std::optional<CameraTrack> track;
        std::string unknown;
        for (const auto& codec : rtc::sdp::rtp_codecs(section)) {
            // Known, and in a packetization we read (not H264 interleaved mode, say).
            if (auto format = codec.format(); format && !codec.is_rtx() && rtc::sdp::make_depacketizer(codec)) {
                track = CameraTrack{format->kind, {}, codec, *format};
                // Cameras often leave profile-level-id out; RFC 6184's default for that
                // (42000a, level 1.0) would misstate any real picture, and the SPS knows.
                // Canonical, as RtpCodec::format() gives it: 42c01f and 42e01f are both
                // Constrained Baseline and must meet a browser's offer.
                if (format->codec == Codec::h264 && codec.fmtp.find("profile-level-id") == std::string::npos)
                    if (auto id = sps_profile_level_id(codec))
                        if (auto classified = rtc::sdp::H264ProfileLevelId::from_value(*id))
                            if (auto canonical = classified->value()) track->format.profile_level_id = *canonical;
                break;
            }
            if (unknown.empty())
                unknown = codec.encoding + "/" + std::to_string(codec.clock_rate) +
                          (codec.fmtp.empty() ? std::string() : " (" + codec.fmtp + ")");
        }
        if (!track) {
            d.skipped.push_back(section.media + ": " + (unknown.empty() ? "no payload type" : unknown) +
                                " is not supported");
            continue;
        }
        track->control_url = resolve_control(session_base, control_of(section.unknown).value_or("*"));
        d.tracks.push_back(std::move(*track));
    }
    if (d.tracks.empty()) {
        std::string why;
        for (const auto& s : d.skipped) why += (why.empty() ? "" : "; ") + s;
        return Error::invalid("the camera offers no audio or video Switchboard can read" +
                              (why.empty() ? std::string() : " (" + why + ")"));
    }
    return d;
}

}  // namespace switchboard::rtsp
