// A station's call memory; see call_store.hpp.
#include "matrix/station/call_store.hpp"

#include <algorithm>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "matrix_client/json_util.hpp"
#include "matrix_client/state_file.hpp"

namespace switchboard::matrix {

Result<Done> CallStore::load() {
    auto text = read_state_file(m_file);
    if (!text) return text.error();
    if (!text.value()) return Done{};
    rapidjson::Document doc;
    doc.Parse(text.value()->data(), text.value()->size());
    if (doc.HasParseError() || !doc.IsObject())
        return Error{ErrorKind::io, m_file.string(), 0, {}, "is not a station call file (bad JSON)"};
    if (const auto* calls = json::array(doc, "active"))
        for (const auto& c : calls->GetArray()) {
            if (!c.IsObject()) continue;
            StoredCall call;
            call.call_id = json::string_or(c, "call_id", "");
            call.room_id = json::string_or(c, "room_id", "");
            call.party_id = json::string_or(c, "party_id", "");
            call.protocol = json::string_or(c, "version", "1") == "0" ? CallProtocol::v0 : CallProtocol::v1;
            if (!call.call_id.empty() && !call.room_id.empty()) m_active.push_back(std::move(call));
        }
    if (const auto* handled = json::array(doc, "handled"))
        for (const auto& id : handled->GetArray())
            if (id.IsString()) remember_handled(id.GetString());
    if (const auto* rooms = json::object(doc, "direct_rooms"))
        for (const auto& room : rooms->GetObject())
            if (room.value.IsString()) m_direct_rooms[room.name.GetString()] = room.value.GetString();
    if (const auto* noticed = json::array(doc, "noticed"))
        for (const auto& id : noticed->GetArray())
            if (id.IsString()) m_noticed.insert(id.GetString());
    return Done{};
}

Result<Done> CallStore::add_active(StoredCall call) {
    std::erase_if(m_active, [&](const auto& c) { return c.call_id == call.call_id; });
    remember_handled(call.call_id);
    m_active.push_back(std::move(call));
    return save();
}

Result<Done> CallStore::remove_active(const std::string& call_id) {
    auto it = std::remove_if(m_active.begin(), m_active.end(), [&](const auto& c) { return c.call_id == call_id; });
    const bool changed = it != m_active.end() || !handled(call_id);
    m_active.erase(it, m_active.end());
    remember_handled(call_id);
    return changed ? save() : Result<Done>(Done{});
}

Result<Done> CallStore::mark_handled(const std::string& call_id) {
    if (handled(call_id)) return Done{};
    remember_handled(call_id);
    return save();
}

void CallStore::remember_handled(const std::string& call_id) {
    if (!m_handled_set.insert(call_id).second) return;
    m_handled.push_back(call_id);
    while (m_handled.size() > kHandledLimit) {
        m_handled_set.erase(m_handled.front());
        m_handled.pop_front();
    }
}

std::string CallStore::direct_room(const std::string& user_id) const {
    auto it = m_direct_rooms.find(user_id);
    return it == m_direct_rooms.end() ? std::string() : it->second;
}

Result<Done> CallStore::set_direct_room(const std::string& user_id, const std::string& room_id) {
    m_direct_rooms[user_id] = room_id;
    return save();
}

Result<Done> CallStore::forget_direct_room(const std::string& user_id) {
    if (!m_direct_rooms.erase(user_id)) return Done{};
    return save();
}

Result<Done> CallStore::mark_noticed(const std::string& room_id) {
    if (!m_noticed.insert(room_id).second) return Done{};
    return save();
}

Result<Done> CallStore::save() const {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
    auto str = [&](const std::string& s) { w.String(s.data(), rapidjson::SizeType(s.size())); };
    w.StartObject();
    w.Key("active");
    w.StartArray();
    for (const auto& c : m_active) {
        w.StartObject();
        w.Key("call_id");
        str(c.call_id);
        w.Key("room_id");
        str(c.room_id);
        w.Key("version");
        w.String(c.protocol == CallProtocol::v0 ? "0" : "1");
        w.Key("party_id");
        str(c.party_id);
        w.EndObject();
    }
    w.EndArray();
    w.Key("handled");
    w.StartArray();
    for (const auto& id : m_handled) str(id);
    w.EndArray();
    w.Key("direct_rooms");
    w.StartObject();
    for (const auto& [user, room] : m_direct_rooms) {
        str(user);
        str(room);
    }
    w.EndObject();
    w.Key("noticed");
    w.StartArray();
    for (const auto& id : m_noticed) str(id);
    w.EndArray();
    w.EndObject();
    return write_state_file(m_file, std::string(buffer.GetString(), buffer.GetSize()) + "\n");
}

}  // namespace switchboard::matrix
