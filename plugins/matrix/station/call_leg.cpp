// One Matrix call leg; see call_leg.hpp.
#include "matrix/station/call_leg.hpp"

#include <algorithm>
#include <sstream>

#include <boost/asio/post.hpp>

namespace switchboard::matrix {

namespace {

/// How long our description waits for candidates before it goes out (§1.11: ≈200 ms),
/// so host and LAN candidates ride in the SDP and the call needs no trickle round trip.
constexpr std::chrono::milliseconds kGatheringWait{200};
/// How long a call whose media ended waits for the far side's hangup before sending its own.
constexpr std::chrono::milliseconds kHangupGrace{3000};
/// Remote candidates kept for a party we have not chosen yet.
constexpr std::size_t kMaxBufferedCandidates = 256;

std::map<std::string, std::uint32_t> mlines_by_mid(const std::string& sdp) {
    std::map<std::string, std::uint32_t> out;
    std::istringstream lines(sdp);
    std::string line;
    int index = -1;
    while (std::getline(lines, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.rfind("m=", 0) == 0) ++index;
        if (index >= 0 && line.rfind("a=mid:", 0) == 0) out[line.substr(6)] = std::uint32_t(index);
    }
    return out;
}

std::string buffer_key(const std::string& user, const std::optional<std::string>& party) {
    return user + "|" + party.value_or("");
}

}  // namespace

const char* to_string(LegState state) noexcept {
    switch (state) {
        case LegState::preparing:
            return "preparing";
        case LegState::ringing:
            return "ringing";
        case LegState::connecting:
            return "connecting";
        case LegState::connected:
            return "connected";
        case LegState::ended:
            return "ended";
    }
    return "?";
}

CallLeg::CallLeg(LegHost& host, boost::asio::any_io_executor io, std::shared_ptr<Logger> log, Direction direction,
                 std::string room_id, OwnCallParty party)
    : m_host(host),
      m_io(io),
      m_log(std::move(log)),
      m_direction(direction),
      m_room_id(std::move(room_id)),
      m_party(std::move(party)),
      m_batcher(direction == Direction::outgoing ? CandidateBatcher::caller() : CandidateBatcher::callee()),
      m_deadline(io),
      m_flush_timer(io) {}

CallLeg::~CallLeg() {
    m_deadline.cancel();
    m_flush_timer.cancel();
}

bool CallLeg::create_media() {
    std::weak_ptr<CallLeg> weak = weak_from_this();
    CallEvents events;
    events.on_local_candidate = [weak](const std::string& candidate, const std::string& mid) {
        if (auto self = weak.lock()) self->local_candidate(candidate, mid);
    };
    events.on_gathering_done = [weak] {
        if (auto self = weak.lock()) self->gathering_done();
    };
    events.on_state = [weak](CallState state, const std::string& reason) {
        if (auto self = weak.lock()) self->media_state(state, reason);
    };
    auto call = m_host.create_media(m_party.call_id, std::move(events));
    if (!call) {
        SWITCHBOARD_LOG(*m_log, error, "call " << m_party.call_id << ": no media: " << call.error().message);
        return false;
    }
    m_call = std::move(call.value());
    return true;
}

// --- outgoing ----------------------------------------------------------------------

void CallLeg::place(std::string invitee, std::int64_t lifetime_ms, std::chrono::milliseconds invite_timeout) {
    m_invitee = std::move(invitee);
    m_peer = m_invitee.empty() ? m_room_id : m_invitee;
    if (!create_media()) return finish("user_media_failed");
    m_call->offer([weak = weak_from_this(), lifetime_ms, invite_timeout](switchboard::Result<std::string> sdp) {
        auto self = weak.lock();
        if (!self || self->m_state == LegState::ended) return;
        if (!sdp) {
            SWITCHBOARD_LOG(*self->m_log, error, "call " << self->call_id() << ": no offer: " << sdp.error().message);
            return self->finish("user_media_failed");
        }
        InviteParams params;
        params.offer_sdp = sdp.value();
        params.lifetime_ms = lifetime_ms;
        params.invitee = self->m_invitee;
        auto content = build_invite(self->m_party, params);
        if (!content) {
            SWITCHBOARD_LOG(*self->m_log, error, "call " << self->call_id() << ": " << content.error().to_string());
            return self->finish("unknown_error");
        }
        self->described(sdp.value());
        self->m_host.send_call_event(
            self->m_room_id, "m.call.invite", std::move(content.value()), [weak](Result<SendOutcome> sent) {
                auto self = weak.lock();
                if (!self || self->m_state == LegState::ended) return;
                if (!sent) {
                    SWITCHBOARD_LOG(
                        *self->m_log, error,
                        "call " << self->call_id() << ": the invite was not sent: " << sent.error().to_string());
                    return self->finish("unknown_error");
                }
                SWITCHBOARD_LOG(*self->m_log, info,
                                "call " << self->call_id() << ": ringing " << self->m_peer << " in " << self->m_room_id
                                        << " (" << sent.value().event_id << ")");
                if (self->m_state == LegState::preparing) self->set_state(LegState::ringing);
            });
        self->m_deadline.expires_after(invite_timeout);
        self->m_deadline.async_wait([weak](boost::system::error_code ec) {
            auto self = weak.lock();
            if (ec || !self) return;
            if (self->m_state == LegState::preparing || self->m_state == LegState::ringing) {
                SWITCHBOARD_LOG(*self->m_log, info, "call " << self->call_id() << ": nobody answered");
                self->hang_up(HangupReason::invite_timeout);
            }
        });
    });
}

void CallLeg::on_answer(const std::string& sender, const CallAnswer& answer) {
    if (m_direction != Direction::outgoing || m_opponent || m_state == LegState::ended) return;  // first one wins
    if (!m_invitee.empty() && sender != m_invitee) {
        SWITCHBOARD_LOG(
            *m_log, warn,
            "call " << call_id() << ": ignoring an answer from " << sender << ", not the invitee " << m_invitee);
        return;
    }
    m_opponent = Opponent{sender, answer.version.is_v0() ? std::nullopt : answer.party_id, answer.version.is_v0()};
    m_peer = sender;
    m_deadline.cancel();
    set_state(LegState::connecting);
    SWITCHBOARD_LOG(*m_log, info,
                    "call " << call_id() << ": answered by " << sender << " (party " << answer.party_id.value_or("-")
                            << ", version " << answer.version.raw() << ")");
    if (!m_call) return finish("user_media_failed");
    m_call->accept_answer(answer.answer.sdp, [weak = weak_from_this(), v0 = answer.version.is_v0(),
                                              party = answer.party_id](switchboard::Result<std::string> applied) {
        auto self = weak.lock();
        if (!self || self->m_state == LegState::ended) return;
        if (!applied) {
            SWITCHBOARD_LOG(*self->m_log, warn,
                            "call " << self->call_id() << ": the answer cannot be used: " << applied.error().message);
            return self->hang_up(HangupReason::unknown_error);
        }
        self->m_remote_description = true;
        // §0 item 12: a v1 answer gets select_answer, naming the party that won.
        if (!v0 && party && self->m_party.protocol == CallProtocol::v1)
            self->send("m.call.select_answer", build_select_answer(self->m_party, *party));
        self->apply_buffered();
    });
}

// --- incoming ----------------------------------------------------------------------

void CallLeg::take(const std::string& sender, const CallInvite& invite,
                   std::vector<std::pair<std::string, CallCandidates>> early) {
    m_opponent = Opponent{sender, invite.version.is_v0() ? std::nullopt : invite.party_id, invite.version.is_v0()};
    m_peer = sender;
    set_state(LegState::ringing);
    for (auto& [from, candidates] : early) on_candidates(from, candidates);
    if (!create_media()) return hang_up(HangupReason::user_media_failed);
    SWITCHBOARD_LOG(*m_log, info,
                    "call " << call_id() << ": answering " << sender << " in " << m_room_id << " (version "
                            << invite.version.raw() << ", party " << invite.party_id.value_or("-") << ")");
    m_call->answer(invite.offer.sdp, [weak = weak_from_this()](switchboard::Result<std::string> sdp) {
        auto self = weak.lock();
        if (!self || self->m_state == LegState::ended) return;
        if (!sdp) {
            // A caller whose offer we cannot take must stop ringing at once: reject (v1)
            // ends its call; a hangup would be ignored before an answer (§2.9, #2393).
            SWITCHBOARD_LOG(*self->m_log, warn,
                            "call " << self->call_id() << ": cannot answer the offer: " << sdp.error().message);
            return self->hang_up(HangupReason::unknown_error);
        }
        self->m_remote_description = true;
        auto content = build_answer(self->m_party, sdp.value());
        if (!content) {
            SWITCHBOARD_LOG(*self->m_log, error, "call " << self->call_id() << ": " << content.error().to_string());
            return self->hang_up(HangupReason::unknown_error);
        }
        self->described(sdp.value());
        self->set_state(LegState::connecting);
        self->m_host.send_call_event(
            self->m_room_id, "m.call.answer", std::move(content.value()), [weak](Result<SendOutcome> sent) {
                auto self = weak.lock();
                if (!self || self->m_state == LegState::ended || sent) return;
                SWITCHBOARD_LOG(
                    *self->m_log, error,
                    "call " << self->call_id() << ": the answer was not sent: " << sent.error().to_string());
                self->finish("unknown_error");
            });
        self->apply_buffered();
    });
}

void CallLeg::on_select_answer(const std::string& sender, const CallSelectAnswer& select) {
    if (m_direction != Direction::incoming || !from_opponent(sender, select)) return;
    if (select.selected_party_id != m_party.party_id) {
        SWITCHBOARD_LOG(*m_log, info,
                        "call " << call_id() << ": answered elsewhere (party " << select.selected_party_id << ")");
        end_silently("answered_elsewhere");
    }
}

// --- both --------------------------------------------------------------------------

void CallLeg::described(std::string sdp) {
    m_mline_of_mid = mlines_by_mid(sdp);
    m_description_sent = true;
    // The sender queue keeps order: candidates queued from now on follow the description.
    const auto now = Clock::now();
    m_batcher.description_sent(now);
    for (auto& c : std::exchange(m_early_local, {}))
        if (sdp.find(c.candidate) == std::string::npos) m_batcher.add(std::move(c), now);
    if (m_gathered_early) m_batcher.gathering_complete(now);
    schedule_flush();
}

void CallLeg::on_event(const std::string& sender, const CallEvent& event) {
    if (m_state == LegState::ended) return;
    std::visit(
        [&](const auto& e) {
            using T = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<T, CallAnswer>) {
                on_answer(sender, e);
            } else if constexpr (std::is_same_v<T, CallCandidates>) {
                on_candidates(sender, e);
            } else if constexpr (std::is_same_v<T, CallNegotiate>) {
                on_negotiate(sender, e);
            } else if constexpr (std::is_same_v<T, CallSelectAnswer>) {
                on_select_answer(sender, e);
            } else if constexpr (std::is_same_v<T, CallReject>) {
                on_remote_end(sender, "m.call.reject", e.reason.value_or("user_hangup"), e);
            } else if constexpr (std::is_same_v<T, CallHangup>) {
                on_remote_end(sender, "m.call.hangup", e.reason, e);
            } else {
                SWITCHBOARD_LOG(*m_log, info, "call " << call_id() << ": ignoring a second invite from " << sender);
            }
        },
        event);
}

