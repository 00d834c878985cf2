// The PeerConnection facade: SDP, ICE, DTLS, SRTP and the RTP stages wired together on
// the owner's strand. See peer_connection.hpp for the contract.
#include "rtc/peer_connection.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <utility>

#include "rtc/dtls/dtls_transport.hpp"
#include "rtc/ice/glib_loop.hpp"
#include "rtc/rtp/abs_send_time.hpp"
#include "rtc/rtp/capture_clock.hpp"
#include "rtc/rtp/depacketizer.hpp"
#include "rtc/rtp/h264_packetizer.hpp"
#include "rtc/rtp/ntp_time.hpp"
#include "rtc/rtp/opus_packetizer.hpp"
#include "rtc/rtp/packet_demux.hpp"
#include "rtc/rtp/rtcp_compound.hpp"
#include "rtc/rtp/rtcp_feedback.hpp"
#include "rtc/rtp/rtcp_nack.hpp"
#include "rtc/rtp/rtcp_pli.hpp"
#include "rtc/rtp/rtp_packet.hpp"
#include "rtc/rtp/rtp_receive_stream.hpp"
#include "rtc/rtp/rtp_send_stream.hpp"
#include "rtc/rtp/rtx.hpp"
#include "rtc/rtp/send_rate_control.hpp"
#include "rtc/rtp/vp8_packetizer.hpp"
#include "rtc/sdp/answer_builder.hpp"
#include "rtc/sdp/depacketizer_factory.hpp"
#include "rtc/sdp/offer_builder.hpp"
#include "rtc/sdp/rtp_codec.hpp"
#include "rtc/sdp/session_description.hpp"
#include "rtc/srtp/srtp_key_log.hpp"
#include "rtc/srtp/srtp_session.hpp"

namespace switchboard::rtc {

std::string_view to_string(PeerConnectionState s) {
    switch (s) {
        case PeerConnectionState::new_:
            return "new";
        case PeerConnectionState::connecting:
            return "connecting";
        case PeerConnectionState::connected:
            return "connected";
        case PeerConnectionState::failed:
            return "failed";
        case PeerConnectionState::closed:
            return "closed";
    }
    return "?";
}

std::string_view to_string(SdpType t) {
    return t == SdpType::offer ? "offer" : "answer";
}

namespace {

constexpr std::string_view mid_extension_uri = "urn:ietf:params:rtp-hdrext:sdes:mid";

std::uint32_t random_u32() {
    static thread_local std::mt19937 rng{std::random_device{}()};
    return std::uniform_int_distribution<std::uint32_t>{1, 0xfffffffe}(rng);
}

std::uint64_t random_session_id() {
    return (std::uint64_t(random_u32()) << 31) ^ random_u32();
}

/// How often received video is polled for released packets and NACKs due: well under
/// the NACK retry interval and the jitter buffer's wait.
constexpr std::chrono::milliseconds feedback_tick{10};

std::int64_t now_us() {
    return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

bool has_feedback(const sdp::RtpCodec& c, std::string_view type, std::string_view parameter = {}) {
    return std::any_of(c.feedback.begin(), c.feedback.end(),
                       [&](const sdp::RtcpFeedback& f) { return f.type == type && f.parameter == parameter; });
}

/// What we do with a received payload type.
struct ReceiveCodec {
    MediaKind kind = MediaKind::video;
    std::unique_ptr<rtp::Depacketizer> depacketizer;
};

std::unique_ptr<rtp::Packetizer> make_packetizer(const Format& f, const rtp::PacketizerConfig& c) {
    switch (f.codec) {
        case Codec::vp8:
            return std::make_unique<rtp::Vp8Packetizer>(c, std::uint16_t(random_u32()));
        case Codec::h264:
            if (f.packetization_mode != 1) return nullptr;
            return std::make_unique<rtp::H264Packetizer>(c);
        case Codec::opus:
            return std::make_unique<rtp::OpusPacketizer>(c);
        default:
            return nullptr;
    }
}

}  // namespace

struct PeerConnection::Impl : std::enable_shared_from_this<PeerConnection::Impl> {
    Impl(GlibLoop& l, boost::asio::any_io_executor ex, std::shared_ptr<const Certificate> cert,
         PeerConnectionConfig cfg, Callbacks cbs)
        : loop(l),
          executor(std::move(ex)),
          certificate(std::move(cert)),
          config(std::move(cfg)),
          callbacks(std::move(cbs)),
          dtls_timer(executor),
          rtcp_timer(executor),
          feedback_timer(executor) {}

    GlibLoop& loop;
    boost::asio::any_io_executor executor;
    std::shared_ptr<const Certificate> certificate;
    PeerConnectionConfig config;
    Callbacks callbacks;

    PeerConnectionState state = PeerConnectionState::new_;
    bool closed = false;
    std::unique_ptr<IceTransport> ice;
    std::unique_ptr<DtlsTransport> dtls;
    /// DTLS records that came before we knew our role (see on_datagram); a bounded few.
    std::vector<std::vector<std::uint8_t>> early_dtls;
    static constexpr std::size_t max_early_dtls = 8;
    std::unique_ptr<SrtpSession> srtp;
    boost::asio::steady_timer dtls_timer;
    boost::asio::steady_timer rtcp_timer;
    boost::asio::steady_timer feedback_timer;

    std::optional<sdp::SessionDescription> local;
    std::optional<sdp::SessionDescription> remote;
    std::optional<sdp::SessionDescription> pending_offer;  ///< remote offer awaiting our answer
    bool we_offered = false;
    std::string bundle_mid;

    /// JSEP signalling state (pranswer and rollback aside).
    enum class Signaling { stable, have_local_offer, have_remote_offer };
    Signaling signaling = Signaling::stable;
    bool negotiated = false;           ///< the first offer/answer is done: later ones renegotiate
    bool offered_ice_restart = false;  ///< our pending offer restarts ICE
    bool hold = false;                 ///< we hold the peer (OfferOptions::hold)
    std::uint64_t session_id = 0;      ///< o= of our descriptions, kept across renegotiations
    std::uint64_t session_version = 0;
    /// What the running DTLS association was made with: a renegotiation must keep both.
    DtlsRole dtls_role = DtlsRole::client;
    std::optional<sdp::Fingerprint> remote_fingerprint;
    std::string remote_ufrag;  ///< the peer's current ice-ufrag: a new one means an ICE restart
    std::string remote_pwd;
    /// Whether the negotiated directions let us send / receive each kind now.
    bool video_sending = false;
    bool audio_sending = false;
    bool video_receiving = false;
    bool audio_receiving = false;
    /// Our candidates of the current ICE generation, for a new local description.
    std::vector<sdp::Candidate> gathered;
    bool gathering_done = false;
    std::uint32_t video_ssrc = random_u32();
    std::uint32_t audio_ssrc = random_u32();
    std::uint32_t video_rtx_ssrc = random_u32();

