// The Matrix side of a call station; see station.hpp.
#include "matrix/station/station.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>

#include <rapidjson/document.h>
#include <boost/asio/post.hpp>

#include "matrix_client/json_util.hpp"
#include "matrix_client/rooms.hpp"
#include "matrix_client/txn_ids.hpp"

namespace switchboard::matrix {

namespace {

using namespace std::chrono_literals;

/// js-sdk rings only when at least this much of an invite's lifetime is left (§0 item 6).
constexpr std::int64_t kMinRemainingLifetimeMs = 3000;
/// Ended calls kept for GET /calls.
constexpr std::size_t kEndedRecordsKept = 20;
/// Calls whose candidates arrived before their invite.
constexpr std::size_t kMaxOrphanCalls = 16;

std::int64_t unix_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

/// A Client-Server API error as the control API reports it.
switchboard::Error to_station_error(const Error& e, const std::string& what) {
    const std::string message = what + ": " + e.to_string();
    if (e.status == 404) return switchboard::Error::not_found(message);
    if (e.status == 403 || e.status == 400) return switchboard::Error::invalid(message);
    return switchboard::Error::unavailable(message);
}

template <class Handler, class Value>
void post_result(const boost::asio::any_io_executor& io, Handler handler, Value value) {
    if (!handler) return;
    boost::asio::post(
        io, [handler = std::move(handler), value = std::move(value)]() mutable { handler(std::move(value)); });
}

CallState to_call_state(LegState state) {
    switch (state) {
        case LegState::preparing:
        case LegState::ringing:
            return CallState::ringing;
        case LegState::connecting:
            return CallState::connecting;
        case LegState::connected:
            return CallState::connected;
        case LegState::ended:
            return CallState::ended;
    }
    return CallState::ended;
}

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) out += (out.empty() ? "" : ",") + item;
    return out;
}

}  // namespace

MatrixStation::MatrixStation(NodeContext& context, StationSettings settings, CallMedia media,
                             std::shared_ptr<Logger> log)
    : m_ctx(context),
      m_settings(std::move(settings)),
      m_media(media),
      m_log(std::move(log)),
      m_io(context.io_executor()),
      m_store(std::filesystem::path(context.state_dir()) / "matrix_calls.json"),
      m_rate_limit(m_settings.rate_limit),
      m_turn_timer(m_io) {}

MatrixStation::~MatrixStation() {
    stop();
}

switchboard::Result<void> MatrixStation::start() {
    const std::string state_dir = m_ctx.state_dir();
    if (state_dir.empty())
        return switchboard::Error::invalid(
            std::string(m_ctx.name()) +
            ": a Matrix station needs the config's /state_dir, where it keeps its device, its sync position and "
            "its open calls across restarts");
    m_settings.client.state_dir = state_dir;
    if (auto loaded = m_store.load(); !loaded)
        return switchboard::Error::unavailable(std::string(m_ctx.name()) + ": " + loaded.error().to_string());
    auto client = Client::create(m_io, m_settings.client, m_log);
    if (!client) return switchboard::Error::invalid(std::string(m_ctx.name()) + ": " + client.error().to_string());
    m_client = std::move(client.value());
    std::weak_ptr<MatrixStation> weak = shared_from_this();
    m_client->start(
        [weak](Result<SessionState> ready) {
            if (auto self = weak.lock()) self->on_ready(std::move(ready));
        },
        [weak](const SyncBatch& batch) {
            if (auto self = weak.lock()) self->on_batch(batch);
        },
        [weak](const Error& error) {
            if (auto self = weak.lock()) {
                SWITCHBOARD_LOG(*self->m_log, error, "syncing stopped: " << error.to_string());
                self->m_ready = false;
            }
        });
    return {};
}

void MatrixStation::stop() {
    if (m_stopped) return;
    m_stopped = true;
    m_turn_timer.cancel();
    for (auto& [room, pending] : m_pending_joins) pending.timer->cancel();
    m_pending_joins.clear();
    // No hangup can go out now (the control loop has stopped): the calls stay in the
    // store and are hung up, with their party_id and version, at the next start.
    std::size_t open = 0;
    for (auto& [id, leg] : m_legs)
        if (leg->state() != LegState::ended) ++open;
    if (open) SWITCHBOARD_LOG(*m_log, info, open << " call(s) left open; they are hung up at the next start");
    m_legs.clear();
    for (auto& record : m_records) record.legs.clear(), record.winner.reset();
    if (m_client) m_client->stop();
}

std::string MatrixStation::party_id() const {
    // js-sdk uses the device id (§1.5); it is also stable across our restarts.
    const auto& device = m_client->session().device_id;
    return is_opaque_id(device) ? device : "sb" + random_hex(6);
}

