// chromecast.sink in a call station, end to end on 127.0.0.1: a matrix-js-sdk caller
// (alice: the stamped test pattern and a tone) calls the station; the station's far
// side goes to a TV, the Chromecast emulator (tests/peers/node/cast_receiver.mjs), which
// opens what it is sent in headless Chromium, as a Chromecast would: the TV page over
// WHEP (webrtc mode) or the LL-HLS stream with hls.js (media mode). What the TV decoded
// comes from the emulator's stats file.
#include <gtest/gtest.h>

#include <csignal>
#include <cstdio>
#include <string>
#include <thread>

#include "matrix/station_fixture.hpp"
#include "support/cast_receiver.hpp"
#include "support/gateway_process.hpp"
#include "support/http_request.hpp"
#include "support/loopback_ports.hpp"

using namespace std::chrono_literals;
using namespace switchboard::test;

namespace {

bool has(const std::string& text, const std::string& what) {
    return text.find(what) != std::string::npos;
}

/// The token in a TV URL ("...?token=abc" or ".../hls/abc/index.m3u8"); empty if none.
std::string token_of(const std::string& url) {
    if (auto at = url.find("token="); at != std::string::npos) return url.substr(at + 6, 32);
    if (auto at = url.find("/hls/"); at != std::string::npos) return url.substr(at + 5, 32);
    return {};
}

/// A minimal recvonly offer: enough for the WHEP endpoint to look at the token first.
const std::string offer = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";

class TvStationTest : public StationTest {
protected:
    /// The station with a TV on the emulator; `tv_config` adds keys to the sink's config.
    void start_with_tv(const std::string& mode, const std::string& tv_config = "") {
        m_tv_port = free_loopback_port();
        const std::string node =
            R"({"name": "tv", "type": "chromecast.sink", "config": {"host": "127.0.0.1", "port": )" +
            std::to_string(m_receiver->port()) + R"(, "mode": ")" + mode + R"(", "listen": "127.0.0.1:)" +
            std::to_string(m_tv_port) + R"(", "heartbeat_interval_s": 2, "dead_after_s": 6, "reconnect_max_s": 1)" +
            (tv_config.empty() ? "" : ", " + tv_config) + "}}";
        // media mode: VP8 and Opus from the far side become H264 and AAC on the way.
        const std::string convert = mode == "media" ? R"(, "convert": "auto")" : "";
        start_station("", node,
                      R"({"from": "station.video", "to": "tv.video")" + convert +
                          R"(}, {"from": "station.audio", "to": "tv.audio")" + convert + "}");
    }

    void start_receiver(CastReceiverOptions options = {}) {
        options.stats_file = m_dir / "tv-stats.json";
        m_receiver = std::make_unique<CastReceiver>(options);
        ASSERT_TRUE(m_receiver->ready()) << "the Chromecast emulator did not come up";
    }

    /// alice (matrix-js-sdk: the stamped pattern and a tone) calls the station and hangs up
    /// after `hangup_after_s`; her run passes with `min_frames` frames decoded.
    JsPeer alice_calls(int hangup_after_s, int min_frames, int timeout_s) {
        auto alice =
            caller("alice", {"--target", "@station:localhost", "--hangup-after", std::to_string(hangup_after_s),
                             "--min-frames", std::to_string(min_frames), "--timeout", std::to_string(timeout_s)});
        EXPECT_TRUE(alice.ready()) << "alice did not sign in";
        return alice;
    }

    /// Waits until the TV decoded `frames` frames of the app it shows now.
    rapidjson::Document wait_for_tv_frames(double frames, std::chrono::milliseconds timeout) {
        return m_receiver->wait_for(
            [&](const rapidjson::Document& s) {
                return stat_number(s, {"tv_stats", "frames"}) >= frames;
            },
            timeout);
    }

    /// Stops the gateway; its log (also printed if the test failed).
    std::string stop_gateway() {
        m_log = m_gateway->stop().err;
        return m_log;
    }

    void TearDown() override {
        if (HasFailure() && !m_log.empty()) std::fprintf(stderr, "--- switchboard log:\n%s\n", m_log.c_str());
        if (m_receiver) {
            const auto events = m_receiver->stop();
            if (HasFailure()) std::fprintf(stderr, "--- emulator events:\n%s\n", events.c_str());
        }
        StationTest::TearDown();
    }

    std::unique_ptr<CastReceiver> m_receiver;
    std::uint16_t m_tv_port = 0;
    std::string m_log;
};

}  // namespace