    std::unique_ptr<rtp::RtpSendStream> video_send;
    std::unique_ptr<rtp::RtpSendStream> audio_send;
    rtp::SendRateControl send_rate;
    std::map<std::uint8_t, ReceiveCodec> receive_codecs;
    std::map<std::uint32_t, rtp::RtpReceiveStream> receive_streams;  ///< per remote SSRC
    rtp::CaptureClock capture_clock;                                 ///< the peer's wall clock -> ours
    std::map<std::uint8_t, std::uint8_t> rtx_payload_types;          ///< RTX pt -> its apt
    std::map<std::uint32_t, std::uint32_t> rtx_ssrcs;                ///< remote RTX SSRC -> media SSRC (FID)
    std::set<std::uint8_t> nack_payload_types;                       ///< received pts the peer answers NACKs for
    std::map<std::uint32_t, std::chrono::steady_clock::time_point> last_pli;  ///< per remote SSRC
    std::vector<std::uint32_t> remote_video_ssrcs;
    Stats stats;

    // --- state ---------------------------------------------------------------------

    void set_state(PeerConnectionState s, std::string reason = {}) {
        if (state == s || state == PeerConnectionState::closed) return;
        if (state == PeerConnectionState::failed && s != PeerConnectionState::closed) return;
        state = s;
        if (config.log) {
            if (s == PeerConnectionState::failed)
                config.log->warn("peer connection failed: " + reason);
            else
                config.log->debug("peer connection " + std::string(to_string(s)) +
                                  (reason.empty() ? "" : ": " + reason));
        }
        // Posted, so a state change never reenters the caller of one of our methods.
        boost::asio::post(executor, [weak = weak_from_this(), s, reason = std::move(reason)] {
            auto self = weak.lock();
            if (!self || self->closed) return;
            if (self->callbacks.on_state) self->callbacks.on_state(s, reason);
        });
    }

    Error fail(Error e) {
        set_state(PeerConnectionState::failed, e.message);
        return e;
    }

    void shutdown() {
        if (closed) return;
        closed = true;
        dtls_timer.cancel();
        rtcp_timer.cancel();
        feedback_timer.cancel();
        if (dtls) dtls->close();
        if (ice) ice->close();
        state = PeerConnectionState::closed;
    }

    // --- ICE -------------------------------------------------------------------------

    Result<void> make_ice(bool controlling) {
        if (ice) return {};
        IceConfig ic;
        ic.controlling = controlling;
        ic.gather_addresses = config.gather_addresses;
        ic.stun_host = config.stun_host;
        ic.stun_port = config.stun_port;
        ic.turn_servers = config.turn_servers;
        ic.relay_only = config.relay_only;
        ic.connection_timeout = config.ice_timeout;
        ic.log = config.log;
        IceTransport::Callbacks cb;
        auto weak = weak_from_this();
        cb.on_local_candidate = [weak](const sdp::Candidate& c) {
            if (auto self = weak.lock(); self && !self->closed) self->on_local_candidate(c);
        };
        cb.on_gathering_done = [weak] {
            if (auto self = weak.lock(); self && !self->closed) self->on_gathering_done();
        };
        cb.on_state = [weak](IceState s) {
            if (auto self = weak.lock(); self && !self->closed) self->on_ice_state(s);
        };
        cb.on_data = [weak](std::span<const std::uint8_t> d) {
            if (auto self = weak.lock(); self && !self->closed) self->on_datagram(d);
        };
        auto r = IceTransport::create(loop, executor, std::move(ic), std::move(cb));
        if (!r) return r.error();
        ice = std::move(r.value());
        return {};
    }

    void on_local_candidate(const sdp::Candidate& c) {
        gathered.push_back(c);
        if (local) {
            for (auto& m : local->media)
                if (!m.rejected()) m.candidates.push_back(c);
        }
        if (callbacks.on_local_candidate) callbacks.on_local_candidate(c.to_attribute(), bundle_mid);
    }

    void on_gathering_done() {
        gathering_done = true;
        if (local) {
            for (auto& m : local->media)
                if (!m.rejected()) m.end_of_candidates = true;
        }
        if (callbacks.on_gathering_done) callbacks.on_gathering_done();
    }

    void on_ice_state(IceState s) {
        switch (s) {
            case IceState::checking:
                // An ICE restart checks while media goes on over the selected pair.
                if (!srtp) set_state(PeerConnectionState::connecting);
                break;
            case IceState::connected:
            case IceState::completed:
                if (dtls && dtls->state() == DtlsTransport::State::idle) {
                    dtls->start();
                    arm_dtls_timer();
                } else if (srtp) {
                    set_state(PeerConnectionState::connected);
                }
                break;
            case IceState::failed:
                set_state(PeerConnectionState::failed, "ICE failed");
                break;
            default:
                break;
        }
    }

    // --- DTLS ------------------------------------------------------------------------

    void make_dtls(DtlsRole role, const sdp::Fingerprint& remote_fp) {
        DtlsTransport::Options opt;
        opt.initial_retransmit = config.dtls_retransmit;
        DtlsTransport::Callbacks cb;
        // DtlsTransport calls these from inside our own calls to it, on the strand. A
        // server may answer a ClientHello before libnice selected a pair (libwebrtc sends
        // it as soon as its own check succeeds): that flight waits for the pair.
        cb.send = [this](std::span<const std::uint8_t> d) {
            if (ice) ice->send_when_connected(d);
        };
        cb.on_connected = [this](const SrtpKeys& keys) {
            auto s = SrtpSession::create(keys);
            if (!s) {
                set_state(PeerConnectionState::failed, "SRTP: " + s.error().message);
                return;
            }
            srtp = std::move(s.value());
            if (!config.srtp_key_log_path.empty()) write_key_log(keys);
            set_state(PeerConnectionState::connected);
            arm_rtcp_timer();
            arm_feedback_timer();
        };
        cb.on_failed = [this](const std::string& reason) { set_state(PeerConnectionState::failed, "DTLS: " + reason); };
        cb.on_closed = [this] {
            set_state(PeerConnectionState::closed, "the peer closed DTLS");
            srtp.reset();
        };
        dtls_role = role;
        remote_fingerprint = remote_fp;
        dtls = std::make_unique<DtlsTransport>(role, certificate, remote_fp, opt, std::move(cb));
        // A server may see the ClientHello before libnice reports the pair connected.
        if (role == DtlsRole::server) {
            dtls->start();
            for (const auto& packet : std::exchange(early_dtls, {})) dtls->receive(packet);
            arm_dtls_timer();
        }
        early_dtls.clear();
    }