// --- sign-in --------------------------------------------------------------------------

void MatrixStation::on_ready(Result<SessionState> result) {
    if (!result) {
        SWITCHBOARD_LOG(*m_log, error, "cannot sign in: " << result.error().to_string());
        return;
    }
    m_ready = true;
    SWITCHBOARD_LOG(*m_log, info,
                    "signed in as " << result.value().user_id << " (device " << result.value().device_id << ")");
    hang_up_stale_calls();
    fetch_turn();
}

void MatrixStation::hang_up_stale_calls() {
    for (const auto& stored : std::vector(m_store.active())) {  // a copy: entries leave as we go
        OwnCallParty party{stored.call_id, stored.protocol, stored.party_id};
        auto content = build_hangup(party, HangupReason::unknown_error);
        if (!content) {
            SWITCHBOARD_LOG(*m_log, warn, "call " << stored.call_id << ": " << content.error().to_string());
            (void)m_store.remove_active(stored.call_id);
            continue;
        }
        SWITCHBOARD_LOG(
            *m_log, info,
            "call " << stored.call_id << ": was open when the station stopped; hanging up in " << stored.room_id);
        send_call_event(
            stored.room_id, "m.call.hangup", std::move(content.value()),
            [weak = weak_from_this(), id = stored.call_id](Result<SendOutcome> sent) {
                auto self = weak.lock();
                if (!self) return;
                if (!sent)
                    SWITCHBOARD_LOG(*self->m_log, warn,
                                    "call " << id << ": hangup not sent: " << sent.error().to_string());
                (void)self->m_store.remove_active(id);
            },
            false);
    }
}

void MatrixStation::fetch_turn() {
    fetch_turn_server(m_client->api(), [weak = weak_from_this()](Result<TurnServer> turn) {
        auto self = weak.lock();
        if (!self || self->m_stopped) return;
        auto again = 300s;
        if (!turn) {
            SWITCHBOARD_LOG(*self->m_log, info, "no TURN from the homeserver: " << turn.error().to_string());
        } else if (turn.value().empty()) {
            self->m_ice_servers.clear();
        } else {
            self->m_ice_servers = {IceServer{turn.value().uris, turn.value().username, turn.value().password}};
            SWITCHBOARD_LOG(*self->m_log, info, "TURN from the homeserver: " << joined(turn.value().uris));
            if (turn.value().ttl.count() > 0) again = std::max<std::chrono::seconds>(60s, turn.value().ttl / 2);
        }
        self->m_turn_timer.expires_after(again);
        self->m_turn_timer.async_wait([weak = self->weak_from_this()](boost::system::error_code ec) {
            if (auto self = weak.lock(); self && !ec) self->fetch_turn();
        });
    });
}

// --- what the homeserver sends --------------------------------------------------------

void MatrixStation::on_batch(const SyncBatch& batch) {
    if (m_stopped) return;
    for (const auto& room : batch.unfilled_gaps)
        SWITCHBOARD_LOG(*m_log, warn,
                        "room " << room << ": events may be missing (a sync gap could not be paged back)");
    for (const auto& invite : batch.invited) {
        if (!allowed(invite.inviter)) {
            SWITCHBOARD_LOG(*m_log, info,
                            "not joining " << invite.room_id << ": invited by " << invite.inviter
                                           << ", who is not on the allow-list");
            continue;
        }
        join_room(m_client->api(), invite.room_id,
                  [weak = weak_from_this(), room = invite.room_id, by = invite.inviter](Result<std::string> joined) {
                      auto self = weak.lock();
                      if (!self) return;
                      if (joined)
                          SWITCHBOARD_LOG(*self->m_log, info, "joined " << room << " (invited by " << by << ")");
                      else
                          SWITCHBOARD_LOG(*self->m_log, warn,
                                          "cannot join " << room << ": " << joined.error().to_string());
                  });
    }
    // §2.3: an invite whose answer, hangup or reject is in the same batch never rings.
    std::set<std::string> ended_in_batch;
    for (const auto& event : batch.timeline)
        if (event.type == "m.call.answer" || event.type == "m.call.hangup" || event.type == "m.call.reject")
            if (auto id = json::string(event.content, "call_id")) ended_in_batch.insert(*id);
    std::size_t skipped = 0;
    for (const auto& event : batch.timeline) {
        if (batch.initial && is_call_event_type(event.type)) {
            // The first sync of this device is history: js-sdk starts handling calls after it too.
            ++skipped;
            continue;
        }
        on_room_event(event, ended_in_batch);
        if (m_stopped) return;
    }
    if (skipped) SWITCHBOARD_LOG(*m_log, info, "first sync: " << skipped << " call event(s) of the past left alone");
}

