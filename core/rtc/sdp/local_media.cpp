#include "rtc/sdp/local_media.hpp"

namespace switchboard::rtc::sdp {

std::string check(const LocalTransport& t) {
    if (t.ice_ufrag.empty() || t.ice_pwd.empty()) return "no local ICE ufrag/pwd";
    if (t.fingerprint.algorithm.empty() || t.fingerprint.bytes.empty()) return "no local DTLS fingerprint";
    return {};
}

void add_transport(MediaSection& section, const LocalTransport& t, Setup setup) {
    section.transport.ice_ufrag = t.ice_ufrag;
    section.transport.ice_pwd = t.ice_pwd;
    section.transport.fingerprint = t.fingerprint;
    section.transport.setup = setup;
}

void add_track(MediaSection& section, const LocalTrack& track, bool rtx) {
    const Msid msid{track.stream_id, track.track_id};
    section.msids.push_back(msid);
    auto lines = [&](std::uint32_t ssrc) {
        section.ssrcs.push_back({ssrc, "cname", track.cname});
        section.ssrcs.push_back({ssrc, "msid", msid.to_string()});
    };
    if (rtx && track.rtx_ssrc) section.ssrc_groups.push_back({"FID", {track.ssrc, *track.rtx_ssrc}});
    lines(track.ssrc);
    if (rtx && track.rtx_ssrc) lines(*track.rtx_ssrc);
}

}  // namespace switchboard::rtc::sdp
