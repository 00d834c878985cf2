#include "rtc/sdp/offer_builder.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "rtc/sdp/h264_profile.hpp"

namespace switchboard::rtc::sdp {

namespace {

constexpr int last_dynamic = 127;  // RFC 3551 §6: 96-127

// Past the range, `next` is left beyond last_dynamic + 1 so build_offer can tell.
std::optional<std::uint8_t> take(int& next) {
    if (next > last_dynamic) {
        next = last_dynamic + 2;
        return std::nullopt;
    }
    return std::uint8_t(next++);
}

std::string h264_fmtp(std::uint32_t profile_level_id, int mode) {
    auto id = H264ProfileLevelId::from_value(profile_level_id);
    const std::uint32_t value = id ? id->value().value_or(profile_level_id) : profile_level_id;
    char buf[96];
    std::snprintf(buf, sizeof buf, "level-asymmetry-allowed=1;packetization-mode=%d;profile-level-id=%06x", mode,
                  unsigned(value));
    return buf;
}

}  // namespace

std::vector<RtpCodec> offer_codecs(const Format& format, int& next_dynamic) {
    std::vector<RtpCodec> out;
    auto add = [&](const char* encoding, std::uint32_t clock, std::optional<std::uint16_t> channels, std::string fmtp) {
        auto pt = take(next_dynamic);
        if (!pt) return;
        out.push_back({*pt, encoding, clock, channels, std::move(fmtp), {}});
    };
    switch (format.codec) {
        case Codec::h264: {
            const std::uint32_t plid = format.profile_level_id ? format.profile_level_id : 0x42e01f;
            if (format.packetization_mode >= 0) {
                add("H264", 90000, std::nullopt, h264_fmtp(plid, format.packetization_mode));
            } else {
                add("H264", 90000, std::nullopt, h264_fmtp(plid, 1));
                add("H264", 90000, std::nullopt, h264_fmtp(plid, 0));
            }
            break;
        }
        case Codec::h265:
            add("H265", 90000, std::nullopt, {});
            break;
        case Codec::vp8:
            add("VP8", 90000, std::nullopt, {});
            break;
        case Codec::vp9:
            add("VP9", 90000, std::nullopt, "profile-id=0");
            break;
        case Codec::av1:
            add("AV1", 90000, std::nullopt, {});
            break;
        case Codec::opus:
            // RFC 7587 §7: always "/2"; in-band FEC as browsers offer it.
            add("opus", 48000, 2, "minptime=10;useinbandfec=1");
            break;
        case Codec::pcmu:
            out.push_back({0, "PCMU", 8000, std::nullopt, {}, {}});
            break;
        case Codec::pcma:
            out.push_back({8, "PCMA", 8000, std::nullopt, {}, {}});
            break;
        default:
            break;
    }
    return out;
}

Result<SessionDescription> build_offer(const OfferOptions& options) {
    if (auto problem = check(options.transport); !problem.empty()) return Error::invalid("offer: " + problem);
    if (!options.audio && !options.video) return Error::invalid("offer: neither audio nor video asked for");

    SessionDescription offer;
    offer.origin.session_id = options.session_id;
    offer.origin.session_version = options.session_version;
    if (options.transport.trickle) offer.transport.ice_options = {"trickle"};
    Group bundle{"BUNDLE", {}};
    int next_dynamic = 96;

    auto section = [&](const char* media, const LocalMedia& local) -> Result<void> {
        const bool video = std::string_view(media) == "video";
        MediaSection m;
        m.media = media;
        m.connection = Connection{};
        m.mid = std::to_string(offer.media.size());
        m.direction = local.track ? Direction::sendrecv : Direction::recvonly;
        add_transport(m, options.transport, Setup::actpass);
        m.rtcp_mux = true;
        m.rtcp_rsize = true;
        for (std::size_t i = 0; i < options.header_extensions.size() && i < 14; ++i)
            m.extmaps.push_back({std::uint16_t(i + 1), std::nullopt, options.header_extensions[i], {}});
        bool rtx = false;
        for (const auto& format : local.formats) {
            if (format.kind != (video ? MediaKind::video : MediaKind::audio)) continue;
            for (auto codec : offer_codecs(format, next_dynamic)) {
                codec.feedback =
                    video ? options.feedback.video(codec.payload_type) : options.feedback.audio(codec.payload_type);
                add_codec(m, codec);
                if (!video || !options.rtx) continue;
                auto pt = take(next_dynamic);
                if (!pt) return Error::invalid("offer: more codecs than dynamic payload types");
                add_codec(m, {*pt, "rtx", 90000, std::nullopt, "apt=" + std::to_string(codec.payload_type), {}});
                rtx = true;
            }
        }
        if (m.formats.empty())
            return Error::invalid(std::string("offer: no ") + media + " codec to offer in " + to_string(local.formats));
        if (local.track) add_track(m, *local.track, rtx);
        bundle.mids.push_back(*m.mid);
        offer.media.push_back(std::move(m));
        return {};
    };
    if (options.audio)
        if (auto r = section("audio", *options.audio); !r) return r.error();
    if (options.video)
        if (auto r = section("video", *options.video); !r) return r.error();
    if (next_dynamic > last_dynamic + 1) return Error::invalid("offer: more codecs than dynamic payload types");
    offer.groups.push_back(std::move(bundle));
    if ((options.audio && options.audio->track) || (options.video && options.video->track))
        offer.msid_semantic = MsidSemantic{"WMS", {}};
    return offer;
}

Result<SessionDescription> build_reoffer(const SessionDescription& current, const ReofferOptions& options) {
    if (auto problem = check(options.transport); !problem.empty()) return Error::invalid("re-offer: " + problem);
    if (current.media.empty()) return Error::invalid("re-offer: the current description has no m= section");

    SessionDescription offer = current;
    offer.origin.session_version = options.session_version;
    // Our transport goes into each section; nothing stale stays at session level.
    offer.transport = {};
    if (options.transport.trickle) offer.transport.ice_options = {"trickle"};
    bool audio_used = false, video_used = false;
    for (auto& m : offer.media) {
        m.candidates.clear();
        m.end_of_candidates = false;
        if (m.rejected() || !m.is_rtp()) continue;
        add_transport(m, options.transport, Setup::actpass);
        m.msids.clear();
        m.ssrcs.clear();
        m.ssrc_groups.clear();
        const auto type = m.type();
        bool& used = type == MediaType::audio ? audio_used : video_used;
        const auto& track = type == MediaType::audio ? options.audio_track : options.video_track;
        const bool send = (type == MediaType::audio || type == MediaType::video) && track && !used;
        if (send) {
            const bool rtx = std::any_of(m.rtpmaps.begin(), m.rtpmaps.end(), [](const RtpMap& r) {
                std::string e = r.encoding;
                std::transform(e.begin(), e.end(), e.begin(), [](unsigned char c) { return char(std::tolower(c)); });
                return e == "rtx";
            });
            add_track(m, *track, rtx);
            used = true;
        }
        if (send)
            m.direction = options.hold ? Direction::sendonly : Direction::sendrecv;
        else
            m.direction = options.hold ? Direction::inactive : Direction::recvonly;
    }
    offer.msid_semantic.reset();
    if (audio_used || video_used) offer.msid_semantic = MsidSemantic{"WMS", {}};
    return offer;
}

}  // namespace switchboard::rtc::sdp