void MatrixStation::on_room_event(const RoomEvent& event, const std::set<std::string>& ended_in_batch) {
    if (event.type == "m.room.member") return on_member(event);
    if (event.sender == own_user_id()) return;  // our own echo (this account has one device)
    if (event.type == "m.room.encrypted") return on_encrypted(event);
    if (!is_call_event_type(event.type)) return;
    auto parsed = parse_call_event(event.type, event.content);
    if (!parsed) {
        SWITCHBOARD_LOG(*m_log, warn,
                        "room " << event.room_id << ": ignoring " << event.event_id << " from " << event.sender << ": "
                                << parsed.error().to_string());
        return;
    }
    on_call_event(event, parsed.value(), ended_in_batch);
}

void MatrixStation::on_call_event(const RoomEvent& event, const CallEvent& call_event,
                                  const std::set<std::string>& ended_in_batch) {
    const auto& common_fields = common(call_event);
    SWITCHBOARD_LOG(*m_log, info,
                    "call " << common_fields.call_id << ": " << event.type << " from " << event.sender << " in "
                            << event.room_id << " (" << event.event_id << ")");
    if (const auto* invite = std::get_if<CallInvite>(&call_event)) return on_invite(event, *invite, ended_in_batch);
    if (auto it = m_legs.find(common_fields.call_id); it != m_legs.end()) {
        if (it->second->room_id() != event.room_id) {
            SWITCHBOARD_LOG(*m_log, warn,
                            "call " << common_fields.call_id << ": ignoring " << event.type << " from another room");
            return;
        }
        auto leg = it->second;  // it may leave m_legs while handling
        leg->on_event(event.sender, call_event);
        return;
    }
    if (const auto* candidates = std::get_if<CallCandidates>(&call_event)) {
        if (m_store.handled(common_fields.call_id)) return;
        if (!m_orphan_candidates.count(common_fields.call_id) && m_orphan_candidates.size() >= kMaxOrphanCalls)
            m_orphan_candidates.erase(m_orphan_candidates.begin());
        m_orphan_candidates[common_fields.call_id].emplace_back(event.sender, *candidates);
        return;
    }
    if (std::holds_alternative<CallHangup>(call_event) || std::holds_alternative<CallReject>(call_event)) {
        // A later, older invite of this call (paged back) must not ring.
        (void)m_store.mark_handled(common_fields.call_id);
        m_orphan_candidates.erase(common_fields.call_id);
        return;
    }
    SWITCHBOARD_LOG(*m_log, debug, "ignoring " << event.type << " of unknown call " << common_fields.call_id);
}

void MatrixStation::on_invite(const RoomEvent& event, const CallInvite& invite,
                              const std::set<std::string>& ended_in_batch) {
    const std::string& call_id = invite.call_id;
    auto early = std::move(m_orphan_candidates[call_id]);
    m_orphan_candidates.erase(call_id);
    if (m_legs.count(call_id) || m_store.handled(call_id)) {
        SWITCHBOARD_LOG(*m_log, info, "call " << call_id << ": invite already handled; ignored");
        return;
    }
    if (ended_in_batch.count(call_id)) {
        SWITCHBOARD_LOG(*m_log, info,
                        "call " << call_id << ": invite from " << event.sender << " already ended; ignored");
        (void)m_store.mark_handled(call_id);
        return;
    }
    if (invite.invitee && *invite.invitee != own_user_id()) {
        SWITCHBOARD_LOG(*m_log, debug, "call " << call_id << ": invite for " << *invite.invitee << "; not ours");
        return;
    }
    // §1.7: live while age < lifetime; ring only with ≥ 3 s to spare.
    const std::int64_t remaining = invite.lifetime_ms - event.age_ms.value_or(0);
    if (remaining < kMinRemainingLifetimeMs) {
        SWITCHBOARD_LOG(*m_log, info,
                        "call " << call_id << ": invite from " << event.sender << " expired (age "
                                << event.age_ms.value_or(0) << " ms, lifetime " << invite.lifetime_ms
                                << " ms); ignored");
        (void)m_store.mark_handled(call_id);
        return;
    }
    if (take_glare(event, invite)) {
        auto* record = running_record();
        auto leg = make_leg(*record, CallLeg::Direction::incoming, event.room_id, call_id,
                            invite.version.is_v0() ? CallProtocol::v0 : CallProtocol::v1);
        record->winner = leg;
        // Ours go: a hangup where an invite went out, nothing where none did.
        for (auto& other : std::vector(record->legs))
            if (other != leg) other->hang_up(HangupReason::user_hangup);
        leg->take(event.sender, invite, std::move(early));
        update_record(*record);
        return;
    }
    if (auto* record = running_record();
        record && record->info.direction == "outgoing" && !record->winner &&
        std::find(record->targets.begin(), record->targets.end(), event.sender) != record->targets.end()) {
        SWITCHBOARD_LOG(*m_log, info,
                        "call " << call_id << ": glare with our call " << record->info.id
                                << ": keeping ours (the lesser call_id); theirs is left to lapse");
        return;
    }
    if (!allowed(event.sender)) return decline(event, invite, std::nullopt, "not on the allow-list");
    if (running_record()) return decline(event, invite, HangupReason::user_busy, "the station is busy");

    StationCallRecord record;
    record.info.id = call_id;
    record.info.station = std::string(m_ctx.name());
    record.info.direction = "incoming";
    record.info.peer = event.sender;
    record.info.place = event.room_id;
    record.info.started_unix_ms = unix_ms();
    m_records.push_front(std::move(record));
    auto& added = m_records.front();
    auto leg = make_leg(added, CallLeg::Direction::incoming, event.room_id, call_id,
                        invite.version.is_v0() ? CallProtocol::v0 : CallProtocol::v1);
    added.winner = leg;
    leg->take(event.sender, invite, std::move(early));
    if (auto* again = record_by_id(call_id)) update_record(*again);
}

