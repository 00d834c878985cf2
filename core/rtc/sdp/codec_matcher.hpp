/// \file codec_matcher.hpp
/// \brief Choosing the codecs of an answer from an offered m= section (RFC 3264 §6.1).
///
/// The answer keeps the offerer's payload type numbers, lists our formats in our order
/// of preference, pairs each chosen codec with the offerer's RTX for it, and keeps only
/// the rtcp-fb both sides do. Two payload types are the same codec when name and clock
/// rate agree and, per codec, what must agree does: H264 packetization-mode and profile
/// (RFC 6184 §8.2.2, with the profile classification of h264_profile.hpp), VP9
/// profile-id, AV1 profile. Plain functions; any thread.
#pragma once

#include <optional>
#include <vector>

#include <switchboard/format.hpp>

#include "rtc/sdp/media_section.hpp"
#include "rtc/sdp/rtp_codec.hpp"

namespace switchboard::rtc::sdp {

/// The RTCP feedback Switchboard implements; what a peer offers is intersected with it.
struct FeedbackSupport {
    bool nack = true;           ///< "nack" (RFC 4585 §6.2.1)
    bool nack_pli = true;       ///< "nack pli" (RFC 4585 §6.3.1)
    bool ccm_fir = true;        ///< "ccm fir" (RFC 5104 §7.1)
    bool goog_remb = true;      ///< "goog-remb" (draft-alvestrand-rmcat-remb)
    bool transport_cc = false;  ///< "transport-cc" (draft-holmer-rmcat-transport-wide-cc)

    bool supports(const RtcpFeedback& fb) const;
    /// What an offer lists for a video payload type (audio gets transport-cc only).
    std::vector<RtcpFeedback> video(std::uint8_t payload_type) const;
    std::vector<RtcpFeedback> audio(std::uint8_t payload_type) const;
};

struct MatchOptions {
    FeedbackSupport feedback;
    bool rtx = true;  ///< answer RTX (RFC 4588) for chosen video codecs when offered
};

/// The answer's codec for one offered codec and one format we support, or nullopt when
/// they are not the same codec. For H264 the answer's fmtp is the offer's with the
/// profile-level-id we answer: the common profile and, per RFC 6184 §8.2.2, our level
/// when both sides allow level asymmetry, else the lower of the two levels (a
/// supported format without a profile-level-id accepts any profile at the offered
/// level). Feedback is the intersection.
std::optional<RtpCodec> match_codec(const RtpCodec& offered, const Format& supported,
                                    const FeedbackSupport& feedback = {});

/// The codecs to answer `offer` with: for each supported format in order, the offered
/// codecs matching it (in offer order, each once), each followed by its RTX when
/// options.rtx. Empty when nothing matches (the section is then rejected).
std::vector<RtpCodec> match_codecs(const MediaSection& offer, const FormatSet& supported,
                                   const MatchOptions& options = {});

}  // namespace switchboard::rtc::sdp
