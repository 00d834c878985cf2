/// \file local_media.hpp
/// \brief What we put into our own descriptions: our ICE/DTLS parameters, our tracks.
///
/// The builders (offer_builder.hpp, answer_builder.hpp) take these from the caller, the
/// peer connection, which owns the ICE agent and the DTLS certificate. Plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <switchboard/format.hpp>

#include "rtc/sdp/fingerprint.hpp"
#include "rtc/sdp/media_section.hpp"

namespace switchboard::rtc::sdp {

/// Our ICE credentials and certificate fingerprint (RFC 8839 §5.4, RFC 8122).
struct LocalTransport {
    std::string ice_ufrag;  ///< 4 to 256 ice-chars
    std::string ice_pwd;    ///< 22 to 256 ice-chars
    Fingerprint fingerprint;
    bool trickle = true;  ///< a=ice-options:trickle (RFC 8840)
};

/// A track we send in a section: its msid (RFC 8830) and SSRCs (RFC 5576).
struct LocalTrack {
    std::string stream_id;
    std::string track_id;
    std::string cname;
    std::uint32_t ssrc = 0;
    std::optional<std::uint32_t> rtx_ssrc;  ///< used when RTX is negotiated
};

/// One media kind on our side: the formats we take, in order of preference, and the
/// track we send, if any (without one we only receive).
struct LocalMedia {
    FormatSet formats;
    std::optional<LocalTrack> track;
};

/// The header extensions (RFC 8285) offered and accepted by default: the mid, which
/// BUNDLE demultiplexing needs (RFC 8843 §15.2).
inline std::vector<std::string> default_header_extensions() {
    return {"urn:ietf:params:rtp-hdrext:sdes:mid"};
}

/// Error text when `t` cannot be put into a description, else empty.
std::string check(const LocalTransport& t);

/// Writes ice-ufrag, ice-pwd, fingerprint and `setup` into a section.
void add_transport(MediaSection& section, const LocalTransport& t, Setup setup);

/// Writes a=msid and the a=ssrc lines (cname, msid) of a track; with `rtx`, also the
/// RTX SSRC and its ssrc-group FID (RFC 4588 §8.3).
void add_track(MediaSection& section, const LocalTrack& track, bool rtx);

}  // namespace switchboard::rtc::sdp
