#include "hls/media_playlist.hpp"

#include <cstdio>
#include <ctime>
#include <sstream>

namespace switchboard::hls {

int playlist_version(bool low_latency) noexcept {
    // 9: the lowest that has every LL-HLS tag (EXT-X-PART, -PRELOAD-HINT, -SERVER-CONTROL)
    // in RFC 8216bis; 6: EXT-X-MAP in a playlist without EXT-X-I-FRAMES-ONLY (RFC 8216 §7).
    return low_latency ? 9 : 6;
}

std::string part_uri(std::uint64_t msn, std::uint32_t index) {
    return "part" + std::to_string(msn) + "." + std::to_string(index) + ".m4s";
}

std::string segment_uri(std::uint64_t msn) {
    return "seg" + std::to_string(msn) + ".m4s";
}

std::string format_seconds(Micros duration) {
    long long ms = (duration.count() + 500) / 1000;
    char text[32];
    std::snprintf(text, sizeof text, "%lld.%03lld", ms / 1000, ms % 1000);
    return text;
}

std::string format_date_time(std::chrono::system_clock::time_point at) {
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()).count();
    std::time_t seconds = ms / 1000;
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[96];
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900, utc.tm_mon + 1,
                  utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, int(ms % 1000));
    return text;
}

MediaPlaylist::MediaPlaylist(PlaylistSettings settings, std::chrono::system_clock::time_point origin)
    : m_settings(settings), m_origin(origin) {}

void MediaPlaylist::add_part(std::uint64_t msn, std::uint32_t index, Micros start, Micros duration, bool independent) {
    if (m_segments.empty() || m_segments.back().complete) {
        m_segments.push_back(Segment{msn, start, Micros(0), false, {}});
        m_next_msn = msn;
    }
    (void)index;  // parts arrive in order; the index is their place in the vector
    m_segments.back().parts.push_back(Part{duration, independent});
}

void MediaPlaylist::end_segment(std::uint64_t msn, Micros duration) {
    if (m_segments.empty() || m_segments.back().msn != msn || m_segments.back().complete) return;
    m_segments.back().complete = true;
    m_segments.back().duration = duration;
    m_next_msn = msn + 1;
    std::size_t complete = m_segments.size();
    while (complete > m_settings.window_segments) {
        m_segments.pop_front();
        --complete;
    }
}

std::uint32_t MediaPlaylist::parts_in_progress() const noexcept {
    if (m_segments.empty() || m_segments.back().complete) return 0;
    return std::uint32_t(m_segments.back().parts.size());
}

std::uint64_t MediaPlaylist::first_msn() const noexcept {
    return m_segments.empty() ? m_next_msn : m_segments.front().msn;
}

const MediaPlaylist::Segment* MediaPlaylist::find(std::uint64_t msn) const noexcept {
    if (m_segments.empty() || msn < m_segments.front().msn) return nullptr;
    std::uint64_t offset = msn - m_segments.front().msn;
    return offset < m_segments.size() ? &m_segments[offset] : nullptr;
}

bool MediaPlaylist::has_segment(std::uint64_t msn) const noexcept {
    const Segment* s = find(msn);
    return s && s->complete;
}

bool MediaPlaylist::has_part(std::uint64_t msn, std::uint32_t index) const noexcept {
    const Segment* s = find(msn);
    return s && index < s->parts.size();
}

std::string MediaPlaylist::render() const {
    std::ostringstream out;
    const bool ll = m_settings.low_latency;
    Micros part_hold_back = 3 * m_settings.part_target;
    out << "#EXTM3U\n"
        << "#EXT-X-VERSION:" << playlist_version(ll) << "\n"
        << "#EXT-X-TARGETDURATION:" << m_settings.target_duration_s << "\n";
    if (ll) {
        out << "#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=" << format_seconds(part_hold_back) << "\n"
            << "#EXT-X-PART-INF:PART-TARGET=" << format_seconds(m_settings.part_target) << "\n";
    }
    out << "#EXT-X-MEDIA-SEQUENCE:" << first_msn() << "\n"
        << "#EXT-X-MAP:URI=\"" << init_uri << "\"\n";

    // Parts are listed for segments that end within three target durations of the live
    // edge; older ones are there as whole segments only (§4.4.4.9).
    Micros edge{0};
    if (!m_segments.empty()) {
        const Segment& last = m_segments.back();
        edge = last.start;
        for (const Part& p : last.parts) edge += p.duration;
    }
    const Micros part_horizon = std::chrono::seconds(3 * m_settings.target_duration_s);

    for (const Segment& s : m_segments) {
        if (s.parts.empty() || (!ll && !s.complete)) continue;
        out << "#EXT-X-PROGRAM-DATE-TIME:"
            << format_date_time(m_origin + std::chrono::duration_cast<std::chrono::system_clock::duration>(s.start))
            << "\n";
        bool list_parts = ll && (!s.complete || edge - (s.start + s.duration) < part_horizon);
        if (list_parts) {
            for (std::size_t i = 0; i < s.parts.size(); ++i) {
                out << "#EXT-X-PART:DURATION=" << format_seconds(s.parts[i].duration) << ",URI=\""
                    << part_uri(s.msn, std::uint32_t(i)) << "\"" << (s.parts[i].independent ? ",INDEPENDENT=YES" : "")
                    << "\n";
            }
        }
        if (s.complete) out << "#EXTINF:" << format_seconds(s.duration) << ",\n" << segment_uri(s.msn) << "\n";
    }
    // The part that comes next: a client may ask for it now and get it when it exists.
    if (ll) out << "#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"" << part_uri(m_next_msn, parts_in_progress()) << "\"\n";
    return out.str();
}

std::string render_multivariant(int bandwidth_bps, const std::string& codecs, int width, int height,
                                const std::string& media_uri, int version) {
    std::ostringstream out;
    out << "#EXTM3U\n"
        << "#EXT-X-VERSION:" << version << "\n"
        << "#EXT-X-INDEPENDENT-SEGMENTS\n"
        << "#EXT-X-STREAM-INF:BANDWIDTH=" << bandwidth_bps << ",CODECS=\"" << codecs << "\",RESOLUTION=" << width << "x"
        << height << "\n"
        << media_uri << "\n";
    return out.str();
}

}  // namespace switchboard::hls