bool MatrixStation::take_glare(const RoomEvent& event, const CallInvite& invite) {
    auto* record = running_record();
    if (!record || record->info.direction != "outgoing" || record->winner) return false;
    const bool target =
        std::find(record->targets.begin(), record->targets.end(), event.sender) != record->targets.end();
    std::shared_ptr<CallLeg> ours;
    for (const auto& leg : record->legs)
        if (leg->room_id() == event.room_id && leg->state() != LegState::ended) ours = leg;
    if (!target && !ours) return false;
    // §1.8: still preparing ours, or theirs names nobody (Element: it will never answer
    // ours), or theirs has the lesser call_id: take theirs.
    if (ours && ours->description_sent() && invite.invitee && !(invite.call_id < ours->call_id())) return false;
    SWITCHBOARD_LOG(*m_log, info,
                    "call " << invite.call_id << ": glare with our call " << record->info.id << " to " << event.sender
                            << ": taking theirs");
    return true;
}

void MatrixStation::decline(const RoomEvent& event, const CallInvite& invite, std::optional<HangupReason> reason,
                            const char* why) {
    OwnCallParty party{invite.call_id, invite.version.is_v0() ? CallProtocol::v0 : CallProtocol::v1, party_id()};
    // v1: a reject ends the caller's ringing at once (a hangup would be ignored, §2.9);
    // v0 knows only hangup.
    auto content = party.protocol == CallProtocol::v1 ? build_reject(party, reason)
                                                      : build_hangup(party, reason.value_or(HangupReason::user_hangup));
    SWITCHBOARD_LOG(*m_log, info,
                    "call " << invite.call_id << ": declining the call from " << event.sender << " in " << event.room_id
                            << ": " << why);
    (void)m_store.mark_handled(invite.call_id);
    if (!content) {
        SWITCHBOARD_LOG(*m_log, warn, "call " << invite.call_id << ": " << content.error().to_string());
        return;
    }
    send_call_event(event.room_id, party.protocol == CallProtocol::v1 ? "m.call.reject" : "m.call.hangup",
                    std::move(content.value()), {}, false);
}

void MatrixStation::on_encrypted(const RoomEvent& event) {
    // The event type is inside the ciphertext: a call and a chat message look the same.
    SWITCHBOARD_LOG(*m_log, info,
                    "room " << event.room_id << ": encrypted event from " << event.sender
                            << "; calls in encrypted rooms cannot reach this station");
    if (!m_settings.encrypted_room_notice || m_store.noticed(event.room_id)) return;
    (void)m_store.mark_noticed(event.room_id);
    const std::string dm = m_store.direct_room(event.sender);
    std::string body =
        "This station cannot take calls in an encrypted room: it cannot read them. Call it from an "
        "unencrypted room";
    body += dm.empty() ? ": start a direct chat with " + own_user_id() + " with encryption turned off."
                       : ", such as " + dm + ".";
    rapidjson::Document content(rapidjson::kObjectType);
    auto& a = content.GetAllocator();
    content.AddMember("msgtype", "m.notice", a);
    content.AddMember("body", rapidjson::Value(body.c_str(), a), a);
    count_event();
    m_client->send(event.room_id, "m.room.message", json::to_string(content),
                   [log = m_log, room = event.room_id](Result<SendOutcome> sent) {
                       if (!sent)
                           SWITCHBOARD_LOG(*log, warn,
                                           "room " << room << ": notice not sent: " << sent.error().to_string());
                   });
}