    void arm_dtls_timer() {
        if (!dtls || closed) return;
        const auto t = dtls->timeout();
        if (!t) return;
        dtls_timer.expires_after(*t);
        dtls_timer.async_wait([weak = weak_from_this()](const boost::system::error_code& ec) {
            if (ec) return;
            auto self = weak.lock();
            if (!self || self->closed || !self->dtls) return;
            self->dtls->on_timeout();
            self->arm_dtls_timer();
        });
    }

    // --- receive ---------------------------------------------------------------------

    void on_datagram(std::span<const std::uint8_t> d) {
        switch (rtp::classify(d)) {
            case rtp::PacketKind::dtls:
                if (dtls) {
                    dtls->receive(d);
                    arm_dtls_timer();
                } else if (early_dtls.size() < max_early_dtls) {
                    // The far side answered active, and its ICE pair worked before ours
                    // did: keep its ClientHello rather than wait out its retransmit timer
                    // (libwebrtc's doubles from 50 ms; this cut a Matrix call's setup by
                    // ~100 ms, benchmarks/matrix_call_setup.py).
                    early_dtls.emplace_back(d.begin(), d.end());
                }
                break;
            case rtp::PacketKind::rtp:
                on_srtp(d);
                break;
            case rtp::PacketKind::rtcp:
                on_srtcp(d);
                break;
            default:
                break;
        }
    }

    void on_srtp(std::span<const std::uint8_t> d) {
        if (!srtp) return;
        Buffer buf = Buffer::allocate(d.size());
        std::copy(d.begin(), d.end(), buf.mutable_data());
        auto n = srtp->unprotect_rtp({buf.mutable_data(), d.size()}, d.size());
        if (!n) {
            ++stats.unprotect_failures;
            return;
        }
        auto parsed = rtp::RtpPacket::parse(std::span<const std::uint8_t>(buf.data(), n.value()));
        if (!parsed) return;
        rtp::RtpPacket p = std::move(*parsed.packet);
        ++stats.rtp_received;
        bool retransmitted = false;
        if (auto rtx = rtx_payload_types.find(p.payload_type()); rtx != rtx_payload_types.end()) {
            // RFC 4588 §5: the RTX SSRC names its media stream through a=ssrc-group:FID;
            // a peer that did not signal it has one video stream, the one we already see.
            std::optional<std::uint32_t> media_ssrc;
            if (auto it = rtx_ssrcs.find(p.ssrc()); it != rtx_ssrcs.end())
                media_ssrc = it->second;
            else if (remote_video_ssrcs.size() == 1)
                media_ssrc = remote_video_ssrcs.front();
            if (!media_ssrc) return;
            auto original = rtp::unwrap_rtx(p, rtx->second, *media_ssrc);
            if (!original) return;  // padding-only probe
            p = std::move(*original);
            retransmitted = true;
            ++stats.rtx_received;
        }
        auto it = receive_codecs.find(p.payload_type());
        if (it == receive_codecs.end()) {
            ++stats.unknown_payload_type;  // RED, FEC: not handled
            return;
        }
        const bool video = it->second.kind == MediaKind::video;
        if (!(video ? video_receiving : audio_receiving)) {
            ++stats.rtp_not_received;  // held: what was in flight when the direction changed
            return;
        }
        if (video &&
            std::find(remote_video_ssrcs.begin(), remote_video_ssrcs.end(), p.ssrc()) == remote_video_ssrcs.end())
            remote_video_ssrcs.push_back(p.ssrc());
        auto stream = receive_streams.find(p.ssrc());
        if (stream == receive_streams.end()) {
            rtp::ReceiveStreamOptions o;
            o.clock_rate = it->second.depacketizer->format().clock_rate;
            o.reorder = video;
            o.nack = nack_payload_types.count(p.payload_type()) > 0;
            o.jitter.max_wait_ms = config.jitter_max_wait.count();
            stream = receive_streams.emplace(p.ssrc(), rtp::RtpReceiveStream(p.ssrc(), o)).first;
            if (stats.rtt_ms > 0) stream->second.set_rtt_ms(std::int64_t(stats.rtt_ms));
        }
        const std::int64_t now_ms = now_us() / 1000;
        stream->second.on_packet(p, retransmitted, now_ms);
        deliver(stream->second, now_ms);
    }

    /// Depacketizes what `stream` releases and hands the frames to the callbacks.
    void deliver(rtp::RtpReceiveStream& stream, std::int64_t now_ms) {
        if (stream.take_keyframe_needed()) send_pli(stream.ssrc(), false);
        for (const rtp::RtpPacket& p : stream.release(now_ms)) {
            auto it = receive_codecs.find(p.payload_type());
            if (it == receive_codecs.end()) continue;
            const bool video = it->second.kind == MediaKind::video;
            auto res = it->second.depacketizer->push(p);
            if (res.keyframe_needed && video) send_pli(p.ssrc(), false);
            for (Frame& f : res.frames) {
                ++stats.frames_received;
                // RTP times of audio and video are unrelated: the capture time on our clock
                // is what puts them side by side (for a muxer, or an SR we send on).
                f.timing.capture_ns =
                    capture_clock.capture_ns(stream.sender_clock(), f.pts, f.time_base.den, monotonic_ns());
                const auto& cb = video ? callbacks.on_video_frame : callbacks.on_audio_frame;
                if (cb) cb(f);
                if (closed) return;
            }
        }
    }