TEST_F(TvStationTest, WebrtcModeShowsTheCallOnTheTvWithItsOwnToken) {
    ASSERT_NO_FATAL_FAILURE(start_receiver());
    ASSERT_NO_FATAL_FAILURE(start_with_tv("webrtc"));
    auto alice = alice_calls(18, 100, 90);
    const std::string call = wait_for_incoming_call(40s);
    ASSERT_FALSE(call.empty()) << "alice's call was not answered";

    auto stats = m_receiver->wait_for(
        [](const rapidjson::Document& s) {
            return stat_number(s, {"tv_stats", "frames"}) >= 120 && stat_number(s, {"tv_stats", "audio_dbfs"}) > -40 &&
                   stat_number(s, {"tv_stats", "latency_ms", "n"}) >= 30;
        },
        60s);
    EXPECT_EQ(stat_string(stats, {"app"}), "84912283");
    EXPECT_GE(stat_number(stats, {"tv_stats", "frames"}), 120);
    EXPECT_GT(stat_number(stats, {"tv_stats", "audio_dbfs"}), -40) << "the TV played no sound";
    const std::string url = stat_string(stats, {"url"});
    EXPECT_TRUE(has(url, "http://127.0.0.1:" + std::to_string(m_tv_port) + "/tv?token=")) << url;
    std::printf(
        "[tv] webrtc mode: the TV decoded %.0f frames, audio %.1f dBFS; glass-to-glass p50 %.0f ms, p90 %.0f "
        "ms (%.0f stamps)\n",
        stat_number(stats, {"tv_stats", "frames"}), stat_number(stats, {"tv_stats", "audio_dbfs"}),
        stat_number(stats, {"tv_stats", "latency_ms", "p50"}), stat_number(stats, {"tv_stats", "latency_ms", "p90"}),
        stat_number(stats, {"tv_stats", "latency_ms", "n"}));

    // Nothing else on the LAN may watch: no token, or a wrong one, is refused.
    EXPECT_EQ(http_request("POST", m_tv_port, "/whep", offer, "application/sdp").status, 401);
    auto wrong = http_request("POST", m_tv_port, "/whep", offer, "application/sdp", 10s,
                              {{"Authorization", "Bearer 0123456789abcdef0123456789abcdef"}});
    EXPECT_EQ(wrong.status, 401);
    EXPECT_EQ(http_request("GET", m_tv_port, "/whep").status, 405);

    // alice hangs up: the TV app stops, and the call's token stops working.
    const auto a = alice.wait();
    EXPECT_EQ(a.exit_code, 0) << a.out;
    stats = m_receiver->wait_for([](const rapidjson::Document& s) { return stat_number(s, {"stops"}) >= 1; }, 20s);
    EXPECT_GE(stat_number(stats, {"stops"}), 1) << "the TV app was not stopped when the call ended";
    auto late = http_request("POST", m_tv_port, "/whep", offer, "application/sdp", 10s,
                             {{"Authorization", "Bearer " + token_of(url)}});
    EXPECT_EQ(late.status, 401) << "the ended call's token still works";

    const auto log = stop_gateway();
    EXPECT_TRUE(has(log, "call " + call + ": showing it on the TV")) << log;
    EXPECT_FALSE(has(log, token_of(url))) << "the token was logged";
}

