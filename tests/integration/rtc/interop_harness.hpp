/// \file interop_harness.hpp
/// \brief One call between our PeerConnection and a real WebRTC peer process
/// (tests/peers/: aiortc or libwebrtc through @roamhq/wrtc), shared by every interop test
/// and the setup benchmark.
///
/// The peer connects to a TCP acceptor on 127.0.0.1 and speaks the drivers' JSON lines
/// (offer, answer, candidate, bye, event, report). We send real VP8 or H264 video (30 fps,
/// stamped) and a 440 Hz Opus tone (20 ms packets) once connected, decode what arrives,
/// and collect the peer's final report. Everything runs on one io_context driven by
/// run(); the peer process is ended by its PID when the call object goes.
#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/streambuf.hpp>

#include <rapidjson/document.h>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "rtc/ice/glib_loop.hpp"
#include "rtc/peer_connection.hpp"
#include "support/opus_codec.hpp"
#include "support/process.hpp"
#include "support/video_codec.hpp"

namespace switchboard::test {

/// Sorted summary of millisecond samples.
struct MsSummary {
    std::size_t samples = 0;
    double p50 = 0;
    double max = 0;
    static MsSummary of(std::vector<double> v);
};

struct InteropOptions {
    Codec video = Codec::vp8;
    bool we_offer = true;
    /// We send our description at once and each candidate as it is gathered (with
    /// end-of-candidates after), instead of one description with every candidate.
    bool trickle = false;
    /// Seconds of media the peer takes after its first frame (its --duration).
    int seconds = 5;
    /// What our PeerConnection gets beyond the harness' defaults (127.0.0.1 only).
    std::function<void(rtc::PeerConnectionConfig&)> configure;
    /// The whole call, from start to the peer's report.
    std::chrono::seconds timeout{45};
    /// Lines sent to the peer `after` it decoded its first frame, e.g. a renegotiation
    /// command ({"type":"hold"}, {"type":"renegotiate","iceRestart":true}: see the wrtc
    /// driver). Offers the peer sends after the first exchange are answered.
    struct PeerCommand {
        std::chrono::milliseconds after;
        std::string line;
    };
    std::vector<PeerCommand> peer_commands;
    /// Re-offers of ours, each `after` the peer decoded its first frame; the peer answers.
    struct OurOffer {
        std::chrono::milliseconds after;
        rtc::OfferOptions options;
    };
    std::vector<OurOffer> our_offers;
};

/// A peer driver's command line without --role, --connect, --duration and --timeout.
std::vector<std::string> aiortc_peer(Codec video, std::vector<std::string> extra = {});
std::vector<std::string> wrtc_peer(std::vector<std::string> extra = {});
std::vector<std::string> chromium_peer(Codec video, std::vector<std::string> extra = {});

/// What one call produced, on our side and as the peer reported it.
struct InteropResult {
    bool connected = false;
    bool failed = false;
    std::vector<std::string> states;
    std::chrono::milliseconds to_connected{-1};         ///< offer on the wire -> connected
    std::chrono::milliseconds to_peer_first_frame{-1};  ///< offer on the wire -> the peer decoded a frame
    int video_sent = 0;
    int audio_sent = 0;
    int video_decoded = 0;
    std::string resolution;
    int audio_decoded = 0;
    std::optional<double> audio_dbfs;
    MsSummary latency;                          ///< stamp age of what we decoded
    std::vector<std::string> local_candidates;  ///< ours, as gathered
    /// One renegotiation the peer reported done ("renegotiated"), with both sides' counts then.
    struct Renegotiation {
        std::string command;  ///< "hold", "resume", "renegotiate"
        bool ice_restart = false;
        int peer_frames = 0;                ///< video frames the peer decoded so far
        int peer_frames_by_libwebrtc = -1;  ///< the same from libwebrtc's stats, when the peer has them
        int our_frames = 0;                 ///< video frames we decoded so far
        int our_video_sent = 0;
        std::string peer_ufrag;       ///< the peer's ice-ufrag in its new offer
        std::string our_ufrag;        ///< ours in our answer, as the peer saw it
        std::string peer_directions;  ///< its transceivers' currentDirection
    };
    std::vector<Renegotiation> renegotiations;
    std::vector<std::string> renegotiation_errors;  ///< re-offers we refused or could not answer
    int our_offers_answered = 0;                    ///< our_offers whose answer we took
    int remote_candidates = 0;                      ///< trickled to us and applied
    int remote_candidates_after_description = 0;
    bool remote_end_of_candidates = false;
    rtc::PeerConnection::Stats stats;
    bool got_report = false;
    rapidjson::Document report;  ///< the peer's last line
    ProcessResult process;

    int peer_int(const char* key) const;
    std::optional<double> peer_double(const char* key) const;
    /// One paragraph for the test log: our side and the peer's.
    std::string describe(const std::string& peer_name) const;
};

/// Runs one call to the end and returns what happened.
InteropResult run_interop_call(const std::vector<std::string>& peer_argv, const InteropOptions& options);

/// Setup times of a call between two peer processes (no Switchboard), measured the way
/// run_interop_call() measures ours: from the offer on the wire to the offerer's
/// "connected", and to the answerer's first decoded frame.
struct PeerPairTimes {
    std::chrono::milliseconds to_connected{-1};
    std::chrono::milliseconds to_answerer_first_frame{-1};
    std::string failure;  ///< empty on success
};
/// The harness relays the two peers' signalling; each gets --role and --connect.
PeerPairTimes run_peer_pair(const std::vector<std::string>& offerer_argv, const std::vector<std::string>& answerer_argv,
                            int seconds, std::chrono::seconds timeout = std::chrono::seconds(30));

}  // namespace switchboard::test
