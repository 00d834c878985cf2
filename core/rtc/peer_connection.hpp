/// \file peer_connection.hpp
/// \brief The facade a call uses (architecture.md §5): offer/answer, trickle ICE, DTLS-SRTP
/// and encoded media in and out, over one BUNDLE group with rtcp-mux only.
///
/// A PeerConnection ties the modules together: the SDP builders and parser, one
/// IceTransport (libnice), one DtlsTransport whose role comes from a=setup (RFC 8842 §5:
/// we answer "active" to "actpass"; as offerer we say "actpass" and are the DTLS server
/// when the answer says "active"), one SrtpSession from the exported keys, and per
/// negotiated payload type a packetizer (what we send) or depacketizer (what we receive).
/// Datagrams are demultiplexed by their first byte (RFC 7983): DTLS to the DtlsTransport,
/// SRTP/SRTCP through the SrtpSession; RTCP PLI and FIR become on_keyframe_request, RTP is
/// depacketized by payload type into Frames. A depacketizer that lost a keyframe makes us
/// send a PLI (RFC 4585 §6.3.1), at most once per Config::pli_interval.
///
/// Feedback (RFC 4585, RFC 3550 §6). What we send is kept per SSRC (rtp::RtpSendStream)
/// and a generic NACK is answered over RTX (RFC 4588) when negotiated, else with the
/// original packet; every sending SSRC gets an SR about once per Config::rtcp_interval and
/// every received one a report block, in compound packets with our CNAME. Received video
/// is reordered by a jitter buffer that NACKs holes (rtp::RtpReceiveStream); RTX is
/// unwrapped into its stream. A REMB, lowered on reported loss, becomes
/// on_bandwidth_estimate (rtp::SendRateControl); we stamp abs-send-time
/// when negotiated so the peer can estimate. A send track's timestamps stay continuous
/// when its pts restart or jump (rtp::SendTimeline).
///
/// Threads. Every method must be called on the owner's executor, a strand (or an
/// io_context run by one thread), and every callback runs there, never inside one of our
/// methods: state changes are posted, media and candidates come from events the
/// transports posted. close() is safe from inside a callback; after it no callback runs.
/// The GlibLoop must outlive the PeerConnection.
///
/// Renegotiation (JSEP §5.2.2, §5.3.2). Once the first offer/answer is done (stable), either
/// side may offer again: set_remote_description(offer) + create_answer(), or
/// create_offer(OfferOptions) + set_remote_description(answer). A new description must
/// keep the m= sections, their kinds and mids in the same order, the DTLS fingerprint and
/// the DTLS role; one that does not is refused (Error::invalid with the reason) and the
/// connection goes on with the old descriptions, not failed. What may change:
///  - Directions, i.e. hold and resume (RFC 3264 §8.4): a kind whose negotiated direction
///    no longer includes our sending stops (send_video/send_audio return false, no RTP)
///    and its RTP stream object stays, so sequence numbers and timestamps go on from
///    where they were on resume (the timestamps step by the time the hold took, as the
///    source's pts do: rtp::SendTimeline::resume); on_keyframe_request asks for a keyframe
///    when our video resumes. A track we announced keeps its a=msid and a=ssrc lines while it does not
///    send (libwebrtc drops and re-creates its receive stream otherwise, and then its
///    track gets no frames: sdp::AnswerOptions::keep_track_mids). A kind we no longer
///    receive is dropped on arrival.
///    OfferOptions::hold makes our offers (and answers while it lasts) sendonly/inactive.
///  - ICE credentials, i.e. an ICE restart (RFC 8445 §9, RFC 8839 §4.4.1.1.1): new
///    ice-ufrag/ice-pwd from the peer, or OfferOptions::ice_restart from us, restart our
///    IceTransport: new local credentials in local_description(), our candidates
///    trickled again through on_local_candidate and on_gathering_done. Media goes on over
///    the selected pair meanwhile; DTLS and the SRTP keys stay, and the state stays
///    connected unless ICE fails.
/// Our re-offers say a=setup:actpass and our re-answers the role we already have
/// (RFC 8842 §5.5). A remote offer while ours waits for its answer (glare) fails the
/// connection, as before the first answer; a refused answer to a re-offer leaves our
/// offer pending.
///
/// Not supported yet: data channels (m=application is rejected), transport-cc, simulcast,
/// adding or removing m= sections, rollback, a new DTLS association.
#pragma once

#include <boost/asio/any_io_executor.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <switchboard/errors.hpp>
#include <switchboard/format.hpp>
#include <switchboard/frame.hpp>

#include "rtc/dtls/certificate.hpp"
#include "rtc/ice/ice_transport.hpp"
#include "rtc/srtp/srtp_keys.hpp"

