/// \file offer_builder.hpp
/// \brief Our offer (JSEP RFC 8829 §5.2): an audio and a video section, bundled.
///
/// mids "0" (audio) and "1" (video) when both are present, one BUNDLE group,
/// rtcp-mux and rtcp-rsize, our codecs with the rtcp-fb we do, RTX for video codecs,
/// a=setup:actpass (RFC 8842 §5.2), ice-options:trickle, and msid plus a=ssrc lines
/// with the cname for a track we send. Payload types come from the dynamic range
/// (96-127) once for the whole offer, so a number means one codec in every bundled
/// section (RFC 8843 §9.1); PCMU and PCMA use their static numbers.
///
/// A subsequent offer (JSEP §5.2.2, renegotiation) is built from the current local
/// description instead (build_reoffer): the same m= sections in the same order with the
/// same mids and the codecs already negotiated, so nothing the peer relies on moves.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <switchboard/errors.hpp>

#include "rtc/sdp/codec_matcher.hpp"
#include "rtc/sdp/local_media.hpp"
#include "rtc/sdp/rtp_codec.hpp"
#include "rtc/sdp/session_description.hpp"

namespace switchboard::rtc::sdp {

struct OfferOptions {
    LocalTransport transport;
    std::uint64_t session_id = 0;  ///< o= session id; pick a random one per call
    std::uint64_t session_version = 1;
    std::optional<LocalMedia> audio;  ///< a section when set: sendrecv with a track, else recvonly
    std::optional<LocalMedia> video;
    FeedbackSupport feedback;
    bool rtx = true;
    std::vector<std::string> header_extensions = default_header_extensions();
};

/// The offer; Error::invalid when the transport is incomplete, no section is asked
/// for, a section has no codec we can offer, or the codecs need more than the 32
/// dynamic payload types.
Result<SessionDescription> build_offer(const OfferOptions& options);

/// What changes in a subsequent offer.
struct ReofferOptions {
    /// New credentials for an ICE restart (RFC 8839 §4.4.1.1.1), else the current ones.
    LocalTransport transport;
    std::uint64_t session_version = 2;  ///< must grow with each description (RFC 3264 §8)
    /// The tracks we send, in the first accepted section of their kind; none: that
    /// kind only receives.
    std::optional<LocalTrack> audio_track;
    std::optional<LocalTrack> video_track;
    /// We hold the peer: no section receives (sendonly or inactive, RFC 3264 §8.4).
    bool hold = false;
};

/// A subsequent offer from `current`, our last local description (offer or answer):
/// sections, mids, codecs and extensions kept, rejected sections stay rejected,
/// a=setup:actpass (RFC 8842 §5.2; the answerer keeps the DTLS role), no candidates yet.
/// Error::invalid when the transport is incomplete or `current` has no section.
Result<SessionDescription> build_reoffer(const SessionDescription& current, const ReofferOptions& options);

/// The codecs we offer for one Format, with payload types from `next_dynamic`
/// (advanced): H264 without a packetization mode gives two (mode 1 then 0), H264
/// without a profile Constrained Baseline 3.1 (42e01f). Empty for formats that do not
/// travel over RTP (raw, Codec::any) or when payload types run out.
std::vector<RtpCodec> offer_codecs(const Format& format, int& next_dynamic);

}  // namespace switchboard::rtc::sdp
