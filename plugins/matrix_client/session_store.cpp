#include "matrix_client/session_store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "matrix_client/json_util.hpp"

namespace switchboard::matrix {

namespace {

Error io_error(const std::filesystem::path& path, const std::string& what) {
    return Error{ErrorKind::io, path.string(), 0, {}, what};
}

Error errno_error(const std::filesystem::path& path, const char* step) {
    return io_error(path, std::string(step) + ": " + std::strerror(errno));
}

/// Writes all of `data` to `fd`, across short writes and EINTR.
bool write_all(int fd, const std::string& data) {
    std::size_t done = 0;
    while (done < data.size()) {
        auto n = ::write(fd, data.data() + done, data.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        done += static_cast<std::size_t>(n);
    }
    return true;
}

}  // namespace

SessionStore::SessionStore(std::filesystem::path dir, std::string file_name)
    : m_dir(std::move(dir)), m_file(m_dir / file_name) {}

Result<std::optional<SessionState>> SessionStore::load() const {
    std::ifstream in(m_file, std::ios::binary);
    if (!in) {
        if (!std::filesystem::exists(m_file)) return std::optional<SessionState>{};
        return io_error(m_file, "cannot be read");
    }
    std::ostringstream text;
    text << in.rdbuf();
    rapidjson::Document doc;
    auto content = text.str();
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
    std::error_code ec;
    if (!std::filesystem::exists(m_dir, ec)) {
        std::filesystem::create_directories(m_dir, ec);
        if (ec) return io_error(m_dir, "cannot create the state directory: " + ec.message());
        ::chmod(m_dir.c_str(), 0700);
    }
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

    auto temp = m_file;
    temp += ".tmp." + std::to_string(::getpid());
    // 0600 from the start: the token is never readable by others, not even briefly.
    int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return errno_error(temp, "open");
    bool ok = write_all(fd, data) && ::fsync(fd) == 0;
    int saved_errno = errno;
    ::close(fd);
    if (!ok) {
        errno = saved_errno;
        auto error = errno_error(temp, "write");
        ::unlink(temp.c_str());
        return error;
    }
    if (::rename(temp.c_str(), m_file.c_str()) != 0) {
        auto error = errno_error(m_file, "rename");
        ::unlink(temp.c_str());
        return error;
    }
    // The rename itself must reach the disk too.
    if (int dir = ::open(m_dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dir >= 0) {
        ::fsync(dir);
        ::close(dir);
    }
    return Done{};
}

}  // namespace switchboard::matrix
