// Crash-safe state files; see state_file.hpp.
#include "matrix_client/state_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

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

Result<Done> write_state_file(const std::filesystem::path& file, const std::string& data) {
    const auto dir = file.parent_path();
    std::error_code ec;
    if (!dir.empty() && !std::filesystem::exists(dir, ec)) {
        std::filesystem::create_directories(dir, ec);
        if (ec) return io_error(dir, "cannot create the state directory: " + ec.message());
        ::chmod(dir.c_str(), 0700);
    }
    auto temp = file;
    temp += ".tmp." + std::to_string(::getpid());
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
    if (::rename(temp.c_str(), file.c_str()) != 0) {
        auto error = errno_error(file, "rename");
        ::unlink(temp.c_str());
        return error;
    }
    // The rename itself must reach the disk too.
    if (int d = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); d >= 0) {
        ::fsync(d);
        ::close(d);
    }
    return Done{};
}

Result<std::optional<std::string>> read_state_file(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        if (!std::filesystem::exists(file)) return std::optional<std::string>{};
        return io_error(file, "cannot be read");
    }
    std::ostringstream text;
    text << in.rdbuf();
    return std::optional<std::string>(text.str());
}

}  // namespace switchboard::matrix
