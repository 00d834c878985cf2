/// \file attributes.hpp
/// \brief The small typed values of SDP lines: o=, c= and the a= attributes WebRTC uses.
///
/// These are the vocabulary of the SDP model, kept together the way a protocol's
/// common types are (each is a few fields with a parse and a to_string); the larger
/// ones (Candidate, Fingerprint) have their own files. Every `parse` takes the value
/// after "a=name:" (or after "o=" / "c="), never throws and returns nullopt on bad
/// syntax; every `to_string` writes that value back so that parse(to_string(x)) == x.
/// Free text at the end of a line (fmtp parameters, rtcp-fb parameters, ssrc values)
/// is kept verbatim.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace switchboard::rtc::sdp {

/// a=sendrecv / sendonly / recvonly / inactive (RFC 8866 §6.7, RFC 3264 §5.1).
enum class Direction { sendrecv, sendonly, recvonly, inactive };
std::optional<Direction> parse_direction(std::string_view s);
std::string_view to_string(Direction d);
/// The direction an answer states for an offered one (RFC 3264 §6.1): their sendonly is
/// our recvonly, and so on.
Direction reverse(Direction d);

/// a=setup (RFC 4145 §4, RFC 5763 §5): the DTLS role.
enum class Setup { actpass, active, passive, holdconn };
std::optional<Setup> parse_setup(std::string_view s);
std::string_view to_string(Setup s);

/// o=<username> <sess-id> <sess-version> IN IP4 <address> (RFC 8866 §5.2).
struct Origin {
    std::string username = "-";
    std::uint64_t session_id = 0;
    std::uint64_t session_version = 0;
    std::string net_type = "IN";
    std::string addr_type = "IP4";
    std::string address = "127.0.0.1";

    static std::optional<Origin> parse(std::string_view value);
    std::string to_string() const;
    friend bool operator==(const Origin&, const Origin&) = default;
};

/// c=IN IP4 <address> (RFC 8866 §5.7); WebRTC writes 0.0.0.0 and ignores it (JSEP).
struct Connection {
    std::string net_type = "IN";
    std::string addr_type = "IP4";
    std::string address = "0.0.0.0";

    static std::optional<Connection> parse(std::string_view value);
    std::string to_string() const;
    friend bool operator==(const Connection&, const Connection&) = default;
};

/// a=group:<semantics> <mid>... (RFC 5888 §5); BUNDLE is RFC 8843.
struct Group {
    std::string semantics;
    std::vector<std::string> mids;

    static std::optional<Group> parse(std::string_view value);
    std::string to_string() const;
    friend bool operator==(const Group&, const Group&) = default;
};

/// a=msid-semantic:<semantic> [<id>...] (the WMS line browsers still write).
struct MsidSemantic {
    std::string semantic = "WMS";
    std::vector<std::string> ids;

    static std::optional<MsidSemantic> parse(std::string_view value);
    std::string to_string() const;
    friend bool operator==(const MsidSemantic&, const MsidSemantic&) = default;
};

/// a=msid:<stream id> [<track id>] (RFC 8830 §2).
struct Msid {
    std::string stream_id;
    std::string track_id;  ///< empty when absent

    static std::optional<Msid> parse(std::string_view value);
    std::string to_string() const;
    friend bool operator==(const Msid&, const Msid&) = default;
};

/// a=rtpmap:<pt> <encoding>/<clock rate>[/<channels>] (RFC 8866 §6.6).
struct RtpMap {
    std::uint8_t payload_type = 0;
    std::string encoding;  ///< as written ("H264", "opus")
    std::uint32_t clock_rate = 0;
    std::optional<std::uint16_t> channels;

    static std::optional<RtpMap> parse(std::string_view value);
    std::string to_string() const;
    friend bool operator==(const RtpMap&, const RtpMap&) = default;
};

/// a=fmtp:<pt> <parameters> (RFC 8866 §6.15); parameters kept verbatim.
struct Fmtp {
    std::uint8_t payload_type = 0;
    std::string parameters;

    static std::optional<Fmtp> parse(std::string_view value);
    std::string to_string() const;
    friend bool operator==(const Fmtp&, const Fmtp&) = default;
};

/// "key=value;key2=value2" split and trimmed, in order; a part without '=' has an
/// empty value. Used to read fmtp parameters.
std::vector<std::pair<std::string, std::string>> parse_parameters(std::string_view parameters);
/// The value of `key` (case-insensitive) in fmtp parameters.
std::optional<std::string> parameter(std::string_view parameters, std::string_view key);

/// a=rtcp-fb:<pt|*> <type> [<parameter>] (RFC 4585 §4.2): "nack", "nack pli", "ccm fir",
/// "goog-remb", "transport-cc".
struct RtcpFeedback {
    static constexpr int wildcard = -1;  ///< "*": every payload type of the section
    int payload_type = wildcard;
    std::string type;
    std::string parameter;  ///< empty when absent

    static std::optional<RtcpFeedback> parse(std::string_view value);
    std::string to_string() const;
    friend bool operator==(const RtcpFeedback&, const RtcpFeedback&) = default;
};

/// a=extmap:<id>[/<direction>] <uri> [<attributes>] (RFC 8285 §8).
struct ExtMap {
    std::uint16_t id = 0;
    std::optional<Direction> direction;
    std::string uri;
    std::string attributes;  ///< empty when absent

    static std::optional<ExtMap> parse(std::string_view value);
    std::string to_string() const;
    friend bool operator==(const ExtMap&, const ExtMap&) = default;
};

/// a=ssrc:<ssrc> <attribute>[:<value>] (RFC 5576 §4.1): "cname:...", "msid:...".
struct SsrcAttribute {
    std::uint32_t ssrc = 0;
    std::string attribute;
    std::optional<std::string> value;

    static std::optional<SsrcAttribute> parse(std::string_view value);
    std::string to_string() const;
    friend bool operator==(const SsrcAttribute&, const SsrcAttribute&) = default;
};

/// a=ssrc-group:<semantics> <ssrc>... (RFC 5576 §4.2): "FID" pairs a stream with its
/// RTX stream, "SIM" lists simulcast layers.
struct SsrcGroup {
    std::string semantics;
    std::vector<std::uint32_t> ssrcs;

    static std::optional<SsrcGroup> parse(std::string_view value);
    std::string to_string() const;
    friend bool operator==(const SsrcGroup&, const SsrcGroup&) = default;
};

}  // namespace switchboard::rtc::sdp