void MatrixStation::on_member(const RoomEvent& event) {
    if (!event.state_key || json::string_or(event.content, "membership", "") != "join") return;
    auto range = m_pending_joins.equal_range(event.room_id);
    std::vector<RoomHandler> ready;
    for (auto it = range.first; it != range.second;) {
        if (it->second.user_id == *event.state_key) {
            it->second.timer->cancel();
            ready.push_back(std::move(it->second.done));
            it = m_pending_joins.erase(it);
        } else {
            ++it;
        }
    }
    for (auto& done : ready) done(RoomTarget{event.room_id, *event.state_key});
}

// --- placing calls ----------------------------------------------------------------------

void MatrixStation::place_call(CallRequest request, PlaceHandler done) noexcept {
    try {
        auto refuse = [&](switchboard::Error error) {
            SWITCHBOARD_LOG(*m_log, info, "call not placed: " << error.message);
            post_result(m_io, std::move(done), switchboard::Result<StationCall>(std::move(error)));
        };
        if (!m_ready || m_stopped)
            return refuse(switchboard::Error::unavailable("not signed in to the homeserver (yet)"));
        if (auto* busy = running_record())
            return refuse(switchboard::Error::unavailable("busy with call " + busy->info.id));

        CallProtocol protocol = m_settings.version;
        std::int64_t lifetime = m_settings.lifetime_ms;
        std::int64_t invite_timeout = m_settings.invite_timeout_ms;
        rapidjson::Document options;
        options.Parse(request.options_json.empty() ? "{}" : request.options_json.c_str());
        if (options.HasParseError() || !options.IsObject())
            return refuse(switchboard::Error::invalid("options: expected a JSON object"));
        for (const auto& option : options.GetObject()) {
            const std::string key = option.name.GetString();
            if (key == "version") {
                if (option.value.IsInt() && option.value.GetInt() == 0)
                    protocol = CallProtocol::v0;
                else if (option.value.IsString() && std::string(option.value.GetString()) == "1")
                    protocol = CallProtocol::v1;
                else
                    return refuse(switchboard::Error::invalid("options/version: expected 0 or \"1\""));
            } else if (key == "lifetime_ms") {
                if (!option.value.IsInt64() || option.value.GetInt64() < 4000 || option.value.GetInt64() > 600000)
                    return refuse(switchboard::Error::invalid("options/lifetime_ms: expected 4000..600000"));
                lifetime = option.value.GetInt64();
                invite_timeout = lifetime;
            } else {
                return refuse(switchboard::Error::invalid("options: unknown option \"" + key +
                                                          "\" (known: version, lifetime_ms)"));
            }
        }

        std::vector<std::string> asked = request.target.empty() ? m_settings.ring : std::vector{request.target};
        if (asked.empty())
            return refuse(switchboard::Error::invalid("no target given, and the station has no \"ring\" list"));
        std::vector<std::string> targets;
        for (const auto& t : asked) {
            std::vector<std::string> expanded;
            if (auto list = m_settings.ring_lists.find(t); list != m_settings.ring_lists.end())
                expanded = list->second;
            else if (looks_like_user_id(t) || looks_like_room_id(t))
                expanded = {t};
            else
                return refuse(switchboard::Error::invalid("\"" + t +
                                                          "\" is neither a user id (@user:server), a room id "
                                                          "(!room:server) nor a ring list of this station"));
            for (auto& e : expanded)
                if (e == own_user_id())
                    return refuse(switchboard::Error::invalid("the station cannot call itself (" + e + ")"));
                else if (std::find(targets.begin(), targets.end(), e) == targets.end())
                    targets.push_back(std::move(e));
        }

        StationCallRecord record;
        record.info.id = "sb" + random_hex(8);
        record.info.station = std::string(m_ctx.name());
        record.info.direction = "outgoing";
        record.info.peer = joined(targets);
        record.info.started_unix_ms = unix_ms();
        record.targets = targets;
        record.protocol = protocol;
        record.lifetime_ms = lifetime;
        record.invite_timeout_ms = invite_timeout;
        record.placed = std::move(done);
        record.resolving = unsigned(targets.size());
        const std::string id = record.info.id;
        m_records.push_front(std::move(record));
        report(m_records.front());
        SWITCHBOARD_LOG(*m_log, info,
                        "call " << id << ": calling " << joined(targets) << " (version "
                                << (protocol == CallProtocol::v0 ? "0" : "\"1\"") << ", lifetime " << lifetime
                                << " ms)");
        for (const auto& target : targets)
            resolve_target(target, [weak = weak_from_this(), id, target](switchboard::Result<RoomTarget> room) {
                if (auto self = weak.lock()) self->target_resolved(id, target, std::move(room));
            });
    } catch (const std::exception& e) {
        post_result(
            m_io, std::move(done),
            switchboard::Result<StationCall>(switchboard::Error::runtime(std::string("place_call: ") + e.what())));
    }
}