    void on_srtcp(std::span<const std::uint8_t> d) {
        if (!srtp) return;
        std::vector<std::uint8_t> buf(d.begin(), d.end());
        auto n = srtp->unprotect_rtcp(buf, buf.size());
        if (!n) {
            ++stats.unprotect_failures;
            return;
        }
        ++stats.rtcp_received;
        const auto fb = rtp::read_rtcp_feedback({buf.data(), n.value()});
        const std::int64_t now = now_us();
        for (const auto& sr : fb.sender_reports)
            if (auto it = receive_streams.find(sr.sender_ssrc); it != receive_streams.end()) {
                it->second.statistics().on_sender_report(sr.compact_ntp(), now / 1000);
                it->second.sender_clock().on_sender_report(sr.ntp_timestamp, sr.rtp_timestamp);
            }
        // Blocks about what we send echo our SRs: the round trip paces our NACKs and waits.
        const auto now_compact = rtp::compact_ntp(rtp::to_ntp(std::chrono::system_clock::now()));
        for (const auto& block : fb.report_blocks) {
            if (block.ssrc != video_ssrc && block.ssrc != audio_ssrc) continue;
            const auto rtt = rtp::round_trip_ms(block.last_sr, block.delay_since_last_sr, now_compact);
            if (!rtt) continue;
            stats.rtt_ms = std::uint64_t(std::max<std::int64_t>(*rtt, 1));
            for (auto& [ssrc, stream] : receive_streams) stream.set_rtt_ms(*rtt);
        }
        for (const auto& block : fb.report_blocks) {
            if (block.ssrc != video_ssrc) continue;
            set_send_rate(send_rate.on_loss(block.fraction_lost));
            if (closed) return;
        }
        for (const auto& nack : fb.nacks) {
            rtp::RtpSendStream* stream = nullptr;
            for (auto* s : {video_send.get(), audio_send.get()})
                if (s && s->ssrc() == nack.media_ssrc) stream = s;
            if (!stream) continue;
            ++stats.nacks_received;
            for (const Buffer& b : stream->retransmit(nack.sequence_numbers, now))
                if (send_protected_rtp(b, std::max(1, config.nack_resend_copies))) ++stats.retransmissions_sent;
            if (closed) return;
        }
        if (fb.remb) {
            ++stats.rembs_received;
            stats.remb_bps = fb.remb->bitrate_bps;
            set_send_rate(send_rate.on_remb(fb.remb->bitrate_bps));
            if (closed) return;
        }
        if (fb.keyframe_request) {
            ++stats.keyframe_requests_received;
            if (callbacks.on_keyframe_request) callbacks.on_keyframe_request();
        }
    }

    /// Protects and sends one RTCP packet (compound or reduced-size).
    bool send_rtcp(std::vector<std::uint8_t> pkt) {
        if (!srtp || !ice) return false;
        const std::size_t len = pkt.size();
        pkt.resize(len + srtp_max_trailer);
        auto n = srtp->protect_rtcp(pkt, len);
        return n && ice->send({pkt.data(), n.value()});
    }

    /// Protects `b` once and sends it `copies` times (the receiver's SRTP replay check
    /// drops the copies that arrive after the first).
    bool send_protected_rtp(const Buffer& b, int copies = 1) {
        if (!srtp || !ice) return false;
        std::vector<std::uint8_t> out(b.size() + srtp_max_trailer);
        std::copy_n(b.data(), b.size(), out.data());
        auto n = srtp->protect_rtp(out, b.size());
        if (!n) return false;
        bool sent = false;
        for (int i = 0; i < copies; ++i) sent = ice->send({out.data(), n.value()}) || sent;
        return sent;
    }

    void send_pli(std::uint32_t media_ssrc, bool force) {
        if (!srtp || !ice) return;
        const auto now = std::chrono::steady_clock::now();
        auto [it, fresh] = last_pli.try_emplace(media_ssrc, now);
        if (!fresh) {
            if (!force && now - it->second < config.pli_interval) return;
            it->second = now;
        }
        std::vector<std::uint8_t> pkt;
        rtp::RtcpPli{video_ssrc, media_ssrc}.write(pkt);
        if (send_rtcp(std::move(pkt))) ++stats.plis_sent;
    }

    // --- timers: feedback and reports -------------------------------------------------

    /// Releases reordered video whose wait is over and sends the NACKs that are due.
    void arm_feedback_timer() {
        if (closed) return;
        feedback_timer.expires_after(feedback_tick);
        feedback_timer.async_wait([weak = weak_from_this()](const boost::system::error_code& ec) {
            if (ec) return;
            auto self = weak.lock();
            if (!self || self->closed) return;
            self->on_feedback_tick();
            self->arm_feedback_timer();
        });
    }

    void on_feedback_tick() {
        const std::int64_t now_ms = now_us() / 1000;
        for (auto& [ssrc, stream] : receive_streams) {
            auto seqs = stream.nacks_due(now_ms);
            if (!seqs.empty()) {
                std::vector<std::uint8_t> pkt;
                rtp::RtcpNack{video_ssrc, ssrc, std::move(seqs)}.write(pkt);
                if (send_rtcp(std::move(pkt))) ++stats.nacks_sent;
            }
            deliver(stream, now_ms);
            if (closed) return;
        }
        std::uint64_t lost = 0;
        for (const auto& [ssrc, stream] : receive_streams) lost += stream.packets_lost();
        stats.packets_lost = lost;
    }

    void arm_rtcp_timer() {
        if (closed) return;
        // RFC 3550 §6.3.1: randomized over [0.5, 1.5] x the interval so reports of many
        // senders do not synchronize.
        static thread_local std::mt19937 rng{std::random_device{}()};
        const auto base = config.rtcp_interval.count();
        const auto wait = std::uniform_int_distribution<std::int64_t>{base / 2, base + base / 2}(rng);
        rtcp_timer.expires_after(std::chrono::milliseconds(wait));
        rtcp_timer.async_wait([weak = weak_from_this()](const boost::system::error_code& ec) {
            if (ec) return;
            auto self = weak.lock();
            if (!self || self->closed) return;
            self->send_report();
            self->arm_rtcp_timer();
        });
    }

    /// One compound per sending SSRC, the reception report blocks in the first; an RR
    /// compound when we send nothing.
    void send_report() {
        const std::int64_t now = now_us();
        const auto ntp = rtp::to_ntp(std::chrono::system_clock::now());
        std::vector<rtp::RtcpReportBlock> blocks;
        for (auto& [ssrc, stream] : receive_streams)
            if (stream.statistics().has_packets() && blocks.size() < 31)
                blocks.push_back(stream.statistics().report_block(now / 1000));
        bool sent_any = false;
        for (auto* s : {video_send.get(), audio_send.get()}) {
            auto sr = s ? s->sender_report(ntp, now) : std::nullopt;
            if (!sr) continue;
            rtp::RtcpReport report;
            report.sender_reports.push_back(std::move(*sr));
            report.blocks = std::exchange(blocks, {});
            report.cname = config.cname;
            if (send_rtcp(rtp::write_report(report))) ++stats.reports_sent;
            sent_any = true;
        }
        if (sent_any) return;
        rtp::RtcpReport report;
        report.receiver_ssrc = video_ssrc;
        report.blocks = std::move(blocks);
        report.cname = config.cname;
        if (send_rtcp(rtp::write_report(report))) ++stats.reports_sent;
    }