bool CallLeg::from_opponent(const std::string& sender, const CallCommon& common) const {
    if (!m_opponent || sender != m_opponent->user_id) return false;
    if (m_opponent->v0) return true;  // a v0 opponent's party_id is not compared (§2.5)
    return common.version.is_v0() ? !m_opponent->party_id : common.party_id == m_opponent->party_id;
}

void CallLeg::on_candidates(const std::string& sender, const CallCandidates& candidates) {
    if (m_opponent && !from_opponent(sender, candidates)) {
        SWITCHBOARD_LOG(*m_log, debug, "call " << call_id() << ": candidates from another party ignored");
        return;
    }
    if (!m_opponent || !m_remote_description) {
        // §0 item 10: kept per (sender, party) until the answer chooses one and is applied.
        auto& buffer = m_remote_buffer[buffer_key(sender, candidates.party_id)];
        for (const auto& c : candidates.candidates)
            if (buffer.size() < kMaxBufferedCandidates) buffer.push_back(c);
        return;
    }
    apply_candidates(candidates.candidates);
}

void CallLeg::apply_candidates(const std::vector<Candidate>& candidates) {
    if (!m_call) return;
    for (const auto& c : candidates) m_call->add_remote_candidate(c.candidate);
}

void CallLeg::apply_buffered() {
    if (!m_opponent) return;
    auto it =
        m_remote_buffer.find(buffer_key(m_opponent->user_id, m_opponent->v0 ? std::nullopt : m_opponent->party_id));
    if (m_opponent->v0) {  // v0 candidates may carry any party_id: take every buffer of that user
        for (auto& [key, list] : m_remote_buffer)
            if (key.rfind(m_opponent->user_id + "|", 0) == 0) apply_candidates(list);
    } else if (it != m_remote_buffer.end()) {
        apply_candidates(it->second);
    }
    m_remote_buffer.clear();
}