void MatrixStation::resolve_target(const std::string& target, RoomHandler done) {
    if (looks_like_room_id(target)) return resolve_room(target, {}, std::move(done));
    resolve_user(target, std::move(done));
}

void MatrixStation::resolve_user(const std::string& user_id, RoomHandler done) {
    auto create = [weak = weak_from_this(), user_id, done](std::string forgotten) mutable {
        auto self = weak.lock();
        if (!self) return;
        if (!forgotten.empty()) (void)self->m_store.forget_direct_room(user_id);
        self->count_event();
        create_direct_room(
            self->m_client->api(), user_id, "Call station",
            [weak, user_id, done = std::move(done)](Result<std::string> room) mutable {
                auto self = weak.lock();
                if (!self || self->m_stopped) return;
                if (!room) return done(to_station_error(room.error(), "cannot make a direct room with " + user_id));
                SWITCHBOARD_LOG(*self->m_log, info,
                                "made the unencrypted direct room " << room.value() << " with " << user_id);
                (void)self->m_store.set_direct_room(user_id, room.value());
                mark_direct_room(self->m_client->api(), self->own_user_id(), user_id, room.value(),
                                 [log = self->m_log](Result<Done> marked) {
                                     if (!marked)
                                         SWITCHBOARD_LOG(*log, info,
                                                         "m.direct not updated: " << marked.error().to_string());
                                 });
                self->await_join(room.value(), user_id, std::move(done));
            });
    };
    const std::string room = m_store.direct_room(user_id);
    if (room.empty()) return create({});
    joined_members(
        m_client->api(), room,
        [weak = weak_from_this(), user_id, room, done, create](Result<std::vector<std::string>> members) mutable {
            auto self = weak.lock();
            if (!self || self->m_stopped) return;
            const bool both = members && std::count(members.value().begin(), members.value().end(), user_id) &&
                              std::count(members.value().begin(), members.value().end(), self->own_user_id());
            if (!both) {
                SWITCHBOARD_LOG(
                    *self->m_log, info,
                    "direct room " << room << " with " << user_id << " is no longer usable; making a new one");
                return create(room);
            }
            self->resolve_room(room, user_id, std::move(done));
        });
}

void MatrixStation::resolve_room(const std::string& room_id, const std::string& invitee, RoomHandler done) {
    joined_members(
        m_client->api(), room_id,
        [weak = weak_from_this(), room_id, invitee,
         done = std::move(done)](Result<std::vector<std::string>> members) mutable {
            auto self = weak.lock();
            if (!self || self->m_stopped) return;
            if (!members) {
                const auto& e = members.error();
                if (e.status == 404) return done(switchboard::Error::not_found("room " + room_id + " is unknown"));
                if (e.status == 403)
                    return done(switchboard::Error::invalid("the station is not joined to room " + room_id));
                return done(to_station_error(e, "room " + room_id));
            }
            const auto& list = members.value();
            const std::string own = self->own_user_id();
            if (std::find(list.begin(), list.end(), own) == list.end())
                return done(switchboard::Error::invalid("the station is not joined to room " + room_id));
            RoomTarget target{room_id, invitee};
            if (!invitee.empty()) {
                if (std::find(list.begin(), list.end(), invitee) == list.end())
                    return done(switchboard::Error::invalid(invitee + " is not a member of room " + room_id));
            } else {
                std::vector<std::string> others;
                for (const auto& m : list)
                    if (m != own) others.push_back(m);
                if (others.empty()) return done(switchboard::Error::invalid("nobody else is in room " + room_id));
                if (others.size() == 1)
                    target.invitee = others.front();
                else
                    SWITCHBOARD_LOG(
                        *self->m_log, info,
                        "room " << room_id << " has " << others.size() << " other members: anyone of them may answer");
            }
            is_encrypted(self->m_client->api(), room_id,
                         [weak, target, done = std::move(done)](Result<bool> encrypted) mutable {
                             auto self = weak.lock();
                             if (!self || self->m_stopped) return;
                             if (encrypted && encrypted.value())
                                 return done(switchboard::Error::invalid(
                                     "room " + target.room_id +
                                     " is encrypted: the station cannot read calls there; call the user id instead "
                                     "(the station makes an unencrypted direct room)"));
                             if (!encrypted)
                                 SWITCHBOARD_LOG(*self->m_log, info,
                                                 "room " << target.room_id << ": encryption unknown ("
                                                         << encrypted.error().to_string() << "); calling anyway");
                             done(std::move(target));
                         });
        });
}

