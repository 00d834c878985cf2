// The Chromecast emulator as a child; see cast_receiver.hpp.
#include "support/cast_receiver.hpp"

#include <csignal>
#include <fstream>
#include <functional>
#include <sstream>
#include <thread>

#include "support/loopback_ports.hpp"

namespace switchboard::test {

using namespace std::chrono_literals;

CastReceiver::CastReceiver(CastReceiverOptions options) : m_options(std::move(options)) {
    if (m_options.port == 0) m_options.port = free_loopback_port();
    restart();
}

CastReceiver::~CastReceiver() {
    if (m_process) stop();
}

std::vector<std::string> CastReceiver::argv() const {
    std::vector<std::string> a{"/usr/bin/node", std::string(SWITCHBOARD_NODE_PEERS_DIR) + "/cast_receiver.mjs",
                               "--port",        std::to_string(m_options.port),
                               "--timeout",     "300"};
    if (!m_options.misbehave.empty()) a.insert(a.end(), {"--misbehave", m_options.misbehave});
    if (m_options.silent_after_s > 0) a.insert(a.end(), {"--silent-after", std::to_string(m_options.silent_after_s)});
    if (m_options.user_switch_after_s > 0)
        a.insert(a.end(), {"--user-switch-after", std::to_string(m_options.user_switch_after_s)});
    if (m_options.play_timeout_s > 0) a.insert(a.end(), {"--play-timeout", std::to_string(m_options.play_timeout_s)});
    if (!m_options.stats_file.empty()) a.insert(a.end(), {"--stats-file", m_options.stats_file.string()});
    if (!m_options.dump_dir.empty()) a.insert(a.end(), {"--dump-dir", m_options.dump_dir.string()});
    return a;
}

void CastReceiver::restart() {
    if (!m_options.stats_file.empty()) std::filesystem::remove(m_options.stats_file);
    m_process = std::make_unique<ChildProcess>(argv());
    m_ready = wait_for_tcp(m_options.port, 30s);
}

std::string CastReceiver::stop() {
    if (!m_process) return {};
    m_process->signal(SIGCONT);
    m_process->signal(SIGTERM);
    auto out = m_process->wait(15s).out;
    m_process.reset();
    return out;
}

void CastReceiver::kill() {
    if (!m_process) return;
    m_process->signal(SIGKILL);
    m_process->wait(10s);
    m_process.reset();
}

rapidjson::Document CastReceiver::stats() const {
    rapidjson::Document doc;
    std::ifstream in(m_options.stats_file);
    std::stringstream text;
    text << in.rdbuf();
    if (doc.Parse(text.str().c_str()).HasParseError() || !doc.IsObject()) doc.SetObject();
    return doc;
}

rapidjson::Document CastReceiver::wait_for(const std::function<bool(const rapidjson::Document&)>& check,
                                           std::chrono::milliseconds timeout) const {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        auto doc = stats();
        if (check(doc) || std::chrono::steady_clock::now() > deadline) return doc;
        std::this_thread::sleep_for(200ms);
    }
}

namespace {

const rapidjson::Value* find(const rapidjson::Value& root, std::initializer_list<const char*> path) {
    const rapidjson::Value* v = &root;
    for (const char* key : path) {
        if (!v->IsObject()) return nullptr;
        auto it = v->FindMember(key);
        if (it == v->MemberEnd()) return nullptr;
        v = &it->value;
    }
    return v;
}

}  // namespace

double stat_number(const rapidjson::Value& stats, std::initializer_list<const char*> path) {
    const auto* v = find(stats, path);
    return v && v->IsNumber() ? v->GetDouble() : -1;
}

std::string stat_string(const rapidjson::Value& stats, std::initializer_list<const char*> path) {
    const auto* v = find(stats, path);
    return v && v->IsString() ? std::string(v->GetString(), v->GetStringLength()) : std::string();
}

}  // namespace switchboard::test