TEST_F(TvStationTest, ATvKilledMidCallIsReconnectedAndRelaunchedAndTheCallStays) {
    ASSERT_NO_FATAL_FAILURE(start_receiver());
    ASSERT_NO_FATAL_FAILURE(start_with_tv("webrtc"));
    auto alice = alice_calls(28, 100, 90);
    const std::string call = wait_for_incoming_call(40s);
    ASSERT_FALSE(call.empty()) << "alice's call was not answered";
    auto stats = wait_for_tv_frames(30, 60s);
    ASSERT_GE(stat_number(stats, {"tv_stats", "frames"}), 30);

    m_receiver->kill();  // the TV is unplugged...
    std::this_thread::sleep_for(3s);
    m_receiver->restart();  // ...and back, with nothing running
    ASSERT_TRUE(m_receiver->ready());
    stats = wait_for_tv_frames(60, 60s);
    EXPECT_GE(stat_number(stats, {"tv_stats", "frames"}), 60) << "the TV page did not come back";
    EXPECT_EQ(stat_string(stats, {"app"}), "84912283");
    EXPECT_EQ(call_field(call, "state"), "connected") << "the call dropped with the TV";

    const auto a = alice.wait();
    EXPECT_EQ(a.exit_code, 0) << a.out;
    const auto log = stop_gateway();
    EXPECT_TRUE(has(log, "lost the TV")) << log;
    EXPECT_TRUE(has(log, "TV connected again")) << log;
    EXPECT_GE(count_of(log, "launched DashCast"), 2) << log;
    std::printf("[tv] after the TV came back it decoded %.0f frames; the call stayed connected\n",
                stat_number(stats, {"tv_stats", "frames"}));
}

TEST_F(TvStationTest, ATvThatStopsAnsweringPingIsDeclaredDeadAndReconnected) {
    CastReceiverOptions options;
    options.silent_after_s = 3;
    ASSERT_NO_FATAL_FAILURE(start_receiver(options));
    ASSERT_NO_FATAL_FAILURE(start_with_tv("webrtc"));
    // No call needed: the station keeps its TV connected all the time.
    auto stats =
        m_receiver->wait_for([](const rapidjson::Document& s) { return stat_number(s, {"connections"}) >= 2; }, 30s);
    EXPECT_GE(stat_number(stats, {"connections"}), 2) << "no reconnect after the TV went silent";
    const auto log = stop_gateway();
    EXPECT_TRUE(has(log, "lost the TV: chromecast 127.0.0.1:" + std::to_string(m_receiver->port()) +
                             ": the receiver is dead: nothing received for 6000 ms"))
        << log;
    EXPECT_TRUE(has(log, "TV connected again")) << log;
}

/// Someone switches the TV to YouTube mid-call: by default the station leaves it there;
/// with yield_to_other_apps off it takes the TV back.
class TvYieldTest : public TvStationTest, public ::testing::WithParamInterface<bool> {};

TEST_P(TvYieldTest, AnotherAppStartedOnTheTvMidCall) {
    const bool yield = GetParam();
    CastReceiverOptions options;
    options.user_switch_after_s = 6;
    ASSERT_NO_FATAL_FAILURE(start_receiver(options));
    ASSERT_NO_FATAL_FAILURE(start_with_tv("webrtc", yield ? "" : R"("yield_to_other_apps": false)"));
    auto alice = alice_calls(16, 50, 60);
    const std::string call = wait_for_incoming_call(40s);
    ASSERT_FALSE(call.empty()) << "alice's call was not answered";
    // DashCast, then YouTube by the user; without yielding, DashCast again.
    auto stats = m_receiver->wait_for(
        [&](const rapidjson::Document& s) { return stat_number(s, {"launches"}) >= (yield ? 2 : 3); }, 30s);
    std::this_thread::sleep_for(3s);  // time for a fight, if there is to be one
    stats = m_receiver->stats();
    if (yield) {
        EXPECT_EQ(stat_string(stats, {"app"}), "233637DE") << "the station took the TV back from its user";
        EXPECT_EQ(stat_number(stats, {"launches"}), 2);
    } else {
        EXPECT_EQ(stat_string(stats, {"app"}), "84912283") << "the station did not take the TV back";
        EXPECT_EQ(stat_number(stats, {"launches"}), 3);
    }
    EXPECT_EQ(call_field(call, "state"), "connected");
    const auto a = alice.wait();
    EXPECT_EQ(a.exit_code, 0) << a.out;
    const auto log = stop_gateway();
    EXPECT_EQ(has(log, "someone switched the TV to YouTube during the TV page of call " + call +
                           "; leaving it (yield_to_other_apps)"),
              yield)
        << log;
}