void MatrixStation::await_join(const std::string& room_id, const std::string& user_id, RoomHandler done) {
    auto timer = std::make_shared<boost::asio::steady_timer>(m_io, m_settings.join_timeout);
    m_pending_joins.emplace(room_id, PendingJoin{user_id, std::move(done), timer});
    timer->async_wait([weak = weak_from_this(), room_id, user_id, timer](boost::system::error_code ec) {
        auto self = weak.lock();
        if (ec || !self) return;
        auto range = self->m_pending_joins.equal_range(room_id);
        for (auto it = range.first; it != range.second; ++it)
            if (it->second.timer == timer) {
                auto handler = std::move(it->second.done);
                self->m_pending_joins.erase(it);
                return handler(switchboard::Error::unavailable(
                    user_id + " did not join the direct room " + room_id + " within " +
                    std::to_string(
                        std::chrono::duration_cast<std::chrono::seconds>(self->m_settings.join_timeout).count()) +
                    " s"));
            }
    });
    // Joined already (before we started waiting)?
    is_joined(m_client->api(), room_id, user_id, [weak = weak_from_this(), room_id, user_id](Result<bool> joined) {
        auto self = weak.lock();
        if (!self || !joined || !joined.value()) return;
        RoomEvent member;
        member.room_id = room_id;
        member.type = "m.room.member";
        member.state_key = user_id;
        member.content.SetObject();
        member.content.AddMember("membership", "join", member.content.GetAllocator());
        self->on_member(member);
    });
}

void MatrixStation::target_resolved(const std::string& record_id, const std::string& target,
                                    switchboard::Result<RoomTarget> room) {
    auto* record = record_by_id(record_id);
    if (!record) return;
    if (record->resolving) --record->resolving;
    if (!record->running() || record->winner) return update_record(*record);
    if (!room) {
        SWITCHBOARD_LOG(*m_log, warn,
                        "call " << record_id << ": cannot call " << target << ": " << room.error().message);
        record->failures.push_back(target + ": " + room.error().message);
        if (!record->has_error) record->first_error = room.error(), record->has_error = true;
        return update_record(*record);
    }
    const std::string call_id =
        record->targets.size() == 1 ? record_id : record_id + "." + std::to_string(record->legs.size() + 1);
    if (record->info.place.empty()) record->info.place = room.value().room_id;
    auto leg = make_leg(*record, CallLeg::Direction::outgoing, room.value().room_id, call_id, record->protocol);
    leg->place(room.value().invitee, record->lifetime_ms, std::chrono::milliseconds(record->invite_timeout_ms));
    if (auto* again = record_by_id(record_id)) update_record(*again);
}

std::shared_ptr<CallLeg> MatrixStation::make_leg(StationCallRecord& record, CallLeg::Direction direction,
                                                 const std::string& room_id, const std::string& call_id,
                                                 CallProtocol protocol) {
    OwnCallParty party{call_id, protocol, party_id()};
    auto leg = std::make_shared<CallLeg>(*this, m_io, m_log, direction, room_id, party);
    m_legs[call_id] = leg;
    record.legs.push_back(leg);
    // Stored before anything goes out: a crash from here on still ends with a hangup.
    if (auto stored = m_store.add_active(StoredCall{call_id, room_id, protocol, party.party_id}); !stored)
        SWITCHBOARD_LOG(*m_log, warn, "call " << call_id << ": not stored: " << stored.error().to_string());
    return leg;
}

// --- call records -------------------------------------------------------------------------

void MatrixStation::leg_changed(CallLeg& leg) {
    auto* record = record_of(leg);
    if (leg.state() == LegState::ended) {
        m_legs.erase(leg.call_id());
        if (auto removed = m_store.remove_active(leg.call_id()); !removed)
            SWITCHBOARD_LOG(*m_log, warn, "call " << leg.call_id() << ": " << removed.error().to_string());
    }
    if (!record) return;
    // A ring list: the first to answer wins; the others stop ringing.
    if (!record->winner && leg.direction() == CallLeg::Direction::outgoing &&
        (leg.state() == LegState::connecting || leg.state() == LegState::connected)) {
        for (const auto& l : record->legs)
            if (l.get() == &leg) record->winner = l;
        for (auto& other : std::vector(record->legs))
            if (other.get() != &leg && other->state() != LegState::ended) {
                SWITCHBOARD_LOG(
                    *m_log, info,
                    "call " << other->call_id() << ": " << leg.peer() << " answered first; stopping this leg");
                other->hang_up(HangupReason::user_hangup);
            }
    }
    update_record(*record);
}

