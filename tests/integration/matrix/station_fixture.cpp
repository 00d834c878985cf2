// A call station and js-sdk peers for a test; see station_fixture.hpp.
#include "station_fixture.hpp"

#include <cmath>
#include <regex>
#include <sstream>
#include <thread>

#include "support/loopback_ports.hpp"

namespace switchboard::test {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

const std::string node_peers = SWITCHBOARD_NODE_PEERS_DIR;

std::string test_name() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    return std::string(info->test_suite_name()) + "." + info->name();
}

}  // namespace

// --- peers -------------------------------------------------------------------------------

JsPeer::JsPeer(const fs::path& dir, const std::string& script, const std::string& hs_url, const std::string& user,
               std::vector<std::string> args) {
    static int serial = 0;
    const auto ready = dir / (user + "-" + std::to_string(++serial) + ".ready");
    fs::remove(ready);
    std::vector<std::string> argv{"/usr/bin/node", node_peers + "/" + script,
                                  "--hs",          hs_url,
                                  "--user",        user,
                                  "--password",    user + "-pw",
                                  "--ready-file",  ready.string()};
    argv.insert(argv.end(), args.begin(), args.end());
    m_child = std::make_unique<ChildProcess>(argv);
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    while (!(m_ready = fs::exists(ready)) && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(50ms);
}

ProcessResult JsPeer::wait(std::chrono::milliseconds timeout) {
    auto result = m_child->wait(timeout);
    if (result.exit_code != 0 && !result.err.empty())
        std::fprintf(stderr, "--- peer stderr (tail):\n%s\n",
                     result.err.substr(result.err.size() > 3000 ? result.err.size() - 3000 : 0).c_str());
    return result;
}

const rapidjson::Value& report_call(const rapidjson::Document& report, std::size_t index) {
    static const rapidjson::Value empty(rapidjson::kObjectType);
    if (!report.IsObject() || !report.HasMember("calls") || !report["calls"].IsArray() ||
        report["calls"].Size() <= index)
        return empty;
    return report["calls"][rapidjson::SizeType(index)];
}

std::string states_of(const rapidjson::Value& call) {
    std::string out;
    if (call.IsObject() && call.HasMember("states") && call["states"].IsArray())
        for (const auto& s : call["states"].GetArray())
            if (s.IsString()) out += (out.empty() ? "" : " ") + std::string(s.GetString());
    return out;
}

// --- the station --------------------------------------------------------------------------

void StationTest::SetUp() {
    m_dir = fs::path(SWITCHBOARD_BINARY_DIR) / "matrix-station-test" / test_name();
    fs::remove_all(m_dir);
    fs::create_directories(m_dir);
    auto args = homeserver_args();
    args.insert(args.begin(), {"--rc-message", "0.2:10"});
    m_hs = std::make_unique<MatrixHomeserver>(args);
    ASSERT_TRUE(m_hs->ready());
    for (const char* user : {"station", "alice", "bob", "mallory"})
        m_hs->register_user(user, std::string(user) + "-pw");
}

void StationTest::TearDown() {
    if (m_gateway) {
        auto result = m_gateway->stop();
        if (HasFailure()) std::fprintf(stderr, "--- switchboard log:\n%s\n", result.err.c_str());
    }
}

void StationTest::start_station(const std::string& extra, const std::string& extra_nodes,
                                const std::string& extra_links) {
    m_control_port = free_loopback_port();
    m_recording = m_dir / "far-side.mkv";
    std::ostringstream config;
    config << R"({
  "state_dir": ")"
           << (m_dir / "state").string() << R"(",
  "rtc": {"gather_addresses": ["127.0.0.1"]},
  "control": {"listen": "127.0.0.1:)"
           << m_control_port << R"("},
  "nodes": [
    {"name": "camera", "type": "testsrc.camera", "config": {"width": 320, "height": 240, "fps": 30}},
    {"name": "station", "type": "matrix.signalling", "config": {
      "homeserver": ")"
           << m_hs->url() << R"(", "user": "station", "password": "${env:STATION_PASSWORD}",
      "allow": ["@alice:localhost", "@bob:localhost"],
      "ring_lists": {"family": ["@alice:localhost", "@bob:localhost"]})"
           << (extra.empty() ? "" : ", " + extra) << R"(}},
    {"name": "far_side", "type": "file.sink", "config": {"path": ")"
           << m_recording.string() << R"("}})" << (extra_nodes.empty() ? "" : ",\n    " + extra_nodes) << R"(
  ],
  "links": [
    {"from": "camera.video", "to": "station.video"},
    {"from": "camera.audio", "to": "station.audio"},
    {"from": "station.video", "to": "far_side.video"},
    {"from": "station.audio", "to": "far_side.audio"})"
           << (extra_links.empty() ? "" : ",\n    " + extra_links) << R"(
  ]
})";
    m_gateway = std::make_unique<GatewayProcess>(
        m_dir, config.str(), std::map<std::string, std::string>{{"STATION_PASSWORD", "station-pw"}});
    ASSERT_TRUE(wait_for_tcp(m_control_port, 20s)) << "the control API did not come up";
}