    void write_key_log(const SrtpKeys& keys) {
        const std::string id = ice ? ice->local_credentials().ufrag : std::string("?");
        auto r = append_srtp_key_log(config.srtp_key_log_path, {id, keys});
        if (config.log) {
            if (r)
                config.log->warn("SRTP keys of connection " + id + " are being written to " + config.srtp_key_log_path +
                                 " (srtp_key_log_path): anyone with the file can decrypt");
            else
                config.log->warn(r.error().message);
        }
    }

    // --- send ------------------------------------------------------------------------

    std::vector<std::uint8_t> send_arena;  ///< a frame's protected packets, reused

    /// A new target from the peer's feedback: bounds resends and goes to the encoder.
    void set_send_rate(std::uint64_t bps) {
        if (bps == 0) return;
        const bool changed = bps != stats.bandwidth_estimate_bps;
        stats.bandwidth_estimate_bps = bps;
        // The estimate covers the whole path; video is nearly all of it.
        if (video_send) video_send->set_bandwidth_estimate(bps);
        if (changed && callbacks.on_bandwidth_estimate) callbacks.on_bandwidth_estimate(bps);
    }

    bool send(const std::unique_ptr<rtp::RtpSendStream>& stream, bool sending, const Frame& frame) {
        if (closed || !srtp || !ice || !stream || !sending || frame.format.codec != stream->format().codec)
            return false;
        // Protect every packet of the frame, then hand them to the socket in one call.
        const auto packets = stream->send(frame, now_us());
        std::size_t total = 0;
        for (const Buffer& b : packets) total += b.size() + srtp_max_trailer;
        send_arena.resize(total);  // kept between frames: no allocation once it has grown
        std::vector<std::span<const std::uint8_t>> datagrams;
        datagrams.reserve(packets.size());
        std::size_t at = 0;
        for (const Buffer& b : packets) {
            const std::span<std::uint8_t> out(send_arena.data() + at, b.size() + srtp_max_trailer);
            at += out.size();
            std::copy_n(b.data(), b.size(), out.data());
            auto n = srtp->protect_rtp(out, b.size());
            if (n) datagrams.emplace_back(out.data(), n.value());
        }
        const std::size_t sent = ice->send_batch(datagrams);
        stats.rtp_sent += sent;
        const bool all = sent == packets.size();
        stats.timestamp_discontinuities = 0;
        for (auto* s : {video_send.get(), audio_send.get()})
            if (s) stats.timestamp_discontinuities += s->timeline().discontinuities();
        return all;
    }

    // --- negotiation -----------------------------------------------------------------

    sdp::LocalTransport local_transport() const {
        const auto cred = ice->local_credentials();
        return {cred.ufrag, cred.pwd, certificate->fingerprint(), true};
    }

    sdp::LocalTrack track(std::uint32_t ssrc, std::string_view kind) const {
        const bool video = kind == "video";
        return {config.stream_id, config.stream_id + "-" + std::string(kind), config.cname, ssrc,
                video ? std::optional(video_rtx_ssrc) : std::nullopt};
    }

    /// The header extensions we offer and accept: the mid for BUNDLE, abs-send-time so
    /// the peer can estimate bandwidth and send REMB.
    static std::vector<std::string> header_extensions() {
        auto e = sdp::default_header_extensions();
        e.emplace_back(rtp::abs_send_time_uri);
        return e;
    }

    /// The accepted section that carries the BUNDLE transport, or null.
    static const sdp::MediaSection* bundle_section(const sdp::SessionDescription& d) {
        for (const auto& m : d.media)
            if (!m.rejected() && m.is_rtp()) return &m;
        return nullptr;
    }

    /// After both descriptions are known: remote ICE and DTLS parameters, send and
    /// receive codecs from the answer's sections.
    Result<void> apply(const sdp::SessionDescription& answer, const sdp::SessionDescription& remote_desc,
                       bool remote_is_answer) {
        // BUNDLE only: every accepted section shares the first one's transport.
        const sdp::MediaSection* first = bundle_section(answer);
        if (!first) return Error::invalid("no audio or video section was accepted");
        bundle_mid = first->mid.value_or("0");
        const sdp::MediaSection* remote_first = first->mid ? remote_desc.find(*first->mid) : nullptr;
        if (!remote_first) remote_first = &remote_desc.media.front();
        const auto rt = remote_desc.transport_for(*remote_first);
        if (!rt.ice_ufrag || !rt.ice_pwd) return Error::invalid("the remote description has no ice-ufrag/ice-pwd");
        if (!rt.fingerprint) return Error::invalid("the remote description has no a=fingerprint");

        // Our DTLS role: as answerer what our answer says; as offerer the opposite of theirs.
        const auto answer_setup = answer.transport_for(*first).setup.value_or(sdp::Setup::active);
        bool we_are_client;
        if (remote_is_answer)
            we_are_client = answer_setup == sdp::Setup::passive;
        else
            we_are_client = answer_setup == sdp::Setup::active;
        if (answer_setup == sdp::Setup::actpass || answer_setup == sdp::Setup::holdconn)
            return Error::invalid("the answer's a=setup must be active or passive");

        apply_media(answer, remote_desc, remote_is_answer);

        if (auto r = ice->set_remote_credentials({*rt.ice_ufrag, *rt.ice_pwd}); !r) return r.error();
        remote_ufrag = *rt.ice_ufrag;
        remote_pwd = *rt.ice_pwd;
        for (const auto& c : remote_first->candidates) ice->add_remote_candidate(c);
        if (remote_first->end_of_candidates) ice->remote_end_of_candidates();
        make_dtls(we_are_client ? DtlsRole::client : DtlsRole::server, *rt.fingerprint);
        set_state(PeerConnectionState::connecting);
        return {};
    }