void MatrixStation::update_record(StationCallRecord& record) {
    if (!record.running()) return;
    auto& info = record.info;
    if (record.winner) {
        info.state = to_call_state(record.winner->state());
        info.peer = record.winner->peer();
        info.place = record.winner->room_id();
        if (info.state == CallState::ended) info.reason = record.winner->end_reason();
    } else {
        const bool live =
            record.resolving > 0 || std::any_of(record.legs.begin(), record.legs.end(),
                                                [](const auto& l) { return l->state() != LegState::ended; });
        if (!live) {
            info.state = CallState::ended;
            info.reason = !record.legs.empty() ? record.legs.back()->end_reason()
                                               : (record.failures.empty() ? "unknown_error" : joined(record.failures));
        }
    }
    if (info.state == CallState::ended)
        SWITCHBOARD_LOG(*m_log, info, "call " << info.id << ": over (" << info.reason << ")");
    report(record);
    finish_placement(record);
    if (info.state == CallState::ended) {
        record.legs.clear();
        record.winner.reset();
        std::size_t ended = 0;
        for (auto it = m_records.begin(); it != m_records.end();)
            if (!it->running() && ++ended > kEndedRecordsKept)
                it = m_records.erase(it);
            else
                ++it;
    }
}

void MatrixStation::report(StationCallRecord& record) {
    if (record.reported == record.info.state) return;
    record.reported = record.info.state;
    m_ctx.report_call(record.info);
}

void MatrixStation::finish_placement(StationCallRecord& record) {
    if (!record.placed) return;
    if (record.info.state == CallState::ringing) {
        if (record.resolving > 0) return;
        const bool rang = std::any_of(record.legs.begin(), record.legs.end(),
                                      [](const auto& l) { return l->state() != LegState::preparing; });
        if (!rang) return;
    }
    auto placed = std::move(record.placed);
    record.placed = nullptr;
    const bool rang = record.winner || std::any_of(record.legs.begin(), record.legs.end(),
                                                   [](const auto& l) { return l->description_sent(); });
    if (rang || record.info.state != CallState::ended)
        return post_result(m_io, std::move(placed), switchboard::Result<StationCall>(record.info));
    switchboard::Error error = record.has_error
                                   ? record.first_error
                                   : switchboard::Error::unavailable("no invite went out (" + record.info.reason + ")");
    if (record.failures.size() > 1) error.message = joined(record.failures);
    post_result(m_io, std::move(placed), switchboard::Result<StationCall>(std::move(error)));
}

switchboard::Result<void> MatrixStation::end_call(const std::string& id) noexcept {
    auto* record = record_by_id(id);
    if (!record || !record->running())
        return switchboard::Error::not_found("station " + std::string(m_ctx.name()) + " has no running call " + id);
    SWITCHBOARD_LOG(*m_log, info, "call " << id << ": hanging up at the user's request");
    record->resolving = 0;
    for (auto& leg : std::vector(record->legs)) leg->hang_up(HangupReason::user_hangup);
    if (auto* again = record_by_id(id); again && again->running()) {
        again->info.state = CallState::ended;
        again->info.reason = "user_hangup";
        update_record(*again);
        finish_placement(*again);
    }
    return {};
}

std::vector<StationCall> MatrixStation::calls() const noexcept {
    std::vector<StationCall> out;
    try {
        for (const auto& r : m_records)
            if (r.running()) out.push_back(r.info);
        for (const auto& r : m_records)
            if (!r.running()) out.push_back(r.info);
    } catch (...) {
    }
    return out;
}

MatrixStation::StationCallRecord* MatrixStation::running_record() {
    for (auto& r : m_records)
        if (r.running()) return &r;
    return nullptr;
}

MatrixStation::StationCallRecord* MatrixStation::record_of(const CallLeg& leg) {
    for (auto& r : m_records)
        for (const auto& l : r.legs)
            if (l.get() == &leg) return &r;
    return nullptr;
}

MatrixStation::StationCallRecord* MatrixStation::record_by_id(const std::string& id) {
    for (auto& r : m_records)
        if (r.info.id == id) return &r;
    return nullptr;
}

// --- LegHost --------------------------------------------------------------------------------

void MatrixStation::send_call_event(const std::string& room_id, const std::string& type, std::string content,
                                    SendHandler done, bool counted) {
    if (!counted) count_event();
    m_client->send(room_id, type, std::move(content), std::move(done));
}

switchboard::Result<std::unique_ptr<switchboard::Call>> MatrixStation::create_media(const std::string& id,
                                                                                    CallEvents events) {
    CallOptions options;
    options.id = id.size() <= 64 ? id : id.substr(0, 64);
    options.media = m_media;
    options.complete_gathering = true;
    options.gathering_limit = std::chrono::milliseconds(200);
    options.ice_servers = m_ice_servers;
    return m_ctx.calls().create_call(std::move(options), std::move(events));
}

}  // namespace switchboard::matrix