namespace switchboard::rtc {

class GlibLoop;

/// The W3C RTCPeerConnectionState values we report.
enum class PeerConnectionState { new_, connecting, connected, failed, closed };
std::string_view to_string(PeerConnectionState s);

/// The type of a session description (JSEP §4.1.8); pranswer and rollback are not supported.
enum class SdpType { offer, answer };
std::string_view to_string(SdpType t);

struct PeerConnectionConfig {
    /// Only these local addresses are gathered ({"127.0.0.1"} in tests); empty: all.
    std::vector<std::string> gather_addresses;
    std::optional<std::string> stun_host;
    std::uint16_t stun_port = 3478;
    std::vector<TurnServer> turn_servers;
    /// ICE transport policy "relay": only TURN relay candidates (see IceConfig).
    bool relay_only = false;
    /// ICE checking longer than this without a pair fails the connection.
    std::chrono::milliseconds ice_timeout{std::chrono::seconds(30)};
    /// First DTLS handshake retransmission (it doubles on each retry).
    std::chrono::milliseconds dtls_retransmit{std::chrono::seconds(1)};
    /// At most one PLI per remote stream in this interval.
    std::chrono::milliseconds pli_interval{std::chrono::milliseconds(500)};
    /// Codecs we take, best first; an empty set means no section of that kind in our
    /// offer and a rejected section in our answer. Supported: VP8, H264 (mode 1), Opus.
    FormatSet video_formats{Format{.kind = MediaKind::video, .codec = Codec::vp8, .clock_rate = 90000}};
    FormatSet audio_formats{Format{.kind = MediaKind::audio, .codec = Codec::opus, .clock_rate = 48000}};
    /// Whether we send in each kind (sendrecv), or only receive (recvonly).
    bool send_video = true;
    bool send_audio = true;
    /// a=ssrc cname and msid stream id of our tracks.
    std::string cname = "switchboard";
    std::string stream_id = "switchboard";
    /// Optional; debug lines and warnings.
    std::shared_ptr<Logger> log;
    /// How long received video waits at most for a missing packet (NACK round trips) before
    /// the hole is given up and, when it broke a frame, a PLI asks for a keyframe. Once the
    /// peer's reports give the round trip, the wait shrinks to about three of them.
    std::chrono::milliseconds jitter_max_wait{std::chrono::milliseconds(150)};
    /// Each retransmission answering a NACK goes out this many times. 1 is what libwebrtc
    /// does; 2 suits receivers that NACK a hole only once (aiortc asks again only when a new
    /// hole appears, and its jitter buffer cannot catch up on a frame repaired late), at the
    /// cost of resending twice what the path lost.
    int nack_resend_copies = 1;
    /// Regular RTCP reports (SR/RR + SDES) about this often (randomized 0.5-1.5x, RFC 3550 §6.2).
    std::chrono::milliseconds rtcp_interval{std::chrono::seconds(1)};
    /// Benchmarks and loss tests only: when set, the DTLS-SRTP keys of each connection are
    /// appended to this file (srtp/srtp_key_log.hpp) and a warning says so. Empty: never.
    std::string srtp_key_log_path;
};

/// What a subsequent offer changes (create_offer(const OfferOptions&)).
struct OfferOptions {
    /// Restart ICE (RFC 8445 §9): new local credentials and candidates; DTLS stays.
    bool ice_restart = false;
    /// Set: hold (true) or resume (false) the peer, RFC 3264 §8.4: while held our sections
    /// do not receive (sendonly, or inactive when we do not send), in our answers too.
    /// Unset: as before.
    std::optional<bool> hold;
};

class PeerConnection {
public:
    /// All run on the executor; all optional.
    struct Callbacks {
        /// A local candidate to trickle ("candidate:..." without "a=") for the bundle mid.
        std::function<void(const std::string& candidate, const std::string& mid)> on_local_candidate;
        /// Local gathering finished: local_description() now carries every candidate.
        std::function<void()> on_gathering_done;
        /// The connection state changed; `reason` says why for failed and closed.
        std::function<void(PeerConnectionState, const std::string& reason)> on_state;
        /// An encoded frame received (pts in RTP clock units, time_base 1/clock rate; its
        /// timing.capture_ns on our monotonic clock through the peer's sender reports, or
        /// its arrival before the first: what aligns audio with video).
        std::function<void(const Frame&)> on_video_frame;
        std::function<void(const Frame&)> on_audio_frame;
        /// The peer asked for a keyframe of what we send (PLI or FIR), or our video resumed
        /// after a hold.
        std::function<void()> on_keyframe_request;
        /// The rate the path allows for what we send, bits per second: the peer's estimate
        /// (REMB), lowered while its reports show loss (rtp::SendRateControl). Called when
        /// it changes.
        std::function<void(std::uint64_t bitrate_bps)> on_bandwidth_estimate;
    };

