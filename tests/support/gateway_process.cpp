// `switchboard run` for a test; see gateway_process.hpp.
#include "support/gateway_process.hpp"

#include <csignal>
#include <fstream>
#include <sstream>

namespace switchboard::test {

std::string switchboard_program() {
    return std::string(SWITCHBOARD_BINARY_DIR) + "/bin/switchboard";
}

GatewayProcess::GatewayProcess(const std::filesystem::path& dir, const std::string& config,
                               const std::map<std::string, std::string>& env)
    : m_env(env) {
    std::filesystem::create_directories(dir);
    m_config = (dir / "config.json").string();
    std::ofstream(m_config) << config;
    restart();
}

GatewayProcess::~GatewayProcess() {
    if (m_process) kill();
}

void GatewayProcess::restart() {
    m_process = std::make_unique<ChildProcess>(std::vector<std::string>{switchboard_program(), "run", m_config}, m_env);
}

ProcessResult GatewayProcess::stop(std::chrono::milliseconds timeout) {
    if (!m_process) return {};
    m_process->signal(SIGINT);
    auto result = m_process->wait(timeout);
    m_process.reset();
    return result;
}

ProcessResult GatewayProcess::kill() {
    if (!m_process) return {};
    m_process->signal(SIGKILL);
    auto result = m_process->wait(std::chrono::seconds(10));
    m_process.reset();
    return result;
}

namespace {

template <class Keep>
std::vector<rapidjson::Document> json_lines(const std::string& text, Keep keep) {
    std::vector<rapidjson::Document> out;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
        rapidjson::Document d;
        if (!d.Parse(line.c_str()).HasParseError() && d.IsObject() && keep(d)) out.push_back(std::move(d));
    }
    return out;
}

bool member_is(const rapidjson::Value& v, const char* key, const std::string& value) {
    return v.HasMember(key) && v[key].IsString() && v[key].GetString() == value;
}

}  // namespace

rapidjson::Document peer_report(const ProcessResult& result) {
    auto reports = json_lines(result.out, [](const rapidjson::Document& d) { return member_is(d, "type", "report"); });
    if (reports.empty()) {
        rapidjson::Document empty;
        empty.SetObject();
        return empty;
    }
    return std::move(reports.back());
}

std::vector<rapidjson::Document> peer_events(const ProcessResult& result, const std::string& name) {
    return json_lines(result.out, [&](const rapidjson::Document& d) {
        return member_is(d, "type", "event") && member_is(d, "event", name);
    });
}

std::vector<std::string> log_lines_with(const std::string& log, const std::string& needle) {
    std::vector<std::string> out;
    std::istringstream lines(log);
    for (std::string line; std::getline(lines, line);)
        if (line.find(needle) != std::string::npos) out.push_back(line);
    return out;
}

int count_of(const std::string& text, const std::string& needle) {
    int n = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
    return n;
}

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

int int_of(const rapidjson::Value& v, const char* key, int fallback) {
    return v.IsObject() && v.HasMember(key) && v[key].IsNumber() ? int(v[key].GetDouble()) : fallback;
}

double number_of(const rapidjson::Value& v, const char* key, double fallback) {
    return v.IsObject() && v.HasMember(key) && v[key].IsNumber() ? v[key].GetDouble() : fallback;
}

std::string string_of(const rapidjson::Value& v, const char* key) {
    return v.IsObject() && v.HasMember(key) && v[key].IsString() ? v[key].GetString() : "";
}

std::string codec_of(const rapidjson::Value& report) {
    if (!report.IsObject() || !report.HasMember("codec") || !report["codec"].IsObject()) return "";
    return string_of(report["codec"], "mimeType");
}

}  // namespace switchboard::test