    /// What we send and receive per the answer's directions: codecs, streams (made once
    /// and kept, so a resumed kind goes on with its sequence numbers and timestamps) and
    /// the sending/receiving flags (hold and resume).
    void apply_media(const sdp::SessionDescription& answer, const sdp::SessionDescription& remote_desc,
                     bool remote_is_answer) {
        // What we sent before and stopped (held) and resumes now: see the end.
        const bool video_was_held = video_send && !video_sending;
        const bool audio_was_held = audio_send && !audio_sending;
        video_sending = audio_sending = video_receiving = audio_receiving = false;
        for (const auto& m : answer.media) {
            if (m.rejected() || !m.is_rtp()) continue;
            const bool audio = m.type() == sdp::MediaType::audio;
            if (!audio && m.type() != sdp::MediaType::video) continue;
            // What we send follows our own direction: theirs reversed when they answered.
            auto dir = m.effective_direction();
            if (remote_is_answer) dir = sdp::reverse(dir);
            const bool we_send = dir == sdp::Direction::sendrecv || dir == sdp::Direction::sendonly;
            const bool we_receive = dir == sdp::Direction::sendrecv || dir == sdp::Direction::recvonly;
            if (we_send && (audio ? config.send_audio : config.send_video))
                (audio ? audio_sending : video_sending) = true;
            if (we_receive) (audio ? audio_receiving : video_receiving) = true;
            std::optional<std::uint8_t> mid_ext;
            std::optional<std::uint8_t> abs_send_time_ext;
            for (const auto& e : m.extmaps) {
                if (e.id < 1 || e.id > 14) continue;
                if (e.uri == mid_extension_uri) mid_ext = std::uint8_t(e.id);
                if (e.uri == rtp::abs_send_time_uri) abs_send_time_ext = std::uint8_t(e.id);
            }
            // The remote's RTX SSRCs of its media SSRCs (RFC 4588 §8.3).
            if (const auto* rm = m.mid ? remote_desc.find(*m.mid) : nullptr)
                for (const auto& g : rm->ssrc_groups)
                    if (g.semantics == "FID" && g.ssrcs.size() == 2) rtx_ssrcs[g.ssrcs[1]] = g.ssrcs[0];
            const auto codecs = sdp::rtp_codecs(m);
            for (const auto& codec : codecs) {
                if (auto apt = codec.rtx_primary(); apt && we_receive) rtx_payload_types[codec.payload_type] = *apt;
                auto f = codec.format();
                if (!f) continue;
                if (we_receive && !receive_codecs.count(codec.payload_type)) {
                    if (auto d = sdp::make_depacketizer(codec))
                        receive_codecs[codec.payload_type] = {f->kind, std::move(d)};
                    if (has_feedback(codec, "nack")) nack_payload_types.insert(codec.payload_type);
                }
                auto& stream = audio ? audio_send : video_send;
                if (we_send && !stream && (audio ? config.send_audio : config.send_video)) {
                    rtp::PacketizerConfig pc;
                    pc.ssrc = audio ? audio_ssrc : video_ssrc;
                    pc.payload_type = codec.payload_type;
                    pc.first_sequence_number = std::uint16_t(random_u32());
                    pc.timestamp_offset = random_u32();
                    pc.clock_rate = int(codec.clock_rate);
                    if (auto p = make_packetizer(*f, pc)) {
                        if (mid_ext && m.mid) {
                            const auto& mid = *m.mid;
                            p->set_extension(*mid_ext, {reinterpret_cast<const std::uint8_t*>(mid.data()), mid.size()});
                        }
                        rtp::SendStreamOptions so;
                        so.abs_send_time_id = abs_send_time_ext;
                        // Both sides listed RTX for this codec, so a NACK is answered on it.
                        for (const auto& rtx : codecs)
                            if (!audio && rtx.rtx_primary() == codec.payload_type)
                                so.rtx = rtp::RtxConfig{rtx.payload_type, video_rtx_ssrc, std::uint16_t(random_u32())};
                        stream = std::make_unique<rtp::RtpSendStream>(*f, std::move(p), so);
                    }
                }
            }
        }
        // A resumed stream keeps its RTP timestamps in step with the time the hold took.
        if (audio_was_held && audio_sending) audio_send->resume();
        // It goes on with its sequence numbers and picture ids, so the peer's decoder
        // cannot tell that the frames of the hold are missing: a delta frame would decode
        // against a stale reference. The source starts again with a keyframe.
        if (video_was_held && video_sending) {
            video_send->resume();
            ++stats.keyframes_requested_on_resume;
            boost::asio::post(executor, [weak = weak_from_this()] {
                auto self = weak.lock();
                if (!self || self->closed) return;
                if (self->callbacks.on_keyframe_request) self->callbacks.on_keyframe_request();
            });
        }
    }

    // --- renegotiation ---------------------------------------------------------------

    /// Error text when `next` (a remote re-offer or re-answer) does not keep the session's
    /// sections, DTLS fingerprint and role; empty when it does.
    std::string check_renegotiation(const sdp::SessionDescription& next, bool is_answer) const {
        const auto& now = *remote;
        if (next.media.size() != now.media.size())
            return std::to_string(next.media.size()) + " m= sections where the session has " +
                   std::to_string(now.media.size()) + " (adding or removing sections is not supported)";
        for (std::size_t i = 0; i < now.media.size(); ++i) {
            const auto& a = now.media[i];
            const auto& b = next.media[i];
            if (a.media != b.media)
                return "m= section " + std::to_string(i) + " changes its kind from " + a.media + " to " + b.media;
            if (a.mid != b.mid)
                return "m= section " + std::to_string(i) + " changes its mid from '" + a.mid.value_or("") + "' to '" +
                       b.mid.value_or("") + "'";
        }
        const auto* bundled = next.find(bundle_mid);
        if (!bundled || bundled->rejected())
            return "the section '" + bundle_mid + "' that carries the BUNDLE transport is rejected";
        const auto t = next.transport_for(*bundled);
        if (!t.ice_ufrag || !t.ice_pwd) return "no ice-ufrag/ice-pwd";
        if (!t.fingerprint) return "no a=fingerprint";
        if (remote_fingerprint && !(*t.fingerprint == *remote_fingerprint))
            return "a=fingerprint changed (" + t.fingerprint->to_string() +
                   "): a new DTLS association is not supported, the current one stays";
        // RFC 8842 §5.5: the role stays with the association.
        const auto setup = t.setup.value_or(sdp::Setup::active);
        const bool client = dtls_role == DtlsRole::client;
        if (setup == sdp::Setup::holdconn) return "a=setup:holdconn is not supported";
        if (is_answer && setup == sdp::Setup::actpass) return "an answer's a=setup must be active or passive";
        if ((setup == sdp::Setup::active && client) || (setup == sdp::Setup::passive && !client))
            return std::string("a=setup:") + (setup == sdp::Setup::active ? "active" : "passive") +
                   " would change our DTLS role (" + (client ? "client" : "server") + ")";
        if (is_answer && *t.ice_ufrag != remote_ufrag && !offered_ice_restart)
            return "new ice-ufrag in an answer to an offer without ICE restart";
        if (*t.ice_ufrag == remote_ufrag && *t.ice_pwd != remote_pwd)
            return "ice-pwd changed without a new ice-ufrag (RFC 8839 §4.4.1.1.1)";
        return {};
    }

