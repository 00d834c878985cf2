/// \file state_file.hpp
/// \brief Small files in the state directory that must survive a crash whole: written to
/// a temporary file (mode 0600 from the start: they may hold secrets), fsynced, renamed
/// over the old one, and the rename fsynced, so a crash leaves the old content or the
/// new, never half of either.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "matrix_client/error.hpp"

namespace switchboard::matrix {

/// Replaces `file` with `data` atomically; creates its folder (0700) when missing.
Result<Done> write_state_file(const std::filesystem::path& file, const std::string& data);
/// The content of `file`; nullopt when it does not exist.
Result<std::optional<std::string>> read_state_file(const std::filesystem::path& file);

}  // namespace switchboard::matrix
