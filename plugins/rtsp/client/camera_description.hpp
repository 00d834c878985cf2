/// \file camera_description.hpp
/// \brief What a camera's DESCRIBE answer says it sends: one track per audio or video
/// m= section, its control URL for SETUP, and its codec, read from the SDP alone (no
/// hints from the config).
///
/// The SDP is parsed by core/rtc's parser, the one calls use. A track's codec is the
/// first payload type of its m= line that Switchboard knows (rtc::sdp::RtpCodec::format);
/// sections with none are listed in `skipped` with the reason, so the node can say why
/// a camera's audio is not used.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <switchboard/errors.hpp>
#include <switchboard/format.hpp>

#include "rtc/sdp/rtp_codec.hpp"
#include "rtc/sdp/session_description.hpp"

namespace switchboard::rtsp {

struct CameraTrack {
    MediaKind kind = MediaKind::video;
    std::string control_url;  ///< absolute, for SETUP
    rtc::sdp::RtpCodec codec;
    Format format;  ///< codec, clock rate, channels; H264 profile and packetization mode
};

struct CameraDescription {
    rtc::sdp::SessionDescription sdp;
    std::vector<CameraTrack> tracks;
    std::vector<std::string> skipped;  ///< "audio: MP4A-LATM/90000 is not supported"
    /// The first track of a kind, or null.
    const CameraTrack* track(MediaKind kind) const;
};

/// Reads a DESCRIBE answer's body. `base_url` is the Content-Base header, else
/// Content-Location, else the URL that was described (RFC 2326 §C.1.1). Error::invalid
/// when the SDP does not parse or has no track Switchboard can use.
Result<CameraDescription> describe_camera(std::string_view sdp_text, std::string_view base_url);

/// A control attribute resolved against the base: "*" is the base itself, an absolute
/// URL stays, anything else is appended as a path segment (what cameras mean by it).
std::string resolve_control(std::string_view base_url, std::string_view control);

}  // namespace switchboard::rtsp