    /// The remote's new ICE credentials and candidates when `next` restarts ICE.
    Result<void> apply_remote_ice(const sdp::SessionDescription& next) {
        const auto* bundled = next.find(bundle_mid);
        const auto t = next.transport_for(*bundled);
        // Same generation: candidates a non-trickling peer lists again are known. After our
        // restart the transport forgot the remote credentials, so they are set again.
        if (*t.ice_ufrag == remote_ufrag && !offered_ice_restart) return {};
        if (auto r = ice->set_remote_credentials({*t.ice_ufrag, *t.ice_pwd}); !r) return r.error();
        remote_ufrag = *t.ice_ufrag;
        remote_pwd = *t.ice_pwd;
        for (const auto& c : bundled->candidates) ice->add_remote_candidate(c);
        if (bundled->end_of_candidates) ice->remote_end_of_candidates();
        ++stats.ice_restarts;
        return {};
    }

    /// Restarts ICE from our side: new local credentials; our candidates are announced
    /// again (on_local_candidate) for the new generation.
    Result<void> restart_ice() {
        gathered.clear();
        gathering_done = false;
        return ice->restart();
    }

    /// Puts this ICE generation's candidates into a new local description.
    void add_gathered(sdp::SessionDescription& d) const {
        for (auto& m : d.media) {
            if (m.rejected()) continue;
            m.candidates = gathered;
            m.end_of_candidates = gathering_done;
        }
    }

