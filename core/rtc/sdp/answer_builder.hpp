/// \file answer_builder.hpp
/// \brief Our answer to a remote offer (RFC 3264 §6, JSEP RFC 8829 §5.3).
///
/// Same m= sections in the same order with the same mids; each one accepted with the
/// codecs both sides do (codec_matcher.hpp) or rejected with port 0. Rejected: a kind
/// we do not carry (m=application: data channels come later), a disabled section, a
/// proto without DTLS-SRTP, no rtcp-mux when required, no common codec. The BUNDLE
/// group is echoed with the accepted mids. Directions mirror the offer's, limited by
/// whether we have a track to send. We take the DTLS client role when the offerer lets
/// us choose (a=setup:active for actpass, RFC 8842 §5.3). A re-answer (renegotiation)
/// passes the role the DTLS association already has in `setup`, so the association and
/// its SRTP keys stay (RFC 8842 §5.5), and `hold` to keep receiving off (RFC 3264 §8.4),
/// and `keep_track_mids`: the sections whose a=msid stays while they do not send.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <switchboard/errors.hpp>

#include "rtc/sdp/codec_matcher.hpp"
#include "rtc/sdp/local_media.hpp"
#include "rtc/sdp/session_description.hpp"

namespace switchboard::rtc::sdp {

struct AnswerOptions {
    LocalTransport transport;
    std::uint64_t session_id = 0;  ///< o= session id; pick a random one per call
    std::uint64_t session_version = 1;
    LocalMedia audio;
    LocalMedia video;
    MatchOptions match;
    std::vector<std::string> header_extensions = default_header_extensions();
    bool require_rtcp_mux = true;  ///< reject sections without a=rtcp-mux (JSEP §5.1.3)
    /// When set, every accepted section says this a=setup instead of the one derived
    /// from the offer: a re-answer keeps the DTLS role of the running association.
    std::optional<Setup> setup;
    /// We hold the peer: accepted sections do not receive (sendonly or inactive).
    bool hold = false;
    /// A re-answer: the mids whose section in our current description has our track.
    /// There the track (a=msid, a=ssrc) stays even when the section no longer sends, e.g.
    /// recvonly while the peer holds us: JSEP (RFC 8829 §5.2.2, §5.3.2) keeps a=msid once
    /// present, whatever the direction. libwebrtc needs it: an answer without our SSRC
    /// makes it drop its receive stream, and when the same SSRC comes back with the resume
    /// it makes a new one but does not reattach the remote track's sink to it (the
    /// receiver's SSRC did not change): it decodes our video, the application gets none.
    std::vector<std::string> keep_track_mids;
};

/// The answer; Error::invalid when `options.transport` is incomplete or the offer
/// has no m= section.
Result<SessionDescription> build_answer(const SessionDescription& offer, const AnswerOptions& options);

/// The DTLS role to answer with for an offered a=setup (RFC 4145 §4.1: absent means
/// active).
Setup answer_setup(std::optional<Setup> offered);

/// Our direction for an offered one, given whether we have something to send.
Direction answer_direction(Direction offered, bool we_send);

/// `d` with receiving taken out: sendonly or inactive (holding the peer, RFC 3264 §8.4).
Direction without_receive(Direction d);

}  // namespace switchboard::rtc::sdp
