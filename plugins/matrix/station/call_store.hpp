/// \file call_store.hpp
/// \brief What a station remembers about calls across a restart, in one state file:
/// - calls in progress, so that after a crash each is hung up with the party_id and
///   version it had (js-sdk drops a hangup whose party_id or version differ);
/// - call ids already handled (bounded), so an invite replayed after a restart never
///   rings again;
/// - the direct rooms it made, one per user, so a second call reuses the room;
/// - encrypted rooms that already got the "call me elsewhere" notice.
/// Every change is written at once (atomically, state_file.hpp); a failed write is
/// logged by the caller and the station goes on with what it has in memory.
#pragma once

#include <deque>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "matrix/call_events/call_event_builder.hpp"
#include "matrix_client/error.hpp"

namespace switchboard::matrix {

struct StoredCall {
    std::string call_id;
    std::string room_id;
    CallProtocol protocol = CallProtocol::v1;
    std::string party_id;
};

class CallStore {
public:
    /// How many handled call ids are kept.
    static constexpr std::size_t kHandledLimit = 512;

    explicit CallStore(std::filesystem::path file) : m_file(std::move(file)) {}

    /// Reads the file; a missing file is an empty store; an unreadable one an Error.
    Result<Done> load();

    const std::vector<StoredCall>& active() const noexcept { return m_active; }
    /// A call in progress; it counts as handled from now on (its invite never rings again).
    Result<Done> add_active(StoredCall call);
    Result<Done> remove_active(const std::string& call_id);

    bool handled(const std::string& call_id) const { return m_handled_set.count(call_id) > 0; }
    Result<Done> mark_handled(const std::string& call_id);

    /// The direct room made for `user_id`; empty when none.
    std::string direct_room(const std::string& user_id) const;
    Result<Done> set_direct_room(const std::string& user_id, const std::string& room_id);
    Result<Done> forget_direct_room(const std::string& user_id);

    bool noticed(const std::string& room_id) const { return m_noticed.count(room_id) > 0; }
    Result<Done> mark_noticed(const std::string& room_id);

    const std::filesystem::path& file() const noexcept { return m_file; }

private:
    Result<Done> save() const;
    void remember_handled(const std::string& call_id);

    std::filesystem::path m_file;
    std::vector<StoredCall> m_active;
    std::deque<std::string> m_handled;
    std::set<std::string> m_handled_set;
    std::map<std::string, std::string> m_direct_rooms;
    std::set<std::string> m_noticed;
};

}  // namespace switchboard::matrix