    std::optional<sdp::LocalTrack> send_track(bool audio) const {
        const bool send = audio ? config.send_audio && !config.audio_formats.empty()
                                : config.send_video && !config.video_formats.empty();
        if (!send) return std::nullopt;
        return audio ? track(audio_ssrc, "audio") : track(video_ssrc, "video");
    }
};

// --- PeerConnection --------------------------------------------------------------------

Result<std::unique_ptr<PeerConnection>> PeerConnection::create(GlibLoop& loop, boost::asio::any_io_executor executor,
                                                               std::shared_ptr<const Certificate> certificate,
                                                               PeerConnectionConfig config, Callbacks callbacks) {
    if (!certificate) return Error::invalid("peer connection: no certificate");
    if (config.video_formats.empty() && config.audio_formats.empty())
        return Error::invalid("peer connection: neither audio nor video formats");
    auto impl = std::make_shared<Impl>(loop, std::move(executor), std::move(certificate), std::move(config),
                                       std::move(callbacks));
    return std::unique_ptr<PeerConnection>(new PeerConnection(std::move(impl)));
}

PeerConnection::PeerConnection(std::shared_ptr<Impl> impl) : m_impl(std::move(impl)) {}

PeerConnection::~PeerConnection() {
    close();
}

Result<std::string> PeerConnection::create_offer() {
    return create_offer(OfferOptions{});
}

Result<std::string> PeerConnection::create_offer(const OfferOptions& options) {
    Impl& s = *m_impl;
    using Signaling = Impl::Signaling;
    if (s.closed) return Error::invalid("create_offer: closed");
    if (s.signaling == Signaling::have_remote_offer)
        return Error::invalid("create_offer: the remote offer waits for our answer");
    if (s.signaling == Signaling::have_local_offer)
        return Error::invalid("create_offer: our previous offer waits for its answer");
    if (s.negotiated) {
        // A re-offer: the sections we have, with what changes (JSEP §5.2.2).
        if (options.hold) s.hold = *options.hold;
        if (options.ice_restart)
            if (auto r = s.restart_ice(); !r)
                return Error{r.error().kind, "create_offer: ICE restart: " + r.error().message};
        sdp::ReofferOptions o;
        o.transport = s.local_transport();
        o.session_version = ++s.session_version;
        o.audio_track = s.send_track(true);
        o.video_track = s.send_track(false);
        o.hold = s.hold;
        auto offer = sdp::build_reoffer(*s.local, o);
        if (!offer) return offer.error();
        s.add_gathered(offer.value());
        s.local = std::move(offer.value());
        s.offered_ice_restart = options.ice_restart;
        s.signaling = Signaling::have_local_offer;
        return s.local->to_string();
    }
    if (s.local || s.remote) return Error::invalid("create_offer: the first negotiation is not finished");
    if (auto r = s.make_ice(true); !r) return s.fail(r.error());
    sdp::OfferOptions o;
    o.transport = s.local_transport();
    s.session_id = random_session_id();
    s.session_version = 1;
    o.session_id = s.session_id;
    o.session_version = s.session_version;
    if (!s.config.audio_formats.empty()) o.audio = sdp::LocalMedia{s.config.audio_formats, s.send_track(true)};
    if (!s.config.video_formats.empty()) o.video = sdp::LocalMedia{s.config.video_formats, s.send_track(false)};
    o.header_extensions = Impl::header_extensions();
    auto offer = sdp::build_offer(o);
    if (!offer) return s.fail(offer.error());
    s.local = std::move(offer.value());
    s.we_offered = true;
    s.signaling = Signaling::have_local_offer;
    for (const auto& m : s.local->media)
        if (!m.rejected() && m.mid) {
            s.bundle_mid = *m.mid;
            break;
        }
    if (auto r = s.ice->gather(); !r) return s.fail(r.error());
    return s.local->to_string();
}

Result<void> PeerConnection::set_remote_description(std::string_view text, SdpType type) {
    Impl& s = *m_impl;
    using Signaling = Impl::Signaling;
    if (s.closed) return Error::invalid("set_remote_description: closed");
    const std::string what = "remote " + std::string(to_string(type));
    if (type == SdpType::offer && s.signaling == Signaling::have_remote_offer)
        return Error::invalid(what + ": the previous remote offer waits for our answer");
    auto parsed = sdp::SessionDescription::parse(text);
    // In a renegotiation a bad description is refused and the session goes on as it was.
    auto refuse = [&](std::string reason) -> Error {
        Error e = Error::invalid(what + " refused: " + std::move(reason));
        if (!s.negotiated) return s.fail(e);
        if (s.config.log) s.config.log->warn(e.message + "; the session goes on unchanged");
        return e;
    };
    if (!parsed) return refuse(parsed.error().message);
    if (parsed->media.empty()) return refuse("no m= section");
    if (type == SdpType::offer) {
        if (s.signaling == Signaling::have_local_offer)
            return s.fail(Error::invalid("remote offer while our offer is pending (glare)"));
        if (s.negotiated) {
            if (auto why = s.check_renegotiation(parsed.value(), false); !why.empty()) return refuse(why);
            // New credentials restart ICE now, so candidates trickled after this are checked
            // with them and our answer carries our new ones.
            const auto t = parsed->transport_for(*parsed->find(s.bundle_mid));
            if (*t.ice_ufrag != s.remote_ufrag) {
                if (auto r = s.restart_ice(); !r)
                    return Error{r.error().kind, what + ": ICE restart: " + r.error().message};
                if (auto r = s.apply_remote_ice(parsed.value()); !r)
                    return Error{r.error().kind, what + ": " + r.error().message};
            }
            s.pending_offer = std::move(parsed.value());
            s.signaling = Signaling::have_remote_offer;
            return {};
        }
        s.pending_offer = std::move(parsed.value());
        s.signaling = Signaling::have_remote_offer;
        if (auto r = s.make_ice(false); !r) return s.fail(r.error());
        s.set_state(PeerConnectionState::connecting);
        return {};
    }
    if (s.signaling != Signaling::have_local_offer) {
        if (!s.negotiated) return s.fail(Error::invalid("remote answer without our offer"));
        return Error::invalid("remote answer without an offer of ours waiting for it");
    }
    if (s.negotiated) {
        if (auto why = s.check_renegotiation(parsed.value(), true); !why.empty()) return refuse(why);
        if (auto r = s.apply_remote_ice(parsed.value()); !r)
            return Error{r.error().kind, what + ": " + r.error().message};
        s.apply_media(parsed.value(), parsed.value(), true);
        s.remote = std::move(parsed.value());
        s.signaling = Signaling::stable;
        s.offered_ice_restart = false;
        ++s.stats.renegotiations;
        return {};
    }
    s.remote = std::move(parsed.value());
    if (s.remote->media.size() != s.local->media.size())
        return s.fail(Error::invalid("remote answer: " + std::to_string(s.remote->media.size()) +
                                     " m= sections for the offer's " + std::to_string(s.local->media.size())));
    if (auto r = s.apply(*s.remote, *s.remote, true); !r)
        return s.fail(Error::invalid("remote answer: " + r.error().message));
    s.signaling = Signaling::stable;
    s.negotiated = true;
    return {};
}

Result<std::string> PeerConnection::create_answer() {
    Impl& s = *m_impl;
    if (s.closed) return Error::invalid("create_answer: closed");
    if (!s.pending_offer) return Error::invalid("create_answer: no remote offer");
    sdp::AnswerOptions o;
    o.transport = s.local_transport();
    if (!s.negotiated) {
        s.session_id = random_session_id();
        s.session_version = 0;
    }
    o.session_id = s.session_id;
    o.session_version = ++s.session_version;
    o.audio.formats = s.config.audio_formats;
    o.audio.track = s.send_track(true);
    o.video.formats = s.config.video_formats;
    o.video.track = s.send_track(false);
    o.header_extensions = Impl::header_extensions();
    if (s.negotiated) {
        // RFC 8842 §5.5: the association keeps its role; a hold of ours lasts.
        o.setup = s.dtls_role == DtlsRole::client ? sdp::Setup::active : sdp::Setup::passive;
        o.hold = s.hold;
        // A track we announced stays announced while held (see AnswerOptions::keep_track_mids).
        for (const auto& m : s.local->media)
            if (!m.msids.empty() && m.mid) o.keep_track_mids.push_back(*m.mid);
        auto answer = sdp::build_answer(*s.pending_offer, o);
        if (!answer) {
            s.pending_offer.reset();
            s.signaling = Impl::Signaling::stable;
            return Error{answer.error().kind, "create_answer: " + answer.error().message};
        }
        s.add_gathered(answer.value());
        s.apply_media(answer.value(), *s.pending_offer, false);
        s.local = std::move(answer.value());
        s.remote = std::move(*s.pending_offer);
        s.pending_offer.reset();
        s.signaling = Impl::Signaling::stable;
        ++s.stats.renegotiations;
        return s.local->to_string();
    }
    auto answer = sdp::build_answer(*s.pending_offer, o);
    if (!answer) return s.fail(answer.error());
    s.local = std::move(answer.value());
    s.remote = std::move(*s.pending_offer);
    s.pending_offer.reset();
    s.signaling = Impl::Signaling::stable;
    s.negotiated = true;
    if (auto r = s.apply(*s.local, *s.remote, false); !r)
        return s.fail(Error::invalid("remote offer: " + r.error().message));
    if (auto r = s.ice->gather(); !r) return s.fail(r.error());
    return s.local->to_string();
}

std::string PeerConnection::local_description() const {
    return m_impl->local ? m_impl->local->to_string() : std::string();
}

Result<void> PeerConnection::add_remote_candidate(std::string_view line) {
    Impl& s = *m_impl;
    if (s.closed) return Error::invalid("add_remote_candidate: closed");
    if (line.starts_with("a=")) line.remove_prefix(2);
    while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.remove_suffix(1);
    if (line.empty() || line == "end-of-candidates") {
        remote_end_of_candidates();
        return {};
    }
    auto c = sdp::Candidate::parse(line);
    if (!c) return Error::invalid("bad candidate: " + std::string(line));
    if (!s.ice) return Error::invalid("add_remote_candidate: no remote description yet");
    s.ice->add_remote_candidate(*c);
    return {};
}

void PeerConnection::remote_end_of_candidates() {
    if (m_impl->ice && !m_impl->closed) m_impl->ice->remote_end_of_candidates();
}

bool PeerConnection::send_video(const Frame& frame) {
    return m_impl->send(m_impl->video_send, m_impl->video_sending, frame);
}

bool PeerConnection::send_audio(const Frame& frame) {
    return m_impl->send(m_impl->audio_send, m_impl->audio_sending, frame);
}

void PeerConnection::request_keyframe() {
    for (auto ssrc : m_impl->remote_video_ssrcs) m_impl->send_pli(ssrc, false);
}

void PeerConnection::close() {
    if (m_impl) m_impl->shutdown();
}

PeerConnectionState PeerConnection::state() const noexcept {
    return m_impl->state;
}

Format PeerConnection::video_send_format() const {
    return m_impl->video_send ? m_impl->video_send->format() : Format{};
}

Format PeerConnection::audio_send_format() const {
    return m_impl->audio_send ? m_impl->audio_send->format() : Format{.kind = MediaKind::audio};
}

PeerConnection::Stats PeerConnection::stats() const {
    return m_impl->stats;
}

std::optional<SrtpProfile> PeerConnection::srtp_profile() const {
    if (!m_impl->srtp) return std::nullopt;
    return m_impl->srtp->profile();
}

}  // namespace switchboard::rtc
