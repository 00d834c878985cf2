/// \file station.hpp
/// \brief The Matrix side of a call station: one account, its rooms and its calls.
///
/// Signs in (keeping its device across restarts), hangs up the calls a crash left open,
/// then syncs. Room events of each /sync batch are read in order: m.call.* go to their
/// call leg, an invite is answered when its sender is on the allow-list and the station
/// is free (else rejected, with user_busy when busy), invites past their lifetime or
/// already handled are ignored, glare follows matrix-voip.md §1.8 with Element's rule,
/// m.room.encrypted events get a log line and the room one m.notice. Invitations to
/// rooms from allowed users are accepted. Placing a call resolves its targets (a user: a
/// direct room, made unencrypted when there is none; a room: checked; a ring list:
/// every user at once) and rings; the first answer wins and the other legs are hung up.
/// One call at a time. Runs on the io executor only.
#pragma once

#include <chrono>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <switchboard/call.hpp>
#include <switchboard/node.hpp>
#include <switchboard/station.hpp>

#include "matrix/station/call_leg.hpp"
#include "matrix/station/call_store.hpp"
#include "matrix/station/station_settings.hpp"

namespace switchboard::matrix {

class MatrixStation final : public switchboard::Station,
                            public LegHost,
                            public std::enable_shared_from_this<MatrixStation> {
public:
    MatrixStation(NodeContext& context, StationSettings settings, CallMedia media, std::shared_ptr<Logger> log);
    ~MatrixStation() override;

    /// Loads the call store and starts the client. An Error for a bad state dir or URL.
    switchboard::Result<void> start();
    /// Hangs up every call and stops the client. Io executor (or nothing running it).
    void stop();

    // switchboard::Station
    void place_call(CallRequest request, PlaceHandler done) noexcept override;
    switchboard::Result<void> end_call(const std::string& id) noexcept override;
    std::vector<StationCall> calls() const noexcept override;

    // LegHost
    const std::string& own_user_id() const override { return m_client->session().user_id; }
    void send_call_event(const std::string& room_id, const std::string& type, std::string content, SendHandler done,
                         bool counted) override;
    switchboard::Result<std::unique_ptr<switchboard::Call>> create_media(const std::string& id,
                                                                         CallEvents events) override;
    RateLimit& rate_limit() override { return m_rate_limit; }
    void leg_changed(CallLeg& leg) override;

private:
    /// A call as the control API sees it: one or more legs (a ring list) or one incoming.
    struct StationCallRecord {
        StationCall info;
        std::vector<std::string> targets;  ///< users and rooms asked for (outgoing)
        CallProtocol protocol = CallProtocol::v1;
        std::int64_t lifetime_ms = 0;
        std::int64_t invite_timeout_ms = 0;
        std::vector<std::shared_ptr<CallLeg>> legs;
        std::shared_ptr<CallLeg> winner;
        PlaceHandler placed;     ///< the control API waits for the invites to go out
        unsigned resolving = 0;  ///< targets whose room is still being found
        std::vector<std::string> failures;
        switchboard::Error first_error;
        bool has_error = false;
        std::optional<CallState> reported;  ///< the state last given to NodeContext::report_call
        bool running() const { return info.state != CallState::ended; }
    };
    /// Where a target is called.
    struct RoomTarget {
        std::string room_id;
        std::string invitee;  ///< empty: anyone in the room may answer
    };
    using RoomHandler = std::function<void(switchboard::Result<RoomTarget>)>;

    void on_ready(Result<SessionState> result);
    void hang_up_stale_calls();
    void fetch_turn();
    void on_batch(const SyncBatch& batch);
    void on_room_event(const RoomEvent& event, const std::set<std::string>& ended_in_batch);
    void on_call_event(const RoomEvent& event, const CallEvent& call_event,
                       const std::set<std::string>& ended_in_batch);
    void on_invite(const RoomEvent& event, const CallInvite& invite, const std::set<std::string>& ended_in_batch);
    bool take_glare(const RoomEvent& event, const CallInvite& invite);
    void decline(const RoomEvent& event, const CallInvite& invite, std::optional<HangupReason> reason, const char* why);
    void on_encrypted(const RoomEvent& event);
    void on_member(const RoomEvent& event);

    void resolve_target(const std::string& target, RoomHandler done);
    void resolve_user(const std::string& user_id, RoomHandler done);
    void resolve_room(const std::string& room_id, const std::string& invitee, RoomHandler done);
    void await_join(const std::string& room_id, const std::string& user_id, RoomHandler done);
    void target_resolved(const std::string& record_id, const std::string& target, switchboard::Result<RoomTarget> room);
    std::shared_ptr<CallLeg> make_leg(StationCallRecord& record, CallLeg::Direction direction,
                                      const std::string& room_id, const std::string& call_id, CallProtocol protocol);
    void update_record(StationCallRecord& record);
    /// Tells the nodes downstream (a TV) that the call rang, connected or ended.
    void report(StationCallRecord& record);
    void finish_placement(StationCallRecord& record);
    StationCallRecord* running_record();
    StationCallRecord* record_of(const CallLeg& leg);
    StationCallRecord* record_by_id(const std::string& id);
    bool allowed(const std::string& user_id) const { return m_settings.allow.count(user_id) > 0; }
    std::string party_id() const;
    void count_event() { m_rate_limit.record(std::chrono::steady_clock::now()); }

    NodeContext& m_ctx;
    StationSettings m_settings;
    CallMedia m_media;
    std::shared_ptr<Logger> m_log;
    boost::asio::any_io_executor m_io;
    std::unique_ptr<Client> m_client;
    CallStore m_store;
    RateLimit m_rate_limit;
    std::vector<IceServer> m_ice_servers;
    boost::asio::steady_timer m_turn_timer;
    bool m_ready = false;
    bool m_stopped = false;

    std::map<std::string, std::shared_ptr<CallLeg>> m_legs;  ///< by call_id, running ones
    /// Newest first; ended ones bounded. A list: records stay put while others come and go.
    std::list<StationCallRecord> m_records;
    /// Candidates of calls whose invite has not arrived (yet), by call_id.
    std::map<std::string, std::vector<std::pair<std::string, CallCandidates>>> m_orphan_candidates;
    /// New direct rooms waiting for their callee to join, by room id.
    struct PendingJoin {
        std::string user_id;
        RoomHandler done;
        std::shared_ptr<boost::asio::steady_timer> timer;
    };
    std::multimap<std::string, PendingJoin> m_pending_joins;
};

}  // namespace switchboard::matrix
