#include "matrix_client/session_store.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "matrix_client/json_util.hpp"
#include "matrix_client/state_file.hpp"

namespace switchboard::matrix {

namespace {

Error io_error(const std::filesystem::path& path, const std::string& what) {
    return Error{ErrorKind::io, path.string(), 0, {}, what};
}

}  // namespace

SessionStore::SessionStore(std::filesystem::path dir, std::string file_name)
    : m_dir(std::move(dir)), m_file(m_dir / file_name) {}

Result<std::optional<SessionState>> SessionStore::load() const {
    auto text = read_state_file(m_file);
    if (!text) return text.error();
    if (!text.value()) return std::optional<SessionState>{};
    const std::string& content = *text.value();
    rapidjson::Document doc;
    doc.Parse(content.data(), content.size());
    if (doc.HasParseError() || !doc.IsObject()) return io_error(m_file, "is not a Matrix session file (bad JSON)");
    SessionState state;
    state.homeserver = json::string_or(doc, "homeserver", "");
    state.user_id = json::string_or(doc, "user_id", "");
    state.device_id = json::string_or(doc, "device_id", "");
    state.access_token = json::string_or(doc, "access_token", "");
    state.next_batch = json::string_or(doc, "next_batch", "");
    if (state.user_id.empty() || state.device_id.empty())
        return io_error(m_file, "is not a Matrix session file (no user_id or device_id)");
    return std::optional<SessionState>(std::move(state));
}

Result<Done> SessionStore::save(const SessionState& state) const {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    writer.StartObject();
    auto field = [&](const char* key, const std::string& value) {
        writer.Key(key);
        writer.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
    };
    field("homeserver", state.homeserver);
    field("user_id", state.user_id);
    field("device_id", state.device_id);
    field("access_token", state.access_token);
    field("next_batch", state.next_batch);
    writer.EndObject();
    std::string data(buffer.GetString(), buffer.GetSize());
    data += '\n';
    return write_state_file(m_file, data);
}

}  // namespace switchboard::matrix
