/// \file gateway_process.hpp
/// \brief `switchboard run` on a config written for one test, as a child process ended by
/// its PID, and the JSON-lines output of the peer drivers (tests/peers) it talks to.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <rapidjson/document.h>

#include "support/process.hpp"

namespace switchboard::test {

class GatewayProcess {
public:
    /// Writes `config` to `dir`/config.json and starts `switchboard run` on it.
    GatewayProcess(const std::filesystem::path& dir, const std::string& config,
                   const std::map<std::string, std::string>& env = {});
    ~GatewayProcess();
    GatewayProcess(const GatewayProcess&) = delete;
    GatewayProcess& operator=(const GatewayProcess&) = delete;

    /// Drains with SIGINT and returns what the program printed.
    ProcessResult stop(std::chrono::milliseconds timeout = std::chrono::seconds(30));
    /// Kills it (SIGKILL), as a crash or a power cut would, and returns what it printed.
    ProcessResult kill();
    /// Starts it again on the same config (after stop() or kill()).
    void restart();
    const std::string& config_path() const noexcept { return m_config; }

private:
    std::string m_config;
    std::map<std::string, std::string> m_env;
    std::unique_ptr<ChildProcess> m_process;
};

/// The path of the built `switchboard` program.
std::string switchboard_program();

/// The peer's final {"type":"report",...} line, parsed (an empty object if none).
rapidjson::Document peer_report(const ProcessResult& result);
/// Every {"type":"event","event":name,...} line of a peer's output, parsed.
std::vector<rapidjson::Document> peer_events(const ProcessResult& result, const std::string& name);
/// The lines of `log` that contain `needle`.
std::vector<std::string> log_lines_with(const std::string& log, const std::string& needle);
/// How often `needle` occurs in `text`.
int count_of(const std::string& text, const std::string& needle);
/// A whole file (a dump a peer wrote); empty when it cannot be read.
std::string read_file(const std::filesystem::path& path);

// Reading a peer's report: a member of `v`, or the fallback when it is missing or of
// another type.
int int_of(const rapidjson::Value& v, const char* key, int fallback = -1);
double number_of(const rapidjson::Value& v, const char* key, double fallback = -1000);
std::string string_of(const rapidjson::Value& v, const char* key);
/// The video codec the viewer negotiated ("video/H264"): its report's codec.mimeType.
std::string codec_of(const rapidjson::Value& report);

}  // namespace switchboard::test