HttpReply StationTest::place_call(const std::string& target, const std::string& options_json) {
    const std::string body = "{\"target\":\"" + target + "\",\"options\":" + options_json + "}";
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    for (;;) {
        auto reply = http_request("POST", m_control_port, "/stations/station/call", body, "application/json", 70s);
        if (reply.status != 409 || reply.body.find("not signed in") == std::string::npos ||
            std::chrono::steady_clock::now() > deadline)
            return reply;
        std::this_thread::sleep_for(200ms);
    }
}

HttpReply StationTest::hang_up(const std::string& id) {
    return http_request("DELETE", m_control_port, "/calls/" + id);
}

rapidjson::Document StationTest::calls() {
    rapidjson::Document doc;
    auto reply = http_request("GET", m_control_port, "/calls");
    doc.Parse(reply.body.c_str());
    if (doc.HasParseError() || !doc.IsObject()) doc.SetObject();
    return doc;
}

std::string StationTest::call_field(const std::string& id, const char* key) {
    auto doc = calls();
    if (doc.HasMember("calls") && doc["calls"].IsArray())
        for (const auto& c : doc["calls"].GetArray())
            if (string_of(c, "id") == id) return string_of(c, key);
    return {};
}

bool StationTest::wait_for_call_state(const std::string& id, const std::string& state,
                                      std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (call_field(id, "state") == state) return true;
        std::this_thread::sleep_for(100ms);
    }
    return false;
}

std::string StationTest::wait_for_incoming_call(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        auto doc = calls();
        if (doc.HasMember("calls") && doc["calls"].IsArray())
            for (const auto& c : doc["calls"].GetArray())
                if (string_of(c, "direction") == "incoming" && string_of(c, "state") == "connected")
                    return string_of(c, "id");
        std::this_thread::sleep_for(200ms);
    }
    return {};
}

JsPeer StationTest::callee(const std::string& user, std::vector<std::string> args) {
    return JsPeer(m_dir, "matrix_callee.mjs", m_hs->url(), user, std::move(args));
}

JsPeer StationTest::caller(const std::string& user, std::vector<std::string> args) {
    return JsPeer(m_dir, "matrix_caller.mjs", m_hs->url(), user, std::move(args));
}

std::vector<HomeserverEvent> StationTest::call_events(const std::string& call_id) {
    std::vector<HomeserverEvent> out;
    for (auto& e : m_hs->events())
        if (e.type.rfind("m.call.", 0) == 0 && e.content && e.content->IsObject() && e.content->HasMember("call_id") &&
            (*e.content)["call_id"].IsString() && (*e.content)["call_id"].GetString() == call_id)
            out.push_back(std::move(e));
    return out;
}

int StationTest::recorded_video_frames() {
    auto r = run_process({"/usr/bin/ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries",
                          "stream=nb_read_frames", "-of", "csv=p=0", m_recording.string()});
    try {
        return std::stoi(r.out);
    } catch (...) {
        return -1;
    }
}

double StationTest::recorded_audio_dbfs() {
    auto r = run_process({"/usr/bin/ffmpeg", "-hide_banner", "-nostats", "-i", m_recording.string(), "-map", "0:a:0",
                          "-af", "volumedetect", "-f", "null", "-"});
    std::smatch m;
    static const std::regex mean(R"(mean_volume: (-?[0-9.]+) dB)");
    if (std::regex_search(r.err, m, mean)) return std::stod(m[1]);
    return -1000;
}

}  // namespace switchboard::test