INSTANTIATE_TEST_SUITE_P(Tv, TvYieldTest, ::testing::Bool(),
                         [](const auto& info) { return info.param ? "Yields" : "TakesItBack"; });

/// The TV answers the station's first GET_STATUS with bad input of one kind.
class TvBadInputTest : public TvStationTest, public ::testing::WithParamInterface<const char*> {};

TEST_P(TvBadInputTest, ClosesThatConnectionWithALogLineAndTheStationReconnects) {
    CastReceiverOptions options;
    options.misbehave = GetParam();
    ASSERT_NO_FATAL_FAILURE(start_receiver(options));
    ASSERT_NO_FATAL_FAILURE(start_with_tv("webrtc"));
    auto stats =
        m_receiver->wait_for([](const rapidjson::Document& s) { return stat_number(s, {"connections"}) >= 2; }, 30s);
    EXPECT_GE(stat_number(stats, {"connections"}), 2) << "no reconnect";
    const auto log = stop_gateway();
    const std::string kind = GetParam();
    const std::string why = kind == "oversize"    ? "over the 65536-byte limit"
                            : kind == "truncated" ? "ended inside frame"
                            : kind == "garbage"   ? "is not a CastMessage"
                            : kind == "bad_json"  ? "malformed JSON"
                                                  : "unknown namespace";
    EXPECT_EQ(count_of(log, "lost the TV: chromecast 127.0.0.1:" + std::to_string(m_receiver->port())), 1) << log;
    EXPECT_TRUE(has(log, why)) << log;
    EXPECT_TRUE(has(log, "TV connected again")) << log;
}

INSTANTIATE_TEST_SUITE_P(Tv, TvBadInputTest,
                         ::testing::Values("oversize", "truncated", "garbage", "bad_json", "unknown_namespace"));

