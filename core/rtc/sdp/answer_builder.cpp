#include "rtc/sdp/answer_builder.hpp"

#include <algorithm>

namespace switchboard::rtc::sdp {

namespace {

// DTLS-SRTP protos (RFC 5764 §8; "RTP/SAVPF" is the pre-RFC 5764 WebRTC spelling).
bool dtls_srtp(const std::string& proto) {
    return proto == "UDP/TLS/RTP/SAVPF" || proto == "UDP/TLS/RTP/SAVP" || proto == "RTP/SAVPF" ||
           proto == "TCP/DTLS/RTP/SAVPF";
}

MediaSection rejected(const MediaSection& offered) {
    MediaSection m;
    m.media = offered.media;
    m.port = 0;
    m.proto = offered.proto;
    m.formats = offered.formats;  // the fmt list may not be empty (RFC 8866 §5.14)
    m.connection = Connection{};
    m.mid = offered.mid;
    return m;
}

}  // namespace

Setup answer_setup(std::optional<Setup> offered) {
    switch (offered.value_or(Setup::active)) {
        case Setup::actpass:
        case Setup::passive:
            return Setup::active;
        case Setup::active:
            return Setup::passive;
        case Setup::holdconn:
            return Setup::holdconn;
    }
    return Setup::active;
}

Direction answer_direction(Direction offered, bool we_send) {
    const bool they_send = offered == Direction::sendrecv || offered == Direction::sendonly;
    const bool they_receive = offered == Direction::sendrecv || offered == Direction::recvonly;
    const bool send = we_send && they_receive;
    if (send && they_send) return Direction::sendrecv;
    if (send) return Direction::sendonly;
    if (they_send) return Direction::recvonly;
    return Direction::inactive;
}

Direction without_receive(Direction d) {
    return d == Direction::sendrecv || d == Direction::sendonly ? Direction::sendonly : Direction::inactive;
}

Result<SessionDescription> build_answer(const SessionDescription& offer, const AnswerOptions& options) {
    if (auto problem = check(options.transport); !problem.empty()) return Error::invalid("answer: " + problem);
    if (offer.media.empty()) return Error::invalid("answer: the offer has no m= section");

    SessionDescription answer;
    answer.origin.session_id = options.session_id;
    answer.origin.session_version = options.session_version;
    if (options.transport.trickle) answer.transport.ice_options = {"trickle"};

    bool audio_track_used = false, video_track_used = false;
    std::vector<std::string> accepted_mids;
    for (const auto& offered : offer.media) {
        const auto type = offered.type();
        const bool rtp_kind = type == MediaType::audio || type == MediaType::video;
        const LocalMedia& local = type == MediaType::audio ? options.audio : options.video;
        std::vector<RtpCodec> codecs;
        if (rtp_kind && !offered.rejected() && dtls_srtp(offered.proto) &&
            (offered.rtcp_mux || !options.require_rtcp_mux))
            codecs = match_codecs(offered, local.formats, options.match);
        if (codecs.empty()) {
            answer.media.push_back(rejected(offered));
            continue;
        }

        MediaSection m;
        m.media = offered.media;
        m.proto = offered.proto;
        m.connection = Connection{};
        m.mid = offered.mid;
        // One track per kind: a second section of the kind only receives.
        bool& used = type == MediaType::audio ? audio_track_used : video_track_used;
        const auto offered_direction = offered.effective_direction();
        const bool they_receive = offered_direction == Direction::sendrecv || offered_direction == Direction::recvonly;
        const bool send = local.track && !used && they_receive;
        const bool keep = local.track && !used && offered.mid &&
                          std::find(options.keep_track_mids.begin(), options.keep_track_mids.end(), *offered.mid) !=
                              options.keep_track_mids.end();
        m.direction = answer_direction(offered_direction, send);
        if (options.hold) m.direction = without_receive(*m.direction);
        add_transport(m, options.transport, options.setup.value_or(answer_setup(offer.transport_for(offered).setup)));
        m.rtcp_mux = offered.rtcp_mux;
        m.rtcp_rsize = offered.rtcp_rsize;
        for (const auto& ext : offered.extmaps)
            if (std::find(options.header_extensions.begin(), options.header_extensions.end(), ext.uri) !=
                options.header_extensions.end())
                m.extmaps.push_back({ext.id, std::nullopt, ext.uri, {}});
        bool rtx = false;
        for (const auto& c : codecs) {
            add_codec(m, c);
            rtx = rtx || c.is_rtx();
        }
        if (send || keep) {
            add_track(m, *local.track, rtx);
            used = true;
        }
        if (m.mid) accepted_mids.push_back(*m.mid);
        answer.media.push_back(std::move(m));
    }

    // RFC 8843 §7.3: the answer's BUNDLE group holds the accepted mids of the offered
    // group, in the offer's order.
    if (const auto* group = offer.bundle()) {
        Group bundle{"BUNDLE", {}};
        for (const auto& mid : group->mids)
            if (std::find(accepted_mids.begin(), accepted_mids.end(), mid) != accepted_mids.end())
                bundle.mids.push_back(mid);
        if (!bundle.mids.empty()) answer.groups.push_back(std::move(bundle));
    }
    if (audio_track_used || video_track_used) answer.msid_semantic = MsidSemantic{"WMS", {}};
    return answer;
}

}  // namespace switchboard::rtc::sdp