void CallLeg::on_negotiate(const std::string& sender, const CallNegotiate& negotiate) {
    if (!from_opponent(sender, negotiate) || !m_call) return;
    if (negotiate.description.type != "offer") {
        SWITCHBOARD_LOG(*m_log, info, "call " << call_id() << ": ignoring a negotiate answer (we sent no offer)");
        return;
    }
    SWITCHBOARD_LOG(*m_log, info, "call " << call_id() << ": renegotiation offered by " << sender);
    m_call->answer(negotiate.description.sdp, [weak = weak_from_this()](switchboard::Result<std::string> sdp) {
        auto self = weak.lock();
        if (!self || self->m_state == LegState::ended) return;
        if (!sdp) {
            // The call goes on as it was; the far side may hang up or try again.
            SWITCHBOARD_LOG(*self->m_log, warn,
                            "call " << self->call_id() << ": renegotiation refused: " << sdp.error().message);
            return;
        }
        self->send("m.call.negotiate", build_negotiate(self->m_party, "answer", sdp.value()));
    });
}

void CallLeg::on_remote_end(const std::string& sender, const std::string& type, const std::string& reason,
                            const CallCommon& common) {
    const bool rejecting = type == "m.call.reject";
    if (m_direction == Direction::outgoing && !m_opponent) {
        // Before an answer: the invitee (or, without one, anyone else) declines or cancels.
        if (!m_invitee.empty() && sender != m_invitee) return;
    } else if (rejecting || !from_opponent(sender, common)) {
        return;  // a reject after the answer, or someone else's hangup
    }
    SWITCHBOARD_LOG(*m_log, info,
                    "call " << call_id() << ": " << (rejecting ? "rejected" : "hung up") << " by " << sender << " ("
                            << reason << ")");
    finish(reason);
}

