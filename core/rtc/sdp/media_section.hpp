/// \file media_section.hpp
/// \brief One m= section of a session description, with its attributes typed.
///
/// The transport attributes (ICE credentials, fingerprint, setup) may appear at session
/// or media level (RFC 8839 §5.4, RFC 8122 §5, JSEP §5.2); both levels share
/// TransportAttributes, and SessionDescription::transport_for() resolves them.
/// Attributes the model does not name are kept in `unknown` in the order they came and
/// written after the known ones; other unknown lines (b=, i=, k=) in `unknown_fields`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rtc/sdp/attributes.hpp"
#include "rtc/sdp/candidate.hpp"
#include "rtc/sdp/fingerprint.hpp"

namespace switchboard::rtc::sdp {

/// ICE and DTLS attributes, valid at session and media level.
struct TransportAttributes {
    std::optional<std::string> ice_ufrag;
    std::optional<std::string> ice_pwd;
    std::vector<std::string> ice_options;  ///< "trickle", "renomination", ...
    std::optional<Fingerprint> fingerprint;
    std::optional<Setup> setup;

    bool trickle() const;
    friend bool operator==(const TransportAttributes&, const TransportAttributes&) = default;
};

/// The media type of an m= line; `other` keeps the text in MediaSection::media.
enum class MediaType { audio, video, application, other };

struct MediaSection {
    // m=<media> <port>[/<count>] <proto> <fmt>... (RFC 8866 §5.14)
    std::string media;  ///< "audio", "video", "application", ...
    std::uint16_t port = 9;
    std::optional<std::uint16_t> port_count;
    std::string proto = "UDP/TLS/RTP/SAVPF";
    /// The fmt list in order: payload types for RTP protos ("96"), "webrtc-datachannel"
    /// for SCTP.
    std::vector<std::string> formats;

    std::optional<Connection> connection;  ///< c=
    std::optional<std::string> mid;
    std::optional<Direction> direction;  ///< absent means sendrecv (RFC 3264 §5.1)
    std::vector<Msid> msids;
    TransportAttributes transport;
    std::vector<Candidate> candidates;
    bool end_of_candidates = false;
    bool rtcp_mux = false;
    bool rtcp_mux_only = false;
    bool rtcp_rsize = false;
    std::vector<RtpMap> rtpmaps;
    std::vector<Fmtp> fmtps;
    std::vector<RtcpFeedback> rtcp_feedback;
    std::vector<ExtMap> extmaps;
    std::vector<SsrcAttribute> ssrcs;
    std::vector<SsrcGroup> ssrc_groups;
    std::optional<std::uint16_t> sctp_port;         ///< RFC 8841 §5
    std::optional<std::uint64_t> max_message_size;  ///< RFC 8841 §6

    /// Attribute lines the model does not name, whole ("a=rtcp:9 IN IP4 0.0.0.0").
    std::vector<std::string> unknown;
    /// Other lines the model does not name, whole ("b=AS:30").
    std::vector<std::string> unknown_fields;

    MediaType type() const;
    /// True when the proto carries RTP ("RTP/" in it) and formats are payload types.
    bool is_rtp() const;
    /// Payload types of the fmt list, in order; tokens that are not 0-127 are skipped.
    std::vector<std::uint8_t> payload_types() const;
    /// The effective direction (sendrecv when absent).
    Direction effective_direction() const { return direction.value_or(Direction::sendrecv); }
    /// A rejected (or disabled) section has port 0 (RFC 3264 §6).
    bool rejected() const { return port == 0; }

    const RtpMap* rtpmap(std::uint8_t pt) const;
    const Fmtp* fmtp(std::uint8_t pt) const;
    /// The rtcp-fb lines for `pt`, including "*" ones.
    std::vector<RtcpFeedback> feedback(std::uint8_t pt) const;
    /// The first a=ssrc cname, if any.
    std::optional<std::string> cname() const;

    friend bool operator==(const MediaSection&, const MediaSection&) = default;
};

}  // namespace switchboard::rtc::sdp
