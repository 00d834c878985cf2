#include "rtc/sdp/session_description.hpp"

#include <algorithm>
#include <limits>

#include "rtc/sdp/sdp_lines.hpp"
#include "rtc/sdp/sdp_text.hpp"

namespace switchboard::rtc::sdp {

namespace {

// How one attribute line fared: typed into the model, kept as an unknown line, or a
// known attribute with bad syntax (an error).
enum class Outcome { typed, unknown, bad };

template <class T>
Outcome set_once(std::optional<T>& slot, std::optional<T> parsed) {
    if (!parsed) return Outcome::bad;
    if (slot) return Outcome::unknown;  // a repeat: kept as written, see the header
    slot = std::move(parsed);
    return Outcome::typed;
}

Outcome set_flag(bool& flag, std::optional<std::string_view> value) {
    if (value || flag) return Outcome::unknown;
    flag = true;
    return Outcome::typed;
}

template <class T>
Outcome append(std::vector<T>& list, std::optional<T> parsed) {
    if (!parsed) return Outcome::bad;
    list.push_back(std::move(*parsed));
    return Outcome::typed;
}

std::optional<std::string> non_empty(std::optional<std::string_view> v) {
    if (!v || v->empty()) return std::nullopt;
    return std::string(*v);
}

// ICE and DTLS attributes, legal at both levels; nullopt when `name` is none of them.
std::optional<Outcome> transport_attribute(TransportAttributes& t, std::string_view name,
                                           std::optional<std::string_view> value) {
    if (name == "ice-ufrag") return set_once(t.ice_ufrag, non_empty(value));  // RFC 8839 §5.4
    if (name == "ice-pwd") return set_once(t.ice_pwd, non_empty(value));
    if (name == "ice-options") {  // RFC 8839 §5.6
        auto options = text::tokens(value.value_or(""));
        if (options.empty()) return Outcome::bad;
        if (!t.ice_options.empty()) return Outcome::unknown;
        for (auto o : options) t.ice_options.emplace_back(o);
        return Outcome::typed;
    }
    if (name == "fingerprint") return set_once(t.fingerprint, value ? Fingerprint::parse(*value) : std::nullopt);
    if (name == "setup") return set_once(t.setup, value ? parse_setup(text::trim(*value)) : std::nullopt);
    return std::nullopt;
}

Outcome session_attribute(SessionDescription& d, std::string_view name, std::optional<std::string_view> value) {
    if (auto o = transport_attribute(d.transport, name, value)) return *o;
    if (name == "group") return append(d.groups, value ? Group::parse(*value) : std::nullopt);
    if (name == "msid-semantic") return set_once(d.msid_semantic, value ? MsidSemantic::parse(*value) : std::nullopt);
    if (name == "ice-lite") return set_flag(d.ice_lite, value);
    return Outcome::unknown;
}

Outcome media_attribute(MediaSection& m, std::string_view name, std::optional<std::string_view> value) {
    if (auto o = transport_attribute(m.transport, name, value)) return *o;
    if (auto d = parse_direction(name); d && !value) return set_once(m.direction, d);
    const std::string_view v = value.value_or("");
    const bool has = value.has_value();
    if (name == "mid") return set_once(m.mid, non_empty(value));  // RFC 8843 §15.1
    if (name == "msid") return append(m.msids, has ? Msid::parse(v) : std::nullopt);
    if (name == "candidate") return append(m.candidates, has ? Candidate::parse(v) : std::nullopt);
    if (name == "end-of-candidates") return set_flag(m.end_of_candidates, value);  // RFC 8840 §8.2
    if (name == "rtcp-mux") return set_flag(m.rtcp_mux, value);                    // RFC 5761 §5.1.3
    if (name == "rtcp-mux-only") return set_flag(m.rtcp_mux_only, value);          // RFC 8858
    if (name == "rtcp-rsize") return set_flag(m.rtcp_rsize, value);                // RFC 5506 §5
    if (name == "rtpmap") return append(m.rtpmaps, has ? RtpMap::parse(v) : std::nullopt);
    if (name == "fmtp") return append(m.fmtps, has ? Fmtp::parse(v) : std::nullopt);
    if (name == "rtcp-fb") return append(m.rtcp_feedback, has ? RtcpFeedback::parse(v) : std::nullopt);
    if (name == "extmap") return append(m.extmaps, has ? ExtMap::parse(v) : std::nullopt);
    if (name == "ssrc") return append(m.ssrcs, has ? SsrcAttribute::parse(v) : std::nullopt);
    if (name == "ssrc-group") return append(m.ssrc_groups, has ? SsrcGroup::parse(v) : std::nullopt);
    if (name == "sctp-port") return set_once(m.sctp_port, text::number<std::uint16_t>(text::trim(v), 0, 65535));
    if (name == "max-message-size")
        return set_once(m.max_message_size,
                        text::number<std::uint64_t>(text::trim(v), 0, std::numeric_limits<std::uint64_t>::max()));
    return Outcome::unknown;
}

// m=<media> <port>[/<number of ports>] <proto> <fmt> ... (RFC 8866 §5.14)
std::optional<MediaSection> parse_media_line(std::string_view value) {
    auto t = text::tokens(value);
    if (t.size() < 4) return std::nullopt;
    MediaSection m;
    m.media = std::string(t[0]);
    auto slash = t[1].find('/');
    auto port = text::number<std::uint16_t>(t[1].substr(0, slash), 0, 65535);
    if (!port) return std::nullopt;
    m.port = *port;
    if (slash != std::string_view::npos) {
        m.port_count = text::number<std::uint16_t>(t[1].substr(slash + 1), 1, 65535);
        if (!m.port_count) return std::nullopt;
    }
    m.proto = std::string(t[2]);
    for (std::size_t i = 3; i < t.size(); ++i) m.formats.emplace_back(t[i]);
    // RTP formats are payload types (RFC 3551 §6); anything else would be unusable.
    if (m.is_rtp() && m.payload_types().size() != m.formats.size()) return std::nullopt;
    return m;
}

// Orders what the writer groups, so that writing does not reorder (see lines::).
void canonicalize(SessionDescription& d) {
    std::stable_sort(d.unknown_fields.begin(), d.unknown_fields.end(),
                     [](const auto& a, const auto& b) { return lines::session_group(a) < lines::session_group(b); });
    for (auto& m : d.media) {
        std::stable_sort(m.unknown_fields.begin(), m.unknown_fields.end(),
                         [](const auto& a, const auto& b) { return lines::media_group(a) < lines::media_group(b); });
        auto by_rtpmap = [&m](const auto& a, const auto& b) {
            return lines::rtpmap_index(m, a.payload_type) < lines::rtpmap_index(m, b.payload_type);
        };
        std::stable_sort(m.rtcp_feedback.begin(), m.rtcp_feedback.end(), by_rtpmap);
        std::stable_sort(m.fmtps.begin(), m.fmtps.end(), by_rtpmap);
    }
}

std::string quote(std::string_view line) {
    constexpr std::size_t max_shown = 100;
    std::string s = "\"";
    for (std::size_t i = 0; i < line.size() && i < max_shown; ++i) {
        const auto c = static_cast<unsigned char>(line[i]);
        if (c < 0x20 || c == 0x7f || c == '"' || c == '\\') {
            static constexpr char hex[] = "0123456789abcdef";
            s += "\\x";
            s += hex[c >> 4];
            s += hex[c & 15];
        } else {
            s += char(c);
        }
    }
    if (line.size() > max_shown) s += "...";
    return s + "\"";
}

Error line_error(std::size_t number, std::string_view what, std::string_view line) {
    return Error::invalid("line " + std::to_string(number) + ": " + std::string(what) + ": " + quote(line));
}

}  // namespace

Result<SessionDescription> SessionDescription::parse(std::string_view text, const Limits& limits) {
    if (text.size() > limits.max_bytes)
        return Error::invalid("SDP of " + std::to_string(text.size()) + " bytes is larger than the limit of " +
                              std::to_string(limits.max_bytes));
    SessionDescription d;
    MediaSection* m = nullptr;  // the section being read; null at session level
    int header = 0;             // how many of v=, o=, s= have been read
    bool have_timing = false;
    std::size_t number = 0;
    for (std::size_t pos = 0; pos < text.size();) {
        const auto end = std::min(text.find('\n', pos), text.size());
        auto line = text.substr(pos, end - pos);
        pos = end + 1;
        if (++number > limits.max_lines)
            return Error::invalid("SDP has more than " + std::to_string(limits.max_lines) + " lines");
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.empty()) continue;
        if (line.size() > limits.max_line_length)
            return line_error(number, "line longer than " + std::to_string(limits.max_line_length) + " bytes", line);
        if (line.size() < 2 || line[1] != '=' || line[0] < 'a' || line[0] > 'z')
            return line_error(number, "not a <type>=<value> line", line);
        for (char c : line)
            if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f)
                return line_error(number, "control character in line", line);
        const char type = line[0];
        const auto value = line.substr(2);