    /// Counters, for logs and tests.
    struct Stats {
        std::uint64_t rtp_sent = 0;
        std::uint64_t rtp_received = 0;
        std::uint64_t rtcp_received = 0;
        std::uint64_t unprotect_failures = 0;
        std::uint64_t unknown_payload_type = 0;
        std::uint64_t plis_sent = 0;
        std::uint64_t keyframe_requests_received = 0;
        std::uint64_t frames_received = 0;
        std::uint64_t nacks_received = 0;        ///< NACK packets about our streams
        std::uint64_t retransmissions_sent = 0;  ///< packets resent for them (RTX or plain)
        std::uint64_t nacks_sent = 0;            ///< NACK packets we sent
        std::uint64_t rtx_received = 0;          ///< RTX packets unwrapped into their stream
        std::uint64_t packets_lost = 0;          ///< holes our jitter buffer gave up on
        std::uint64_t reports_sent = 0;          ///< compound SR/RR + SDES packets
        std::uint64_t rembs_received = 0;
        std::uint64_t remb_bps = 0;                       ///< the last REMB's bitrate (0: none yet)
        std::uint64_t bandwidth_estimate_bps = 0;         ///< the send rate target (0: no REMB yet)
        std::uint64_t timestamp_discontinuities = 0;      ///< pts steps absorbed on send
        std::uint64_t rtt_ms = 0;                         ///< the last round trip from the peer's reports (0: none yet)
        std::uint64_t rtp_not_received = 0;               ///< RTP of a kind we do not receive now (held)
        std::uint64_t renegotiations = 0;                 ///< offer/answer exchanges completed after the first
        std::uint64_t ice_restarts = 0;                   ///< of them with new ICE credentials
        std::uint64_t keyframes_requested_on_resume = 0;  ///< on_keyframe_request when our video resumed
    };

    /// Fails (invalid) on a bad config (no certificate, bad gather address).
    [[nodiscard]] static Result<std::unique_ptr<PeerConnection>> create(GlibLoop& loop,
                                                                        boost::asio::any_io_executor executor,
                                                                        std::shared_ptr<const Certificate> certificate,
                                                                        PeerConnectionConfig config,
                                                                        Callbacks callbacks);
    /// close().
    ~PeerConnection();
    PeerConnection(const PeerConnection&) = delete;
    PeerConnection& operator=(const PeerConnection&) = delete;

    /// Our offer (we become ICE controlling) and starts gathering: before any remote
    /// description, or a re-offer in the stable state after the first offer/answer
    /// (create_offer(OfferOptions{}) then). Error::invalid while an offer of either
    /// side waits for its answer.
    Result<std::string> create_offer();
    /// A re-offer with an ICE restart or a hold/resume (see the file comment); the
    /// options are ignored in the first offer.
    Result<std::string> create_offer(const OfferOptions& options);
    /// The peer's offer or answer. In the first negotiation, malformed SDP, no usable
    /// section, a missing fingerprint or ICE credentials: Error::invalid, and the
    /// connection fails with that reason. In a renegotiation a description we cannot
    /// take is refused with Error::invalid and the reason, and the connection goes on
    /// with the old one (see the file comment).
    Result<void> set_remote_description(std::string_view sdp, SdpType type);
    /// Our answer to the remote offer; starts gathering (the first time).
    Result<std::string> create_answer();
    /// Our current description with the candidates gathered so far (and
    /// a=end-of-candidates once gathering is done), for peers that do not trickle.
    std::string local_description() const;
    /// A trickled remote candidate, "candidate:..." or "a=candidate:..."; an empty line
    /// means end-of-candidates. Error::invalid on bad syntax.
    Result<void> add_remote_candidate(std::string_view line);
    void remote_end_of_candidates();

    /// Packetizes an encoded frame of the negotiated send codec, protects and sends it.
    /// False when not connected, not sending that kind, or another codec.
    bool send_video(const Frame& frame);
    bool send_audio(const Frame& frame);
    /// Asks the peer for a keyframe of each video stream it sends (PLI), rate-limited.
    void request_keyframe();

    /// Stops everything (DTLS close_notify first). Idempotent; no callback after it.
    void close();

    PeerConnectionState state() const noexcept;
    /// The negotiated send codecs (Codec::any before negotiation or when not sending).
    Format video_send_format() const;
    Format audio_send_format() const;
    Stats stats() const;
    /// The SRTP protection profile DTLS negotiated; nullopt until connected.
    std::optional<SrtpProfile> srtp_profile() const;

    struct Impl;

private:
    explicit PeerConnection(std::shared_ptr<Impl> impl);
    std::shared_ptr<Impl> m_impl;  ///< shared with the events posted to the strand
};

}  // namespace switchboard::rtc
