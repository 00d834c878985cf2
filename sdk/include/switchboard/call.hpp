/// \file call.hpp
/// \brief The seam between a signalling node and the media of a call (architecture.md §6).
///
/// A signalling node (WHEP, Matrix, SIP) owns its protocol; the host owns the media: the
/// WebRTC peer connection (ICE, DTLS-SRTP, RTP) and the call's place in the graph. The
/// node asks NodeContext::calls() for a Call, hands it the far side's session
/// descriptions and candidates, and receives ours through CallEvents. It never sees ICE,
/// DTLS or RTP.
///
/// Media. A call sends what reaches some of the signalling node's own input ports
/// (CallMedia::send_*): once SDP settles, the host links the call to whatever feeds that
/// input, passing frames through untouched when the far side accepts their codec, and
/// otherwise through a converter chain that every call wanting the same codec from the
/// same source shares (one encoder, however many viewers). What the far side sends
/// comes out of the signalling node's output ports (CallMedia::receive_*), restricted
/// to the formats the links from those ports settled on.
///
/// Threads. Every Call method may be called from the node's io_executor() only, and
/// every completion handler and CallEvents callback runs there, never inside a Call
/// method. Destroying the Call hangs up (reason "hangup") and no callback runs after.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <switchboard/abi.hpp>
#include <switchboard/errors.hpp>
#include <switchboard/node.hpp>

namespace switchboard {

/// The generic call states the core and the control API show. A Call (the media) goes
/// connecting → connected → ended; ringing is a station's (station.hpp): the far side
/// has been invited, or an invitation waits for an answer.
enum class CallState { ringing, connecting, connected, ended };

inline const char* to_string(CallState s) noexcept {
    switch (s) {
        case CallState::ringing:
            return "ringing";
        case CallState::connecting:
            return "connecting";
        case CallState::connected:
            return "connected";
        case CallState::ended:
            return "ended";
    }
    return "?";
}

/// Which of the signalling node's ports the call's media comes from and goes to.
struct CallMedia {
    /// Inputs of the signalling node whose upstream the call sends from.
    std::optional<PortIndex> send_video;
    std::optional<PortIndex> send_audio;
    /// Outputs of the signalling node that carry what the far side sends.
    std::optional<PortIndex> receive_video;
    std::optional<PortIndex> receive_audio;
};

/// A STUN or TURN server a signalling protocol handed out for one call (an
/// RTCIceServer: Matrix's /voip/turnServer, a SIP provider's TURN). Used besides the
/// host's configured /rtc servers.
struct IceServer {
    /// "stun:host[:port]", "turn:host[:port][?transport=udp|tcp]"; others are skipped
    /// with a log line.
    std::vector<std::string> urls;
    std::string username;
    std::string password;  ///< a secret: never logged
};

struct CallOptions {
    /// Short and unique within the process; it prefixes every log line of the call.
    std::string id;
    CallMedia media;
    /// Hold the answer (or offer) until every local candidate is in it, for a far side
    /// that cannot trickle (WHEP and WHIP clients, SIP). Otherwise candidates also
    /// arrive one by one through CallEvents::on_local_candidate.
    bool complete_gathering = false;
    /// The longest complete_gathering waits; then the description goes out with what
    /// there is, and later candidates still arrive through on_local_candidate. Matrix
    /// waits ~200 ms (matrix-voip.md §1.11) so loopback and LAN candidates ride in the SDP.
    std::chrono::milliseconds gathering_limit{5000};
    std::vector<IceServer> ice_servers;
};

struct CallEvents {
    /// A local ICE candidate ("candidate:..." without "a=") for the media section `mid`.
    std::function<void(const std::string& candidate, const std::string& mid)> on_local_candidate;
    /// No more local candidates.
    std::function<void()> on_gathering_done;
    /// The call moved on; `reason` says why it ended ("hangup", "ice failed",
    /// "dtls: fingerprint mismatch", ...).
    std::function<void(CallState state, const std::string& reason)> on_state;
};

/// One call's media, implemented by the host.
class SWITCHBOARD_INTERFACE Call {
public:
    /// A description, or an error saying why there is none.
    using DescriptionHandler = std::function<void(Result<std::string> sdp)>;

    virtual ~Call() = default;

    virtual const std::string& id() const noexcept = 0;

    /// Takes the far side's offer and produces our answer. A malformed offer, or one
    /// with nothing we can carry, gives Error::invalid and ends the call with that reason.
    /// Once the call has settled, a new offer renegotiates it (hold and resume, ICE
    /// restart: Matrix's m.call.negotiate); one that would change the session (other
    /// m-sections, another fingerprint) is refused with Error::invalid and the call goes
    /// on as it was. offer() and accept_answer() renegotiate the same way.
    virtual void answer(std::string offer, DescriptionHandler done) noexcept = 0;
    /// Produces our offer; the far side's answer goes to accept_answer().
    virtual void offer(DescriptionHandler done) noexcept = 0;
    /// The far side's answer to our offer; done(sdp) echoes it back on success.
    virtual void accept_answer(std::string answer, DescriptionHandler done) noexcept = 0;
    /// A trickled candidate of the far side ("candidate:..." or "a=candidate:..."); an
    /// empty line means end-of-candidates. Bad syntax is logged and ignored, as JSEP asks.
    virtual void add_remote_candidate(std::string candidate) noexcept = 0;
    /// Ends the call; on_state(ended, reason) follows.
    virtual void hang_up(std::string reason) noexcept = 0;

    virtual CallState state() const noexcept = 0;
};

/// Makes calls for a signalling node. Implemented by the host.
class SWITCHBOARD_INTERFACE CallHost {
public:
    virtual ~CallHost() = default;
    /// Error::invalid when a port in `options.media` is not one of the node's ports of
    /// that kind, Error::unavailable when the host runs without WebRTC support.
    virtual Result<std::unique_ptr<Call>> create_call(CallOptions options, CallEvents events) noexcept = 0;
};

}  // namespace switchboard