        // RFC 8866 §5: v=, o= and s= come first, in that order.
        if (header < 3) {
            static constexpr char expected[] = {'v', 'o', 's'};
            if (type != expected[header])
                return line_error(number, std::string("expected an ") + expected[header] + "= line", line);
            if (header == 0 && value != "0") return line_error(number, "unsupported SDP version", line);
            if (header == 1) {
                auto origin = Origin::parse(value);
                if (!origin) return line_error(number, "bad o= line", line);
                d.origin = std::move(*origin);
            }
            if (header == 2) d.session_name = std::string(value);
            ++header;
            continue;
        }
        auto& fields = m ? m->unknown_fields : d.unknown_fields;
        switch (type) {
            case 'v':
            case 'o':
            case 's':
                return line_error(number, std::string("unexpected ") + type + "= line", line);
            case 'm': {
                if (d.media.size() >= limits.max_media_sections)
                    return line_error(
                        number, "more than " + std::to_string(limits.max_media_sections) + " media sections", line);
                auto section = parse_media_line(value);
                if (!section) return line_error(number, "bad m= line", line);
                d.media.push_back(std::move(*section));
                m = &d.media.back();
                break;
            }
            case 'c': {
                auto c = Connection::parse(value);
                if (!c) return line_error(number, "bad c= line", line);
                auto& slot = m ? m->connection : d.connection;
                if (slot)
                    fields.emplace_back(line);
                else
                    slot = std::move(c);
                break;
            }
            case 't': {
                if (m || have_timing) {
                    fields.emplace_back(line);
                    break;
                }
                auto t = text::tokens(value);
                constexpr auto max = std::numeric_limits<std::uint64_t>::max();
                auto start = t.size() == 2 ? text::number<std::uint64_t>(t[0], 0, max) : std::nullopt;
                auto stop = t.size() == 2 ? text::number<std::uint64_t>(t[1], 0, max) : std::nullopt;
                if (!start || !stop) return line_error(number, "bad t= line", line);
                d.start_time = *start;
                d.stop_time = *stop;
                have_timing = true;
                break;
            }
            case 'a': {
                const auto colon = value.find(':');
                const auto name = value.substr(0, colon);
                std::optional<std::string_view> attr_value;
                if (colon != std::string_view::npos) attr_value = value.substr(colon + 1);
                const auto outcome = m ? media_attribute(*m, name, attr_value) : session_attribute(d, name, attr_value);
                if (outcome == Outcome::bad) return line_error(number, "bad a=" + std::string(name) + " line", line);
                if (outcome == Outcome::unknown) (m ? m->unknown : d.unknown).emplace_back(line);
                break;
            }
            default:
                fields.emplace_back(line);
        }
    }
    if (header < 3) return Error::invalid("SDP ends before its v=, o= and s= lines");
    canonicalize(d);
    return d;
}

const Group* SessionDescription::bundle() const {
    for (const auto& g : groups)
        if (g.semantics == "BUNDLE") return &g;
    return nullptr;
}

const MediaSection* SessionDescription::find(std::string_view mid) const {
    for (const auto& m : media)
        if (m.mid == mid) return &m;
    return nullptr;
}

MediaSection* SessionDescription::find(std::string_view mid) {
    for (auto& m : media)
        if (m.mid == mid) return &m;
    return nullptr;
}

TransportAttributes SessionDescription::transport_for(const MediaSection& section) const {
    TransportAttributes t = transport;
    const auto& own = section.transport;
    if (own.ice_ufrag) t.ice_ufrag = own.ice_ufrag;
    if (own.ice_pwd) t.ice_pwd = own.ice_pwd;
    if (!own.ice_options.empty()) t.ice_options = own.ice_options;
    if (own.fingerprint) t.fingerprint = own.fingerprint;
    if (own.setup) t.setup = own.setup;
    return t;
}

}  // namespace switchboard::rtc::sdp