void CallLeg::hang_up(HangupReason reason) {
    if (m_state == LegState::ended) return;
    if (m_direction == Direction::outgoing && !m_description_sent) return finish(std::string(to_string(reason)));
    // Declining an incoming v1 call before our answer went out is a reject (§0 item 14).
    if (m_direction == Direction::incoming && !m_description_sent && m_party.protocol == CallProtocol::v1) {
        send("m.call.reject",
             build_reject(m_party,
                          reason == HangupReason::user_busy ? std::optional<HangupReason>(reason) : std::nullopt));
    } else {
        send("m.call.hangup", build_hangup(m_party, reason));
    }
    SWITCHBOARD_LOG(*m_log, info, "call " << call_id() << ": hanging up (" << to_string(reason) << ")");
    finish(std::string(to_string(reason)));
}

void CallLeg::end_silently(const std::string& why) {
    if (m_state == LegState::ended) return;
    finish(why);
}

// --- local candidates ----------------------------------------------------------------

void CallLeg::local_candidate(const std::string& candidate, const std::string& mid) {
    if (m_state == LegState::ended) return;
    Candidate c;
    c.candidate = candidate;
    c.sdp_mid = mid;
    if (auto it = m_mline_of_mid.find(mid); it != m_mline_of_mid.end()) c.sdp_mline_index = it->second;
    if (!m_description_sent) {
        m_early_local.push_back(std::move(c));
        return;
    }
    if (!c.sdp_mline_index) c.sdp_mline_index = 0;  // BUNDLE: everything rides the first section
    m_batcher.add(std::move(c), Clock::now());
    schedule_flush();
}

