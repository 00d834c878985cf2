/// \file rtp_codec.hpp
/// \brief One payload type of an RTP m= section, read together: rtpmap, fmtp, rtcp-fb.
///
/// The lines of one codec are spread over a section; RtpCodec gathers them and says
/// what Switchboard Format the payload type carries. RTX (RFC 4588) is recognised as a
/// retransmission stream of its primary (fmtp apt=), not as a codec of its own.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <switchboard/format.hpp>

#include "rtc/sdp/attributes.hpp"
#include "rtc/sdp/media_section.hpp"

namespace switchboard::rtc::sdp {

struct RtpCodec {
    std::uint8_t payload_type = 0;
    std::string encoding;  ///< rtpmap encoding name as written ("H264", "rtx", "opus")
    std::uint32_t clock_rate = 0;
    std::optional<std::uint16_t> channels;
    std::string fmtp;                    ///< fmtp parameters, verbatim; empty when none
    std::vector<RtcpFeedback> feedback;  ///< with payload_type set to this one ("*" resolved)

    /// True for "rtx".
    bool is_rtx() const;
    /// The primary payload type of an RTX codec (fmtp apt=), else nullopt.
    std::optional<std::uint8_t> rtx_primary() const;
    /// The Format this payload type carries: video H264 (profile-level-id canonical, see
    /// H264ProfileLevelId::value(); packetization-mode, default 0), H265, VP8, VP9, AV1,
    /// JPEG (as mjpeg); audio opus, PCMU, PCMA, MPEG4-GENERIC (as AAC when its streamType
    /// is absent or 5; sample rate = clock rate), with clock rate and channels (opus
    /// always says 2 channels in SDP, RFC 7587 §7, whatever it carries). nullopt for RTX,
    /// RED, FEC, DTMF and encodings Switchboard does not know.
    std::optional<Format> format() const;

    friend bool operator==(const RtpCodec&, const RtpCodec&) = default;
};

/// Every payload type of an RTP section, in m= line order. A static payload type
/// without an rtpmap (0 PCMU, 8 PCMA, 26 JPEG, RFC 3551 §6) gets its table values; any
/// other payload type without an rtpmap is left out.
std::vector<RtpCodec> rtp_codecs(const MediaSection& section);

/// Adds a codec to a section: its payload type to the m= line, and its rtpmap, fmtp
/// and rtcp-fb lines.
void add_codec(MediaSection& section, const RtpCodec& codec);

}  // namespace switchboard::rtc::sdp
