/// \file station_fixture.hpp
/// \brief A call station (`switchboard run` with matrix.signalling, the test camera and a
/// recording of the far side) on the mini homeserver with Synapse's default rate limit
/// (`--rc-message 0.2:10`), and the matrix-js-sdk drivers (tests/peers/node) as the people
/// it calls and who call it. Users: the station, alice and bob (on its allow-list, and its
/// ring list "family"), mallory (not allowed). Everything on 127.0.0.1; every child ends by
/// its PID.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "support/gateway_process.hpp"
#include "support/http_request.hpp"
#include "support/matrix_homeserver.hpp"
#include "support/process.hpp"

namespace switchboard::test {

/// A js-sdk driver (matrix_callee.mjs / matrix_caller.mjs) running as a child.
class JsPeer {
public:
    /// Starts `script` as `user` with `args`; waits (up to 30 s) until it is signed in and synced.
    JsPeer(const std::filesystem::path& dir, const std::string& script, const std::string& hs_url,
           const std::string& user, std::vector<std::string> args);
    /// Waits for it to finish (its --timeout bounds it) and returns its output.
    ProcessResult wait(std::chrono::milliseconds timeout = std::chrono::seconds(120));
    bool ready() const noexcept { return m_ready; }

private:
    std::unique_ptr<ChildProcess> m_child;
    bool m_ready = false;
};

/// One call of a peer's report (`calls[0]` unless told).
const rapidjson::Value& report_call(const rapidjson::Document& report, std::size_t index = 0);
/// Not of a temporary report: the call would dangle.
const rapidjson::Value& report_call(rapidjson::Document&& report, std::size_t index = 0) = delete;
/// The states a probe saw, joined with " ".
std::string states_of(const rapidjson::Value& call);

class StationTest : public ::testing::Test {
protected:
    /// Extra keys of the station's config (JSON members without braces, e.g.
    /// `"timeline_limit": 10`), and more nodes and links (JSON objects, comma separated,
    /// without the brackets: a TV fed from station.video).
    void start_station(const std::string& extra_station_config = "", const std::string& extra_nodes = "",
                       const std::string& extra_links = "");
    /// POST /stations/station/call (retried while the station is still signing in).
    HttpReply place_call(const std::string& target, const std::string& options_json = "{}");
    HttpReply hang_up(const std::string& id);
    /// GET /calls, parsed.
    rapidjson::Document calls();
    /// The station's running or latest call of GET /calls; an empty object if none.
    std::string call_field(const std::string& id, const char* key);
    /// Waits until the call `id` is in `state` (GET /calls), up to `timeout`.
    bool wait_for_call_state(const std::string& id, const std::string& state,
                             std::chrono::milliseconds timeout = std::chrono::seconds(30));
    /// Waits for an incoming call to be connected at the station; its id, or empty.
    std::string wait_for_incoming_call(std::chrono::milliseconds timeout);

    JsPeer callee(const std::string& user, std::vector<std::string> args);
    JsPeer caller(const std::string& user, std::vector<std::string> args);

    /// The homeserver's m.call.* events of one call, in order.
    std::vector<HomeserverEvent> call_events(const std::string& call_id);
    /// Frames of the recording of the far side's video (ffprobe), and its audio level.
    int recorded_video_frames();
    double recorded_audio_dbfs();

    std::string user_id(const std::string& localpart) const { return "@" + localpart + ":localhost"; }

    void SetUp() override;
    void TearDown() override;
    /// More homeserver arguments (a test's fixture overrides it, e.g. for TURN).
    virtual std::vector<std::string> homeserver_args() { return {}; }

    std::filesystem::path m_dir;
    std::unique_ptr<MatrixHomeserver> m_hs;
    std::unique_ptr<GatewayProcess> m_gateway;
    std::uint16_t m_control_port = 0;
    std::filesystem::path m_recording;
};

}  // namespace switchboard::test