void CallLeg::gathering_done() {
    if (m_state == LegState::ended) return;
    if (!m_description_sent) {
        m_gathered_early = true;
        return;
    }
    m_batcher.gathering_complete(Clock::now());
    schedule_flush();
}

void CallLeg::schedule_flush() {
    if (m_state == LegState::ended) return;
    auto at = m_batcher.next_flush(m_host.rate_limit());
    if (!at) return;
    if (m_flush_at && *m_flush_at <= *at) return;  // an earlier flush is armed
    m_flush_at = at;
    m_flush_timer.expires_at(*at);
    m_flush_timer.async_wait([weak = weak_from_this()](boost::system::error_code ec) {
        auto self = weak.lock();
        if (ec || !self) return;
        self->m_flush_at.reset();
        self->flush();
    });
}

void CallLeg::flush() {
    if (m_state == LegState::ended) return;
    auto batch = m_batcher.take_due(Clock::now(), m_host.rate_limit());
    if (!batch.empty()) send("m.call.candidates", build_candidates(m_party, batch), true);
    schedule_flush();
}

// --- media and endings ---------------------------------------------------------------

void CallLeg::media_state(CallState state, const std::string& reason) {
    if (m_state == LegState::ended) return;
    if (state == CallState::connected) {
        m_was_connected = true;
        SWITCHBOARD_LOG(*m_log, info, "call " << call_id() << ": media connected");
        set_state(LegState::connected);
    } else if (state == CallState::ended) {
        // A far side that hangs up closes DTLS at once, and its m.call.hangup reaches us a
        // sync later: wait for it a moment, so the call ends with the reason it sent.
        SWITCHBOARD_LOG(*m_log, info, "call " << call_id() << ": media ended: " << reason);
        m_call.reset();
        const auto why = m_was_connected ? HangupReason::ice_timeout : HangupReason::ice_failed;
        m_deadline.expires_after(kHangupGrace);
        m_deadline.async_wait([weak = weak_from_this(), why](boost::system::error_code ec) {
            if (auto self = weak.lock(); self && !ec) self->hang_up(why);
        });
    }
}

void CallLeg::set_state(LegState state) {
    if (m_state == state || m_state == LegState::ended) return;
    m_state = state;
    m_host.leg_changed(*this);
}

void CallLeg::finish(std::string reason) {
    if (m_state == LegState::ended) return;
    m_end_reason = std::move(reason);
    m_deadline.cancel();
    m_flush_timer.cancel();
    // Our own ending: the media goes quietly (its on_state must not send a second hangup).
    m_state = LegState::ended;
    if (m_call) {
        m_call->hang_up(m_end_reason);
        m_call.reset();
    }
    SWITCHBOARD_LOG(*m_log, info, "call " << call_id() << ": ended (" << m_end_reason << ")");
    m_host.leg_changed(*this);
}

void CallLeg::send(const char* type, Result<std::string> content, bool counted) {
    if (!content) {
        SWITCHBOARD_LOG(*m_log, error,
                        "call " << call_id() << ": not sending " << type << ": " << content.error().to_string());
        return;
    }
    m_host.send_call_event(
        m_room_id, type, std::move(content.value()),
        [log = m_log, id = call_id(), type = std::string(type)](Result<SendOutcome> sent) {
            if (!sent)
                SWITCHBOARD_LOG(*log, warn, "call " << id << ": " << type << " not sent: " << sent.error().to_string());
        },
        counted);
}

}  // namespace switchboard::matrix