TEST_F(TvStationTest, MediaModePlaysTheCallAsLowLatencyHlsOnTheDefaultMediaReceiver) {
    // A player that shows nothing within 8 s fails (IDLE, ERROR), as a receiver's does,
    // and the station loads the stream again.
    CastReceiverOptions options;
    options.play_timeout_s = 8;
    // What the player fetched and logged, kept for a failure's diagnosis.
    options.dump_dir = m_dir / "hls-dump";
    std::filesystem::remove_all(options.dump_dir);
    ASSERT_NO_FATAL_FAILURE(start_receiver(options));
    ASSERT_NO_FATAL_FAILURE(start_with_tv("media"));
    auto alice = alice_calls(30, 100, 90);
    const std::string call = wait_for_incoming_call(40s);
    ASSERT_FALSE(call.empty()) << "alice's call was not answered";

    // hls.js in Chromium, as the receiver's player, decodes the far side's H264 and AAC.
    auto stats = m_receiver->wait_for(
        [](const rapidjson::Document& s) {
            return stat_number(s, {"tv_stats", "frames"}) >= 60 && stat_number(s, {"tv_stats", "audio_bytes"}) > 0 &&
                   stat_number(s, {"tv_stats", "latency_s"}) > 0;
        },
        60s);
    EXPECT_EQ(stat_string(stats, {"app"}), "CC1AD845");
    EXPECT_GE(stat_number(stats, {"tv_stats", "frames"}), 60);
    EXPECT_GT(stat_number(stats, {"tv_stats", "audio_bytes"}), 0) << "no AAC decoded";
    const std::string url = stat_string(stats, {"url"});
    const std::string base = "http://127.0.0.1:" + std::to_string(m_tv_port) + "/hls/";
    ASSERT_EQ(url.substr(0, base.size()), base) << url;
    const std::string stream = url.substr(std::string("http://127.0.0.1:").size() + std::to_string(m_tv_port).size());
    const std::string dir = stream.substr(0, stream.rfind('/') + 1);  // "/hls/<token>/"
    std::printf(
        "[tv] media mode: the player decoded %.0f frames and %.0f bytes of AAC; latency %.2f s (hls.js), "
        "%.2f s (now - PROGRAM-DATE-TIME)\n",
        stat_number(stats, {"tv_stats", "frames"}), stat_number(stats, {"tv_stats", "audio_bytes"}),
        stat_number(stats, {"tv_stats", "latency_s"}), stat_number(stats, {"tv_stats", "pdt_latency_s"}));

    // The playlist is LL-HLS, and a blocking reload for the part after the last one listed
    // returns once that part exists.
    const auto playlist = http_request("GET", m_tv_port, dir + "media.m3u8");
    ASSERT_EQ(playlist.status, 200) << playlist.body;
    for (const char* tag :
         {"#EXT-X-PART-INF:PART-TARGET=0.334", "CAN-BLOCK-RELOAD=YES", "#EXT-X-PART:", "#EXT-X-PRELOAD-HINT:TYPE=PART",
          "#EXT-X-MAP:URI=\"init.mp4\"", "#EXT-X-PROGRAM-DATE-TIME:"})
        EXPECT_TRUE(has(playlist.body, tag)) << tag << " missing from\n" << playlist.body;
    const auto hint = playlist.body.find("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"part");
    ASSERT_NE(hint, std::string::npos) << playlist.body;
    unsigned long msn = 0, part = 0;
    ASSERT_EQ(
        std::sscanf(playlist.body.c_str() + hint, "#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"part%lu.%lu.m4s\"", &msn, &part),
        2);
    const auto asked = std::chrono::steady_clock::now();
    const auto blocked = http_request(
        "GET", m_tv_port, dir + "media.m3u8?_HLS_msn=" + std::to_string(msn) + "&_HLS_part=" + std::to_string(part));
    const auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - asked);
    EXPECT_EQ(blocked.status, 200) << blocked.body;
    const std::string next = "part" + std::to_string(msn) + "." + std::to_string(part) + ".m4s";
    EXPECT_TRUE(has(blocked.body, "#EXT-X-PART:DURATION=") && has(blocked.body, "URI=\"" + next + "\""))
        << next << " not listed in\n"
        << blocked.body;
    EXPECT_LT(waited, 2s);

    const auto a = alice.wait();
    EXPECT_EQ(a.exit_code, 0) << a.out;
    stats = m_receiver->wait_for([](const rapidjson::Document& s) { return stat_number(s, {"stops"}) >= 1; }, 20s);
    EXPECT_GE(stat_number(stats, {"stops"}), 1) << "the TV app was not stopped when the call ended";
    EXPECT_EQ(http_request("GET", m_tv_port, dir + "media.m3u8").status, 404) << "the ended call's stream is served";

    // What LOAD asked the receiver: a live fMP4 HLS stream, played from its edge.
    const auto events = m_receiver->stop();
    EXPECT_TRUE(has(events, R"("streamType":"LIVE")")) << events;
    EXPECT_TRUE(has(events, R"("hlsVideoSegmentFormat":"fmp4")")) << events;
    EXPECT_TRUE(has(events, R"("currentTime_present":false)")) << events;
    const auto log = stop_gateway();
    EXPECT_TRUE(has(log, "call " + call + ": showing it on the TV")) << log;
    EXPECT_FALSE(has(log, token_of(url))) << "the stream's token was logged";
}
