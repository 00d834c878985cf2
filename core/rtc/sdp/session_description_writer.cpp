// SessionDescription::to_string(): the canonical text of a description. The order of
// attributes follows what browsers write (mid and direction first, then ICE/DTLS, then
// codecs), so a diff against a browser's SDP stays readable.
#include "rtc/sdp/sdp_lines.hpp"
#include "rtc/sdp/session_description.hpp"

namespace switchboard::rtc::sdp {

namespace {

class Writer {
public:
    void line(char type, std::string_view value) {
        out_ += type;
        out_ += '=';
        out_ += value;
        out_ += "\r\n";
    }
    void raw(std::string_view whole) {
        out_ += whole;
        out_ += "\r\n";
    }
    void attr(std::string_view name) { line('a', name); }
    void attr(std::string_view name, std::string_view value) {
        out_ += "a=";
        out_ += name;
        out_ += ':';
        out_ += value;
        out_ += "\r\n";
    }
    template <class Group>
    void raw_lines(const std::vector<std::string>& lines, Group group, int wanted) {
        for (const auto& l : lines)
            if (group(l) == wanted) raw(l);
    }
    void transport(const TransportAttributes& t) {
        if (t.ice_ufrag) attr("ice-ufrag", *t.ice_ufrag);
        if (t.ice_pwd) attr("ice-pwd", *t.ice_pwd);
        if (!t.ice_options.empty()) {
            std::string options;
            for (const auto& o : t.ice_options) options += (options.empty() ? "" : " ") + o;
            attr("ice-options", options);
        }
        if (t.fingerprint) attr("fingerprint", t.fingerprint->to_string());
        if (t.setup) attr("setup", to_string(*t.setup));
    }
    void media(const MediaSection& m);
    std::string take() { return std::move(out_); }

private:
    std::string out_;
};

void Writer::media(const MediaSection& m) {
    std::string mline = m.media + ' ' + std::to_string(m.port);
    if (m.port_count) mline += '/' + std::to_string(*m.port_count);
    mline += ' ' + m.proto;
    for (const auto& f : m.formats) mline += ' ' + f;
    line('m', mline);
    raw_lines(m.unknown_fields, lines::media_group, 0);
    if (m.connection) line('c', m.connection->to_string());
    raw_lines(m.unknown_fields, lines::media_group, 1);

    if (m.mid) attr("mid", *m.mid);
    if (m.direction) attr(to_string(*m.direction));
    for (const auto& msid : m.msids) attr("msid", msid.to_string());
    transport(m.transport);
    for (const auto& c : m.candidates) attr("candidate", c.to_string());
    if (m.end_of_candidates) attr("end-of-candidates");
    if (m.rtcp_mux) attr("rtcp-mux");
    if (m.rtcp_mux_only) attr("rtcp-mux-only");
    if (m.rtcp_rsize) attr("rtcp-rsize");
    for (const auto& e : m.extmaps) attr("extmap", e.to_string());

    // Each rtpmap with its rtcp-fb and fmtp lines; then those naming no rtpmap ("*",
    // static payload types). The parser sorted both lists by the same key.
    for (std::size_t i = 0; i <= m.rtpmaps.size(); ++i) {
        if (i < m.rtpmaps.size()) {
            // A repeated rtpmap for one payload type gets its lines with the first.
            if (lines::rtpmap_index(m, m.rtpmaps[i].payload_type) != i) {
                attr("rtpmap", m.rtpmaps[i].to_string());
                continue;
            }
            attr("rtpmap", m.rtpmaps[i].to_string());
        }
        for (const auto& fb : m.rtcp_feedback)
            if (lines::rtpmap_index(m, fb.payload_type) == i) attr("rtcp-fb", fb.to_string());
        for (const auto& f : m.fmtps)
            if (lines::rtpmap_index(m, f.payload_type) == i) attr("fmtp", f.to_string());
    }

    for (const auto& g : m.ssrc_groups) attr("ssrc-group", g.to_string());
    for (const auto& s : m.ssrcs) attr("ssrc", s.to_string());
    if (m.sctp_port) attr("sctp-port", std::to_string(*m.sctp_port));
    if (m.max_message_size) attr("max-message-size", std::to_string(*m.max_message_size));
    for (const auto& u : m.unknown) raw(u);
}

}  // namespace

std::string SessionDescription::to_string() const {
    Writer w;
    w.line('v', "0");
    w.line('o', origin.to_string());
    w.line('s', session_name);
    w.raw_lines(unknown_fields, lines::session_group, 0);
    if (connection) w.line('c', connection->to_string());
    w.raw_lines(unknown_fields, lines::session_group, 1);
    w.line('t', std::to_string(start_time) + ' ' + std::to_string(stop_time));
    w.raw_lines(unknown_fields, lines::session_group, 2);
    if (ice_lite) w.attr("ice-lite");
    for (const auto& g : groups) w.attr("group", g.to_string());
    if (msid_semantic) w.attr("msid-semantic", msid_semantic->to_string());
    w.transport(transport);
    for (const auto& u : unknown) w.raw(u);
    for (const auto& m : media) w.media(m);
    return w.take();
}

}  // namespace switchboard::rtc::sdp
