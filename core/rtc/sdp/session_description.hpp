/// \file session_description.hpp
/// \brief A WebRTC session description (offer or answer): parse, model, write.
///
/// The model types what WebRTC negotiates (RFC 8866 lines, JSEP RFC 8829 attributes)
/// and keeps everything else: an unknown line stays at its level (session, or its m=
/// section) and is written back. parse() never throws: bad input is an
/// Error::invalid naming the line number and the line. to_string() writes "\r\n" lines
/// in a canonical order (v, o, s, c, t, session attributes, then each m= section with
/// c= and its attributes), and parse(to_string(d)) == d for every parsed d.
///
/// Where an attribute that the model holds once (mid, ice-ufrag, setup, a direction,
/// ...) comes twice at one level, the first is typed and the others kept as unknown
/// lines, so nothing is lost and round trips stay stable.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <switchboard/errors.hpp>

#include "rtc/sdp/attributes.hpp"
#include "rtc/sdp/media_section.hpp"

namespace switchboard::rtc::sdp {

/// What parse() accepts at most, so hostile input cannot make it allocate without
/// bound. Browser offers are a few kB; these leave two orders of magnitude.
struct Limits {
    std::size_t max_bytes = 256 * 1024;
    std::size_t max_lines = 8192;
    std::size_t max_line_length = 8192;
    std::size_t max_media_sections = 256;
};

struct SessionDescription {
    Origin origin;                   ///< o=
    std::string session_name = "-";  ///< s=
    std::optional<Connection> connection;
    std::uint64_t start_time = 0;  ///< t=<start> <stop>
    std::uint64_t stop_time = 0;

    std::vector<Group> groups;  ///< a=group (BUNDLE, LS, ...)
    std::optional<MsidSemantic> msid_semantic;
    TransportAttributes transport;  ///< session-level ICE/DTLS attributes
    bool ice_lite = false;          ///< a=ice-lite (RFC 8839 §5.3)

    /// Session-level attribute lines the model does not name, whole ("a=extmap-allow-mixed").
    std::vector<std::string> unknown;
    /// Session-level lines of other types, whole ("b=AS:30", a second "t=").
    std::vector<std::string> unknown_fields;

    std::vector<MediaSection> media;

    /// Parses an SDP; lines end in "\r\n" or "\n"; blank lines are skipped.
    static Result<SessionDescription> parse(std::string_view text, const Limits& limits = {});
    /// The SDP text, "\r\n" line ends.
    std::string to_string() const;

    /// The BUNDLE group, or null.
    const Group* bundle() const;
    /// The section with this mid, or null.
    const MediaSection* find(std::string_view mid) const;
    MediaSection* find(std::string_view mid);
    /// A section's ICE/DTLS attributes: media level where present, else session level.
    TransportAttributes transport_for(const MediaSection& section) const;

    friend bool operator==(const SessionDescription&, const SessionDescription&) = default;
};

}  // namespace switchboard::rtc::sdp
