#include "rtc/sdp/codec_matcher.hpp"

#include <algorithm>

#include "rtc/sdp/h264_profile.hpp"
#include "rtc/sdp/sdp_text.hpp"

namespace switchboard::rtc::sdp {

namespace {

RtcpFeedback fb(std::uint8_t pt, const char* type, const char* parameter = "") {
    return {pt, type, parameter};
}

// The RTP clock rate a codec must use when the supported Format leaves it open.
int default_clock_rate(Codec c) {
    switch (c) {
        case Codec::opus:
            return 48000;  // RFC 7587 §4.1
        case Codec::pcmu:
        case Codec::pcma:
            return 8000;  // RFC 3551 §4.5.14
        default:
            return 90000;  // video, RFC 6184 §8.2.1 and the VP8/VP9/AV1 payload formats
    }
}

bool level_asymmetry_allowed(const std::string& fmtp) {
    return parameter(fmtp, "level-asymmetry-allowed") == "1";
}

// fmtp parameters with `key` set to `value` (replaced in place, else appended).
std::string with_parameter(const std::string& fmtp, std::string_view key, const std::string& value) {
    std::string out;
    bool replaced = false;
    for (auto& [k, v] : parse_parameters(fmtp)) {
        if (!out.empty()) out += ';';
        if (text::iequals(k, key)) {
            out += k + '=' + value;
            replaced = true;
        } else {
            out += v.empty() ? k : k + '=' + v;
        }
    }
    if (!replaced) out += (out.empty() ? "" : ";") + std::string(key) + '=' + value;
    return out;
}

// RFC 6184 §8.2.2 as browsers apply it; the answer's fmtp or nullopt.
std::optional<std::string> match_h264(const RtpCodec& offered, const Format& theirs, const Format& ours) {
    // RFC 6184 §8.2.2: packetization-mode must be equal. "Any" on our side still
    // excludes mode 2 (interleaved), which needs a depayloader we do not have.
    if (ours.packetization_mode >= 0 ? ours.packetization_mode != theirs.packetization_mode
                                     : theirs.packetization_mode == 2)
        return std::nullopt;
    auto remote = H264ProfileLevelId::from_value(theirs.profile_level_id);
    if (!remote) return std::nullopt;
    if (!ours.profile_level_id) return offered.fmtp;  // any profile, at their level
    auto local = H264ProfileLevelId::from_value(ours.profile_level_id);
    if (!local || local->profile != remote->profile) return std::nullopt;
    // We always allow asymmetry (we receive at our level whatever we send), so it is
    // the offerer's flag that decides between our level and the lower of the two.
    H264ProfileLevelId answer = *remote;
    if (level_asymmetry_allowed(offered.fmtp))
        answer.level = local->level;
    else if (level_less(local->level, remote->level))
        answer.level = local->level;
    auto text = answer.to_string();
    if (!text) return std::nullopt;
    return with_parameter(offered.fmtp, "profile-level-id", *text);
}

}  // namespace

bool FeedbackSupport::supports(const RtcpFeedback& f) const {
    if (f.type == "nack") return f.parameter.empty() ? nack : (f.parameter == "pli" && nack_pli);
    if (f.type == "ccm") return f.parameter == "fir" && ccm_fir;
    if (f.type == "goog-remb") return f.parameter.empty() && goog_remb;
    if (f.type == "transport-cc") return f.parameter.empty() && transport_cc;
    return false;
}

std::vector<RtcpFeedback> FeedbackSupport::video(std::uint8_t pt) const {
    std::vector<RtcpFeedback> out;
    if (goog_remb) out.push_back(fb(pt, "goog-remb"));
    if (transport_cc) out.push_back(fb(pt, "transport-cc"));
    if (ccm_fir) out.push_back(fb(pt, "ccm", "fir"));
    if (nack) out.push_back(fb(pt, "nack"));
    if (nack_pli) out.push_back(fb(pt, "nack", "pli"));
    return out;
}

std::vector<RtcpFeedback> FeedbackSupport::audio(std::uint8_t pt) const {
    std::vector<RtcpFeedback> out;
    if (transport_cc) out.push_back(fb(pt, "transport-cc"));
    return out;
}

std::optional<RtpCodec> match_codec(const RtpCodec& offered, const Format& supported, const FeedbackSupport& feedback) {
    if (offered.is_rtx()) return std::nullopt;
    auto theirs = offered.format();
    if (!theirs || theirs->kind != supported.kind) return std::nullopt;
    if (supported.codec != Codec::any && supported.codec != theirs->codec) return std::nullopt;
    const int clock = supported.clock_rate ? supported.clock_rate : default_clock_rate(theirs->codec);
    if (theirs->clock_rate != clock) return std::nullopt;
    // Opus always signals 2 channels (RFC 7587 §7); G.711 must be mono here.
    if ((theirs->codec == Codec::pcmu || theirs->codec == Codec::pcma) && theirs->channels != 1) return std::nullopt;

    RtpCodec answer = offered;
    if (theirs->codec == Codec::h264) {
        auto fmtp = match_h264(offered, *theirs, supported);
        if (!fmtp) return std::nullopt;
        answer.fmtp = *fmtp;
    } else if (theirs->codec == Codec::vp9) {
        // RFC draft-ietf-payload-vp9 §6: profile-id, default 0; we do profile 0.
        if (parameter(offered.fmtp, "profile-id").value_or("0") != "0") return std::nullopt;
    } else if (theirs->codec == Codec::av1) {
        // AV1 RTP spec §7.2.1: profile, default 0 (Main).
        if (parameter(offered.fmtp, "profile").value_or("0") != "0") return std::nullopt;
    }
    answer.feedback.clear();
    for (const auto& f : offered.feedback)
        if (feedback.supports(f)) answer.feedback.push_back(f);
    return answer;
}

std::vector<RtpCodec> match_codecs(const MediaSection& offer, const FormatSet& supported, const MatchOptions& options) {
    const auto offered = rtp_codecs(offer);
    std::vector<RtpCodec> chosen;
    auto taken = [&chosen](std::uint8_t pt) {
        return std::any_of(chosen.begin(), chosen.end(), [pt](const RtpCodec& c) { return c.payload_type == pt; });
    };
    for (const auto& format : supported) {
        for (const auto& codec : offered) {
            if (taken(codec.payload_type)) continue;
            auto answer = match_codec(codec, format, options.feedback);
            if (!answer) continue;
            chosen.push_back(std::move(*answer));
            if (!options.rtx || format.kind != MediaKind::video) continue;
            for (const auto& rtx : offered) {
                if (rtx.rtx_primary() == codec.payload_type && !taken(rtx.payload_type)) {
                    RtpCodec r = rtx;
                    r.feedback.clear();  // RFC 4588: the primary's feedback covers it
                    chosen.push_back(std::move(r));
                    break;
                }
            }
        }
    }
    return chosen;
}

}  // namespace switchboard::rtc::sdp
