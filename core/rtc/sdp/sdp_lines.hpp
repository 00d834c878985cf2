/// \file sdp_lines.hpp
/// \brief Where the writer puts lines the model keeps in lists (internal to sdp/).
///
/// The writer emits some lists grouped (unknown non-attribute lines around c= and t=
/// as RFC 8866 §5 orders them; rtcp-fb and fmtp lines after their rtpmap, as browsers
/// write them). The parser sorts those lists by the same keys, stably, so that writing
/// a parsed description never reorders it and round trips are exact.
#pragma once

#include <cstddef>
#include <string_view>

#include "rtc/sdp/media_section.hpp"

namespace switchboard::rtc::sdp::lines {

/// Session level: 0 before c= (i= u= e= p=), 1 between c= and t= (b=, a repeated c=),
/// 2 after t= (r= z= k=, a repeated t=, unknown types).
inline int session_group(std::string_view line) {
    const char type = line.empty() ? '\0' : line[0];
    if (type == 'i' || type == 'u' || type == 'e' || type == 'p') return 0;
    if (type == 'c' || type == 'b') return 1;
    return 2;
}

/// Media level: 0 before c= (i=), 1 after it (b=, k=, anything else).
inline int media_group(std::string_view line) {
    return !line.empty() && line[0] == 'i' ? 0 : 1;
}

/// Index of the first rtpmap for `payload_type`; rtpmaps.size() when none (and for "*").
inline std::size_t rtpmap_index(const MediaSection& m, int payload_type) {
    for (std::size_t i = 0; i < m.rtpmaps.size(); ++i)
        if (m.rtpmaps[i].payload_type == payload_type) return i;
    return m.rtpmaps.size();
}

}  // namespace switchboard::rtc::sdp::lines
