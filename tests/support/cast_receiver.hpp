/// \file cast_receiver.hpp
/// \brief The Chromecast emulator (tests/peers/node/cast_receiver.mjs: npm castv2's
/// Server, web receiver pages and HLS in headless Chromium) as a child process on
/// 127.0.0.1, ended by its PID; and what it reports in its stats file.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

#include <rapidjson/document.h>

#include "support/process.hpp"

namespace switchboard::test {

struct CastReceiverOptions {
    std::uint16_t port = 0;            ///< 0: a free one
    std::string misbehave;             ///< --misbehave WHAT (see the script)
    int silent_after_s = 0;            ///< --silent-after S: a connection goes quiet
    int user_switch_after_s = 0;       ///< --user-switch-after S: the user switches to YouTube
    int play_timeout_s = 0;            ///< --play-timeout S: a LOAD with no frame by then fails (IDLE, ERROR)
    std::filesystem::path stats_file;  ///< --stats-file: empty for none
    std::filesystem::path dump_dir;    ///< --dump-dir: the HLS fetched and hls.js's log; empty for none
};

class CastReceiver {
public:
    /// Starts it and waits (up to 30 s) until it accepts TCP.
    explicit CastReceiver(CastReceiverOptions options = {});
    ~CastReceiver();
    CastReceiver(const CastReceiver&) = delete;
    CastReceiver& operator=(const CastReceiver&) = delete;

    bool ready() const noexcept { return m_ready; }
    std::uint16_t port() const noexcept { return m_options.port; }
    void signal(int sig) { m_process->signal(sig); }
    /// Ends it (SIGTERM; SIGCONT first, in case it was stopped) and returns its stdout,
    /// one JSON event per line.
    std::string stop();
    /// Kills it (SIGKILL), as a TV pulled from the wall.
    void kill();
    /// Starts it again on the same port and options.
    void restart();

    /// The stats file, parsed; an empty object before the first write.
    rapidjson::Document stats() const;
    /// Polls stats() until `check` holds or `timeout` passes; the last stats read.
    rapidjson::Document wait_for(const std::function<bool(const rapidjson::Document&)>& check,
                                 std::chrono::milliseconds timeout) const;

private:
    std::vector<std::string> argv() const;
    CastReceiverOptions m_options;
    std::unique_ptr<ChildProcess> m_process;
    bool m_ready = false;
};

/// A member of the stats as a number (a nested path such as {"tv_stats", "frames"}); -1
/// when absent or not a number.
double stat_number(const rapidjson::Value& stats, std::initializer_list<const char*> path);
/// The same for a string; empty when absent.
std::string stat_string(const rapidjson::Value& stats, std::initializer_list<const char*> path);

}  // namespace switchboard::test
