/// \file session_store.hpp
/// \brief What must survive a restart: the device id, the access token and the /sync
/// `next_batch`, in one JSON file in the state directory.
///
/// Written atomically (a temporary file, fsync, rename, fsync of the folder) with mode
/// 0600, so a crash leaves the old state or the new one, never half of either; the file
/// holds a secret, so nothing here logs its content.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "matrix_client/error.hpp"

namespace switchboard::matrix {

struct SessionState {
    std::string homeserver;  ///< the base URL the session belongs to
    std::string user_id;
    std::string device_id;
    std::string access_token;  ///< secret
    std::string next_batch;    ///< empty: never synced
};

class SessionStore {
public:
    /// `dir` is created (0700) on the first save.
    explicit SessionStore(std::filesystem::path dir, std::string file_name = "matrix_session.json");

    /// The saved state; nullopt when there is none yet; an Error when the file is
    /// unreadable or not ours.
    Result<std::optional<SessionState>> load() const;
    /// Replaces the saved state atomically.
    Result<Done> save(const SessionState& state) const;

    const std::filesystem::path& file() const noexcept { return m_file; }

private:
    std::filesystem::path m_dir;
    std::filesystem::path m_file;
};

}  // namespace switchboard::matrix
