/// \file call_leg.hpp
/// \brief One legacy Matrix call (one call_id in one room) between the station and one
/// far party: the state machine of matrix-voip.md §1.9 around the media of a
/// switchboard::Call.
///
/// Outgoing: the offer goes out as m.call.invite (with the candidates found in ~200 ms);
/// the first m.call.answer wins and gets m.call.select_answer; a reject or an unanswered
/// `invite_timeout` ends it. Incoming: the invite's offer is answered at once (the
/// station decided it may be). Both: trickled candidates go out in batches within the
/// homeserver's rate limit, with one end-of-candidates marker; remote candidates that
/// arrive before their description was applied are buffered; m.call.negotiate offers
/// (hold, ICE restart) are answered; hangups carry a reason from the spec's list, with
/// the call's own version and party_id. Runs on the io executor only.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <switchboard/call.hpp>
#include <switchboard/log.hpp>

#include "matrix/call_events/call_event.hpp"
#include "matrix/call_events/call_event_builder.hpp"
#include "matrix/call_events/candidate_batcher.hpp"
#include "matrix_client/event_sender.hpp"

namespace switchboard::matrix {

class CallLeg;

/// What a leg needs from its station.
class LegHost {
public:
    virtual ~LegHost() = default;
    virtual const std::string& own_user_id() const = 0;
    /// Queues an m.call.* event in the leg's room. `counted`: the rate limit already holds
    /// it (a candidate batch, which the batcher recorded).
    virtual void send_call_event(const std::string& room_id, const std::string& type, std::string content,
                                 SendHandler done, bool counted = false) = 0;
    /// The media of a new call.
    virtual switchboard::Result<std::unique_ptr<switchboard::Call>> create_media(const std::string& id,
                                                                                 CallEvents events) = 0;
    /// The account's rate limit (shared by every leg).
    virtual RateLimit& rate_limit() = 0;
    /// The leg's state changed (rang, was answered, connected, ended).
    virtual void leg_changed(CallLeg& leg) = 0;
};

enum class LegState { preparing, ringing, connecting, connected, ended };
const char* to_string(LegState state) noexcept;

class CallLeg : public std::enable_shared_from_this<CallLeg> {
public:
    enum class Direction { outgoing, incoming };

    /// The far party once chosen (§2.5): for v0 its party_id is ignored.
    struct Opponent {
        std::string user_id;
        std::optional<std::string> party_id;
        bool v0 = false;
    };

    CallLeg(LegHost& host, boost::asio::any_io_executor io, std::shared_ptr<Logger> log, Direction direction,
            std::string room_id, OwnCallParty party);
    ~CallLeg();
    CallLeg(const CallLeg&) = delete;
    CallLeg& operator=(const CallLeg&) = delete;

    /// Outgoing: makes the offer and sends the invite to `invitee` (empty: anyone in the
    /// room may answer).
    void place(std::string invitee, std::int64_t lifetime_ms, std::chrono::milliseconds invite_timeout);
    /// Incoming: takes the invite (its sender becomes the opponent) and answers it.
    /// `early` holds candidates of this call that arrived before the invite.
    void take(const std::string& sender, const CallInvite& invite,
              std::vector<std::pair<std::string, CallCandidates>> early);
    /// Any later event of this call from someone other than us.
    void on_event(const std::string& sender, const CallEvent& event);
    /// Ends the call from our side: hangup (reject before an incoming answer) with
    /// `reason`, or nothing when no invite went out yet.
    void hang_up(HangupReason reason);
    /// Ends our leg without a word (answered elsewhere, a lost glare).
    void end_silently(const std::string& why);

    LegState state() const noexcept { return m_state; }
    Direction direction() const noexcept { return m_direction; }
    const std::string& call_id() const noexcept { return m_party.call_id; }
    const std::string& room_id() const noexcept { return m_room_id; }
    const OwnCallParty& party() const noexcept { return m_party; }
    /// The invitee (outgoing) or the caller (incoming); the answerer once answered.
    const std::string& peer() const noexcept { return m_peer; }
    /// Why it ended (the hangup reason sent or received, or a local cause).
    const std::string& end_reason() const noexcept { return m_end_reason; }
    /// The invite went out (outgoing) / the answer went out (incoming).
    bool description_sent() const noexcept { return m_description_sent; }

private:
    using Clock = std::chrono::steady_clock;

    bool create_media();
    void described(std::string sdp);
    void send_description(const std::string& sdp);
    void on_answer(const std::string& sender, const CallAnswer& answer);
    void on_candidates(const std::string& sender, const CallCandidates& candidates);
    void on_negotiate(const std::string& sender, const CallNegotiate& negotiate);
    void on_select_answer(const std::string& sender, const CallSelectAnswer& select);
    void on_remote_end(const std::string& sender, const std::string& type, const std::string& reason,
                       const CallCommon& common);
    bool from_opponent(const std::string& sender, const CallCommon& common) const;
    void apply_candidates(const std::vector<Candidate>& candidates);
    void apply_buffered();

    void local_candidate(const std::string& candidate, const std::string& mid);
    void gathering_done();
    void schedule_flush();
    void flush();

    void media_state(CallState state, const std::string& reason);
    void set_state(LegState state);
    void finish(std::string reason);
    void send(const char* type, Result<std::string> content, bool counted = false);

    LegHost& m_host;
    boost::asio::any_io_executor m_io;
    std::shared_ptr<Logger> m_log;
    Direction m_direction;
    std::string m_room_id;
    OwnCallParty m_party;
    std::string m_peer;
    std::string m_invitee;
    LegState m_state = LegState::preparing;
    std::string m_end_reason;

    std::unique_ptr<switchboard::Call> m_call;
    std::optional<Opponent> m_opponent;
    bool m_description_sent = false;
    bool m_remote_description = false;  ///< the far side's description is applied
    bool m_was_connected = false;
    bool m_negotiating = false;

    CandidateBatcher m_batcher;
    std::vector<Candidate> m_early_local;  ///< gathered before our description was made
    bool m_gathered_early = false;
    std::map<std::string, std::uint32_t> m_mline_of_mid;
    /// Remote candidates waiting for the opponent or the remote description, by
    /// "user|party_id".
    std::map<std::string, std::vector<Candidate>> m_remote_buffer;

    /// The invite's timeout, then the wait for the far side's hangup after media ended.
    boost::asio::steady_timer m_deadline;
    boost::asio::steady_timer m_flush_timer;
    std::optional<Clock::time_point> m_flush_at;
};

}  // namespace switchboard::matrix
