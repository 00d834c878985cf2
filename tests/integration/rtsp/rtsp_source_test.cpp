// rtsp.source end to end: the test camera (gst-rtsp-server) -> `switchboard run` ->
// real WebRTC viewers through whep.server, all on 127.0.0.1.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <thread>

#include "support/gateway_process.hpp"
#include "support/h264_slices.hpp"
#include "support/loopback_ports.hpp"
#include "support/process.hpp"
#include "support/rtsp_camera.hpp"
#include "support/scripted_tcp_server.hpp"

using namespace std::chrono_literals;
using switchboard::test::ChildProcess;
using switchboard::test::codec_of;
using switchboard::test::count_of;
using switchboard::test::GatewayProcess;
using switchboard::test::int_of;
using switchboard::test::log_lines_with;
using switchboard::test::number_of;
using switchboard::test::peer_report;
using switchboard::test::ProcessResult;
using switchboard::test::read_file;
using switchboard::test::RtspCamera;
using ::testing::HasSubstr;

namespace {

namespace fs = std::filesystem;

const std::string aiortc_peer = std::string(SWITCHBOARD_SOURCE_DIR) + "/tests/peers/webrtc_peer_aiortc.py";
const std::string node_peers = std::string(SWITCHBOARD_NODE_PEERS_DIR);

/// A camera -> WHEP gateway; `source` is the rtsp.source config's inner JSON.
std::string whep_config(std::uint16_t port, const std::string& source, bool audio = true) {
    return R"({
      "rtc": {"gather_addresses": ["127.0.0.1"]},
      "nodes": [
        {"name": "camera", "type": "rtsp.source", "config": {)" +
           source + R"(}},
        {"name": "whep", "type": "whep.server", "config": {"listen": "127.0.0.1:)" +
           std::to_string(port) + R"("}}
      ],
      "links": [
        {"from": "camera.video", "to": "whep.video"})" +
           (audio ? R"(,
        {"from": "camera.audio", "to": "whep.audio"})"
                  : "") +
           R"(
      ]
    })";
}

struct Viewers {
    ProcessResult aiortc;
    ProcessResult wrtc;
};

/// aiortc asks for H264 (passthrough), libwebrtc for VP8 (transcoded), at once.
Viewers watch(const std::string& url, const std::string& h264_dump, int min_frames = 120) {
    ChildProcess aiortc({"/usr/bin/python3", aiortc_peer, "--whep", url, "--codec", "h264", "--duration", "5",
                         "--min-frames", std::to_string(min_frames), "--timeout", "40", "--h264-dump", h264_dump});
    ChildProcess wrtc({"/usr/bin/node", node_peers + "/webrtc_peer_wrtc.mjs", "--whep", url, "--codec", "vp8",
                       "--duration", "5", "--min-frames", std::to_string(min_frames), "--timeout", "40"});
    return {aiortc.wait(60s), wrtc.wait(60s)};
}

}  // namespace

TEST(RtspSource, H264PassesThroughToAiortcAndIsTranscodedToVp8ForLibwebrtc) {
    const fs::path dir = fs::path(SWITCHBOARD_BINARY_DIR) / "rtsp-test-passthrough";
    fs::remove_all(dir);
    fs::create_directories(dir);
    const std::string camera_dump = (dir / "camera.h264").string();
    RtspCamera camera({"--size", "640x360", "--fps", "30", "--audio", "aac", "--h264-dump", camera_dump});
    ASSERT_TRUE(camera.ready());
    const auto port = switchboard::test::free_loopback_port();
    GatewayProcess gateway(dir, whep_config(port, R"("url": ")" + camera.url() + "\""));
    ASSERT_TRUE(switchboard::test::wait_for_tcp(port, 30s)) << "whep.server never listened";

    const std::string received_dump = (dir / "aiortc-received.h264").string();
    const auto v = watch("http://127.0.0.1:" + std::to_string(port) + "/whep", received_dump);
    const auto g = gateway.stop();
    camera.stop();

    const auto ra = peer_report(v.aiortc), rw = peer_report(v.wrtc);
    std::printf("first frame after connected: aiortc (H264) %d ms, libwebrtc (VP8) %d ms\n",
                int_of(ra, "first_frame_after_connected_ms"), int_of(rw, "first_frame_after_connected_ms"));
    EXPECT_EQ(codec_of(ra), "video/H264") << v.aiortc.out << v.aiortc.err;
    EXPECT_GE(int_of(ra, "frames_decoded"), 120) << v.aiortc.out;
    EXPECT_GT(number_of(ra, "audio_level_dbfs"), -40.0) << v.aiortc.out;
    EXPECT_EQ(codec_of(rw), "video/VP8") << v.wrtc.out << v.wrtc.err;
    EXPECT_GE(int_of(rw, "frames_decoded"), 120) << v.wrtc.out;
    EXPECT_EQ(g.exit_code, 0) << g.err;

    // aiortc's video came straight from the camera: no decoder, no encoder on its path.
    std::vector<std::string> h264_paths;
    for (const auto& p : log_lines_with(g.err, "; path: "))
        if (p.find(".video: passthrough video/H264") != std::string::npos) h264_paths.push_back(p);
    ASSERT_EQ(h264_paths.size(), 1u) << g.err;
    EXPECT_THAT(h264_paths[0], HasSubstr("path: camera (rtsp.source) -> whep"));
    EXPECT_THAT(h264_paths[0], ::testing::Not(HasSubstr("transcode.")));
    // Each call says how its media came, when it starts and in its stats at the end.
    EXPECT_EQ(log_lines_with(g.err, "sends video: passthrough video/H264").size(), 1u) << g.err;
    EXPECT_EQ(log_lines_with(g.err, "sends video: transcoded to video/VP8").size(), 1u) << g.err;
    int stats_lines = 0;
    for (const auto& line : log_lines_with(g.err, "video send latency"))
        stats_lines += line.find("video: passthrough video/H264") != std::string::npos;
    EXPECT_EQ(stats_lines, 1) << "the passthrough call's stats at its end\n" << g.err;

    // Byte for byte what the camera's encoder made: aiortc's slices, in order, are a run
    // of the camera's (the viewer joined late and left early).
    const auto sent = switchboard::test::h264_slice_hashes(read_file(camera_dump));
    const auto received = switchboard::test::h264_slice_hashes(read_file(received_dump));
    std::printf("slices: %zu sent by the camera, %zu received by aiortc\n", sent.size(), received.size());
    ASSERT_GE(received.size(), 120u);
    EXPECT_TRUE(switchboard::test::is_run_of(sent, received)) << "the slices differ from the camera's";
}

namespace {

/// One received stream of the aiortc report's "rtp" object, by kind.
const rapidjson::Value* rtp_stream(const rapidjson::Document& report, const char* kind) {
    if (!report.IsObject() || !report.HasMember("rtp") || !report["rtp"].IsObject()) return nullptr;
    for (auto& m : report["rtp"].GetObject())
        if (m.value.HasMember("kind") && m.value["kind"] == kind) return &m.value;
    return nullptr;
}

int streams_of_kind(const rapidjson::Document& report, const char* kind) {
    int n = 0;
    if (report.IsObject() && report.HasMember("rtp") && report["rtp"].IsObject())
        for (auto& m : report["rtp"].GetObject()) n += m.value.HasMember("kind") && m.value["kind"] == kind;
    return n;
}

std::int64_t int64_of(const rapidjson::Value& v, const char* key) {
    return v.HasMember(key) && v[key].IsInt64() ? v[key].GetInt64() : -1;
}

}  // namespace

TEST(RtspSource, ACameraOutageMidCallIsBridgedAndTheStreamStaysOne) {
    const fs::path dir = fs::path(SWITCHBOARD_BINARY_DIR) / "rtsp-test-outage";
    fs::remove_all(dir);
    RtspCamera camera({"--size", "640x360", "--fps", "30", "--audio", "opus"});
    ASSERT_TRUE(camera.ready());
    const auto port = switchboard::test::free_loopback_port();
    GatewayProcess gateway(dir, whep_config(port, R"("url": ")" + camera.url() +
                                                      R"(", "reconnect_max_ms": 500, "no_media_timeout_ms": 2000)"));
    ASSERT_TRUE(switchboard::test::wait_for_tcp(port, 30s)) << "whep.server never listened";

    ChildProcess viewer({"/usr/bin/python3", aiortc_peer, "--whep",
                         "http://127.0.0.1:" + std::to_string(port) + "/whep", "--codec", "h264", "--duration", "16",
                         "--min-frames", "200", "--timeout", "60", "--rtp-continuity"});
    std::this_thread::sleep_for(4s);
    const auto killed_at = std::chrono::steady_clock::now();
    camera.kill();
    std::this_thread::sleep_for(5s);
    ASSERT_TRUE(camera.restart()) << "the camera did not come back";
    const auto outage_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - killed_at).count();
    const auto v = viewer.wait(90s);
    const auto g = gateway.stop();

    const auto report = peer_report(v);
    // The call held: the viewer ended it itself, after its full duration.
    EXPECT_EQ(switchboard::test::peer_events(v, "connection_state").size(), 3u)
        << v.out;  // connecting, connected, closed
    EXPECT_EQ(std::string(report.HasMember("reason") ? report["reason"].GetString() : ""), "duration reached") << v.out;
    EXPECT_EQ(int_of(report, "delete_status"), 200);
    EXPECT_GE(int_of(report, "frames_decoded"), 200) << v.out;

    // Frames stopped once, for the outage, and came back within 3 s of the camera.
    const auto gaps = switchboard::test::peer_events(v, "video_gap");
    ASSERT_EQ(gaps.size(), 1u) << v.out;
    const auto gap_ms = gaps[0]["gap_ms"].GetInt();
    std::printf("camera down for %lld ms; the viewer's frames paused for %d ms\n", (long long)outage_ms, gap_ms);
    EXPECT_LE(gap_ms, outage_ms + 3000) << v.out;

    // One stream throughout: the same SSRC, sequence numbers one by one, timestamps
    // never back and never more than a second ahead.
    EXPECT_EQ(streams_of_kind(report, "video"), 1) << v.out;
    const auto* video = rtp_stream(report, "video");
    ASSERT_NE(video, nullptr) << v.out;
    EXPECT_EQ(int64_of(*video, "seq_backwards"), 0) << v.out;
    EXPECT_LE(int64_of(*video, "seq_max_step"), 2) << v.out;
    EXPECT_EQ(int64_of(*video, "ts_backwards"), 0) << v.out;
    EXPECT_LE(int64_of(*video, "ts_max_step"), 90000) << v.out;
    EXPECT_EQ(streams_of_kind(report, "audio"), 1) << v.out;

    // The gateway said what happened, and counted.
    EXPECT_FALSE(log_lines_with(g.err, "reconnect 1 in").empty()) << g.err;
    EXPECT_FALSE(log_lines_with(g.err, "playing again after reconnect").empty()) << g.err;
    EXPECT_FALSE(log_lines_with(g.err, "video resumed after reconnect").empty()) << g.err;
    for (const auto& line : log_lines_with(g.err, "reconnect "))
        if (line.find(" in ") != std::string::npos) {
            EXPECT_THAT(line, ::testing::ContainsRegex(" in (250|500) ms"));
        }
    EXPECT_EQ(g.exit_code, 0) << g.err;
}

TEST(RtspSource, ACameraDownAtStartIsRetriedUntilItAnswers) {
    const fs::path dir = fs::path(SWITCHBOARD_BINARY_DIR) / "rtsp-test-down-at-start";
    fs::remove_all(dir);
    RtspCamera camera({"--size", "640x360", "--fps", "30", "--audio", "none"}, /*start=*/false);
    const auto port = switchboard::test::free_loopback_port();
    GatewayProcess gateway(
        dir,
        whep_config(port, R"("url": ")" + camera.url() + R"(", "reconnect_max_ms": 500, "expect": {"video": "h264"})",
                    /*audio=*/false));
    ASSERT_TRUE(switchboard::test::wait_for_tcp(port, 30s)) << "the gateway did not start without its camera";
    std::this_thread::sleep_for(2s);
    ASSERT_TRUE(camera.restart());
    const auto v =
        ChildProcess({"/usr/bin/python3", aiortc_peer, "--whep", "http://127.0.0.1:" + std::to_string(port) + "/whep",
                      "--codec", "h264", "--duration", "3", "--min-frames", "60", "--timeout", "30"})
            .wait(60s);
    const auto g = gateway.stop();
    EXPECT_GE(int_of(peer_report(v), "frames_decoded"), 60) << v.out << v.err;
    EXPECT_FALSE(log_lines_with(g.err, "starting with the expected media, and retrying").empty()) << g.err;
    EXPECT_FALSE(log_lines_with(g.err, "playing again after reconnect").empty()) << g.err;
    EXPECT_EQ(g.exit_code, 0) << g.err;
}

TEST(RtspSource, RtpOverUdpWithReceiverReports) {
    const fs::path dir = fs::path(SWITCHBOARD_BINARY_DIR) / "rtsp-test-udp";
    fs::remove_all(dir);
    RtspCamera camera({"--size", "640x360", "--fps", "30", "--audio", "opus"});
    ASSERT_TRUE(camera.ready());
    const auto port = switchboard::test::free_loopback_port();
    GatewayProcess gateway(dir, whep_config(port, R"("url": ")" + camera.url() + R"(", "transport": "udp")"));
    ASSERT_TRUE(switchboard::test::wait_for_tcp(port, 30s));
    const auto v =
        ChildProcess({"/usr/bin/python3", aiortc_peer, "--whep", "http://127.0.0.1:" + std::to_string(port) + "/whep",
                      "--codec", "h264", "--duration", "5", "--min-frames", "120", "--timeout", "30"})
            .wait(60s);
    const auto g = gateway.stop();
    const auto report = peer_report(v);
    EXPECT_GE(int_of(report, "frames_decoded"), 120) << v.out << v.err;
    EXPECT_GT(number_of(report, "audio_level_dbfs"), -40.0) << v.out;
    EXPECT_FALSE(log_lines_with(g.err, "RTP over UDP").empty()) << g.err;
    EXPECT_EQ(g.exit_code, 0) << g.err;
}

namespace {

/// `switchboard check` on a config whose only node is an rtsp.source with `source`.
ProcessResult check_source(const fs::path& dir, const std::string& source) {
    fs::create_directories(dir);
    const auto config = dir / "config.json";
    std::ofstream(config) << R"({"nodes": [{"name": "camera", "type": "rtsp.source", "config": {)" << source
                          << "}}], \"links\": []}";
    return switchboard::test::run_process({switchboard::test::switchboard_program(), "check", config.string()}, {},
                                          60s);
}

std::string rtsp_answer(const std::string& request, const std::string& status, const std::string& headers = "",
                        const std::string& body = "") {
    return "RTSP/1.0 " + status + "\r\nCSeq: " + switchboard::test::cseq_of(request) + "\r\n" + headers +
           (body.empty() ? "" : "Content-Length: " + std::to_string(body.size()) + "\r\n") + "\r\n" + body;
}

}  // namespace

TEST(RtspSource, BadCamerasGetOneClearErrorEachAtCheck) {
    const fs::path dir = fs::path(SWITCHBOARD_BINARY_DIR) / "rtsp-test-bad";
    fs::remove_all(dir);
    constexpr int bad_config = 2;

    // Not an RTSP URL: the schema says so.
    auto r = check_source(dir, R"("url": "http://127.0.0.1/cam")");
    EXPECT_EQ(r.exit_code, bad_config) << r.err;
    EXPECT_THAT(r.err, HasSubstr("/nodes/0/config/url")) << r.err;

    // Nothing listens, and the config does not say what to expect.
    const auto closed = switchboard::test::free_loopback_port();
    r = check_source(dir, R"("url": "rtsp://127.0.0.1:)" + std::to_string(closed) + R"(/cam", "timeout_ms": 2000)");
    EXPECT_EQ(r.exit_code, bad_config) << r.err;
    EXPECT_THAT(r.err, HasSubstr("cannot connect to 127.0.0.1:" + std::to_string(closed))) << r.err;
    EXPECT_THAT(r.err, HasSubstr("set \"expect\"")) << r.err;

    // A real camera, a wrong path.
    {
        RtspCamera camera({"--size", "320x240", "--audio", "none"});
        ASSERT_TRUE(camera.ready());
        r = check_source(dir, R"("url": ")" + camera.url("/nope") + "\"");
        EXPECT_EQ(r.exit_code, bad_config) << r.err;
        EXPECT_THAT(r.err, HasSubstr("DESCRIBE " + camera.url("/nope") + ": the camera answered 404")) << r.err;
    }

    // A server that answers in another protocol.
    {
        switchboard::test::ScriptedTcpServer http(
            [](const std::string&) { return std::string("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi"); });
        r = check_source(dir, R"("url": "rtsp://127.0.0.1:)" + std::to_string(http.port()) + R"(/cam")");
        EXPECT_EQ(r.exit_code, bad_config) << r.err;
        EXPECT_THAT(r.err, HasSubstr("camera rtsp://127.0.0.1:" + std::to_string(http.port()) + "/cam: ")) << r.err;
    }
    // Bytes that are nothing at all.
    {
        switchboard::test::ScriptedTcpServer noise([](const std::string&) { return std::string(3000, '\x17'); });
        r = check_source(dir, R"("url": "rtsp://127.0.0.1:)" + std::to_string(noise.port()) + R"(/cam")");
        EXPECT_EQ(r.exit_code, bad_config) << r.err;
        EXPECT_THAT(r.err, HasSubstr("camera rtsp://127.0.0.1:" + std::to_string(noise.port()) + "/cam: ")) << r.err;
    }
    // A camera whose codecs Switchboard does not read.
    {
        switchboard::test::ScriptedTcpServer mpeg4([](const std::string& request) {
            if (request.rfind("DESCRIBE", 0) == 0)
                return rtsp_answer(request, "200 OK", "Content-Type: application/sdp\r\n",
                                   "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=cam\r\nt=0 0\r\n"
                                   "m=video 0 RTP/AVP 96\r\na=rtpmap:96 MP4V-ES/90000\r\na=control:track1\r\n"
                                   "m=audio 0 RTP/AVP 97\r\na=rtpmap:97 MP4A-LATM/44100/2\r\na=control:track2\r\n");
            return rtsp_answer(request, "200 OK", "Public: OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN\r\n");
        });
        r = check_source(dir, R"("url": "rtsp://127.0.0.1:)" + std::to_string(mpeg4.port()) + R"(/cam")");
        EXPECT_EQ(r.exit_code, bad_config) << r.err;
        EXPECT_THAT(r.err, HasSubstr("offers no audio or video Switchboard can read (video: MP4V-ES/90000 is not "
                                     "supported; audio: MP4A-LATM/44100 is not supported)"))
            << r.err;
    }
}

TEST(RtspSource, MultiSliceH264AndACameraWithoutAudio) {
    const fs::path dir = fs::path(SWITCHBOARD_BINARY_DIR) / "rtsp-test-sliced";
    fs::remove_all(dir);
    fs::create_directories(dir);
    const std::string camera_dump = (dir / "camera.h264").string();
    RtspCamera camera({"--size", "640x360", "--fps", "30", "--audio", "none", "--sliced", "--h264-dump", camera_dump});
    ASSERT_TRUE(camera.ready());
    const auto port = switchboard::test::free_loopback_port();
    GatewayProcess gateway(dir, whep_config(port, R"("url": ")" + camera.url() + "\"", /*audio=*/false));
    ASSERT_TRUE(switchboard::test::wait_for_tcp(port, 30s));
    const std::string received_dump = (dir / "aiortc-received.h264").string();
    const auto v = ChildProcess({"/usr/bin/python3", aiortc_peer, "--whep",
                                 "http://127.0.0.1:" + std::to_string(port) + "/whep", "--codec", "h264", "--duration",
                                 "5", "--min-frames", "120", "--timeout", "30", "--h264-dump", received_dump})
                       .wait(60s);
    const auto g = gateway.stop();
    EXPECT_GE(int_of(peer_report(v), "frames_decoded"), 120) << v.out << v.err;
    EXPECT_EQ(g.exit_code, 0) << g.err;
    // The camera's one port is video; its frames hold several slices, all passed on.
    EXPECT_FALSE(log_lines_with(g.err, "sends video/H264").empty()) << g.err;
    EXPECT_TRUE(log_lines_with(g.err, "audio/").empty()) << g.err;
    const auto sent = switchboard::test::h264_slice_hashes(read_file(camera_dump));
    const auto received = switchboard::test::h264_slice_hashes(read_file(received_dump));
    std::printf("slices: %zu sent, %zu received, %d frames decoded\n", sent.size(), received.size(),
                int_of(peer_report(v), "frames_decoded"));
    EXPECT_GE(received.size(), 2u * 120u) << "several slices per frame";
    EXPECT_TRUE(switchboard::test::is_run_of(sent, received)) << "the slices differ from the camera's";
}

namespace {

/// One gateway run: the camera (with `camera_args`) behind an rtsp.source with `source`
/// (its config besides the URL), one viewer (`viewer` argv, its --whep URL appended),
/// `env` for the gateway. The camera's printout comes back too.
struct Run {
    ProcessResult viewer;
    ProcessResult gateway;
    ProcessResult camera;
};

Run run_camera(const std::string& name, std::vector<std::string> camera_args, const std::string& source,
               std::vector<std::string> viewer, bool audio = true, const std::map<std::string, std::string>& env = {},
               bool tls = false) {
    const fs::path dir = fs::path(SWITCHBOARD_BINARY_DIR) / ("rtsp-test-" + name);
    fs::remove_all(dir);
    fs::create_directories(dir);
    for (auto& a : camera_args)
        if (a == "@dir") a = dir.string();
    RtspCamera camera(camera_args);
    if (!camera.ready()) return {};
    const auto port = switchboard::test::free_loopback_port();
    std::string config = R"("url": ")" + camera.url("/cam", tls) + "\"";
    if (!source.empty()) config += ", " + source;
    for (std::string::size_type at; (at = config.find("@dir")) != std::string::npos;)
        config.replace(at, 4, dir.string());
    GatewayProcess gateway(dir, whep_config(port, config, audio), env);
    if (!switchboard::test::wait_for_tcp(port, 30s)) return {{}, gateway.stop(), camera.stop()};
    viewer.push_back("--whep");
    viewer.push_back("http://127.0.0.1:" + std::to_string(port) + "/whep");
    Run r;
    r.viewer = ChildProcess(viewer).wait(90s);
    r.gateway = gateway.stop();
    r.camera = camera.stop();
    return r;
}

std::vector<std::string> aiortc_h264(const std::string& seconds = "5") {
    return {"/usr/bin/python3", aiortc_peer, "--codec",   "h264", "--duration", seconds,
            "--min-frames",     "120",       "--timeout", "40"};
}

std::vector<std::string> wrtc_vp8() {
    return {"/usr/bin/node", node_peers + "/webrtc_peer_wrtc.mjs",
            "--codec",       "vp8",
            "--duration",    "5",
            "--min-frames",  "120",
            "--timeout",     "40"};
}

}  // namespace

TEST(RtspSource, H265AndMjpegCamerasAreTranscodedToVp8) {
    for (const std::string video : {"h265", "mjpeg"}) {
        SCOPED_TRACE(video);
        const auto r = run_camera(video, {"--size", "640x360", "--video", video, "--audio", "none"}, "", wrtc_vp8(),
                                  /*audio=*/false);
        const auto report = peer_report(r.viewer);
        EXPECT_EQ(codec_of(report), "video/VP8") << r.viewer.out << r.viewer.err;
        EXPECT_GE(int_of(report, "frames_decoded"), 120) << r.viewer.out;
        EXPECT_EQ(log_lines_with(r.gateway.err, "sends video: transcoded to video/VP8").size(), 1u) << r.gateway.err;
        EXPECT_EQ(r.gateway.exit_code, 0) << r.gateway.err;
    }
}

TEST(RtspSource, G711AudioArrivesAsOpus) {
    const auto r = run_camera("pcmu", {"--size", "640x360", "--audio", "pcmu"}, "", aiortc_h264());
    const auto report = peer_report(r.viewer);
    EXPECT_GE(int_of(report, "frames_decoded"), 120) << r.viewer.out << r.viewer.err;
    EXPECT_GT(number_of(report, "audio_level_dbfs"), -40.0) << r.viewer.out;
    EXPECT_FALSE(log_lines_with(r.gateway.err, "audio/PCMU").empty()) << r.gateway.err;
    EXPECT_EQ(log_lines_with(r.gateway.err, "sends audio: transcoded to audio/opus").size(), 1u) << r.gateway.err;
}

TEST(RtspSource, BasicAndDigestSignInAndAWrongPasswordIsOneClearError) {
    for (const std::string scheme : {"basic", "digest"}) {
        SCOPED_TRACE(scheme);
        const auto r = run_camera("auth-" + scheme,
                                  {"--size", "640x360", "--audio", "none", "--user", "doorbell", "--password",
                                   "s3cret pass", "--auth", scheme},
                                  R"("user": "doorbell", "password": "${env:CAMERA_PASSWORD}")", aiortc_h264("3"),
                                  /*audio=*/false, {{"CAMERA_PASSWORD", "s3cret pass"}});
        EXPECT_GE(int_of(peer_report(r.viewer), "frames_decoded"), 60) << r.viewer.out << r.gateway.err;
        EXPECT_EQ(r.gateway.err.find("s3cret"), std::string::npos) << "the password reached the log";

        RtspCamera camera({"--audio", "none", "--user", "doorbell", "--password", "s3cret pass", "--auth", scheme});
        ASSERT_TRUE(camera.ready());
        const fs::path dir = fs::path(SWITCHBOARD_BINARY_DIR) / ("rtsp-test-wrong-" + scheme);
        const auto check =
            check_source(dir, R"("url": ")" + camera.url() + R"(", "user": "doorbell", "password": "not it")");
        EXPECT_EQ(check.exit_code, 2) << check.err;
        EXPECT_THAT(check.err, HasSubstr("wrong user name or password")) << check.err;
        EXPECT_EQ(log_lines_with(check.err, "wrong user name or password").size(), 1u) << check.err;
    }
}

TEST(RtspSource, RtspsChecksTheCamerasCertificate) {
    const auto r = run_camera("rtsps", {"--size", "640x360", "--audio", "none", "--make-cert", "@dir"},
                              R"("tls": {"ca_file": "@dir/cert.pem"})", aiortc_h264("3"), /*audio=*/false, {},
                              /*tls=*/true);
    EXPECT_GE(int_of(peer_report(r.viewer), "frames_decoded"), 60) << r.viewer.out << r.gateway.err << r.camera.out;

    // Without the camera's certificate it is not trusted.
    const fs::path dir = fs::path(SWITCHBOARD_BINARY_DIR) / "rtsp-test-rtsps-untrusted";
    fs::remove_all(dir);
    fs::create_directories(dir);
    RtspCamera camera({"--audio", "none", "--make-cert", dir.string()});
    ASSERT_TRUE(camera.ready());
    const auto check = check_source(dir, R"("url": ")" + camera.url("/cam", true) + "\"");
    EXPECT_EQ(check.exit_code, 2) << check.err;
    EXPECT_THAT(check.err, HasSubstr("TLS handshake with 127.0.0.1:" + std::to_string(camera.port()) + " failed"))
        << check.err;
}

TEST(RtspSource, TheSessionIsKeptPastTheCamerasSessionTimeout) {
    const auto r = run_camera("keepalive", {"--size", "640x360", "--audio", "none", "--session-timeout", "3"}, "",
                              aiortc_h264("9"), /*audio=*/false);
    const auto report = peer_report(r.viewer);
    // Nine seconds of video through a session the camera drops after 3 s of silence.
    EXPECT_GE(int_of(report, "frames_decoded"), 240) << r.viewer.out;
    EXPECT_EQ(r.camera.out.find("\"session-expired\""), std::string::npos) << r.camera.out;
    EXPECT_GE(count_of(r.camera.out, "\"type\": \"keepalive\""), 4) << r.camera.out;
    EXPECT_FALSE(log_lines_with(r.gateway.err, "session timeout 3 s").empty()) << r.gateway.err;
    // Once playing, no reconnect is ever scheduled again: gst-rtsp-server may refuse the first
    // DESCRIBE with 503 while it tears down the media `check` described (a retry is right then,
    // and its "resumed after reconnect 1" line may follow "playing").
    const auto playing = r.gateway.err.find("playing");
    ASSERT_NE(playing, std::string::npos) << r.gateway.err;
    const auto after = r.gateway.err.substr(r.gateway.err.find('\n', playing) + 1);
    EXPECT_TRUE(log_lines_with(after, "; reconnect ").empty()) << r.gateway.err;
}

TEST(RtspSource, LipSyncOfPassthroughVideoAndTranscodedAudio) {
    std::vector<std::string> viewer = aiortc_h264("10");
    viewer.push_back("--lipsync");
    const auto r = run_camera("lipsync", {"--size", "640x360", "--audio", "aac", "--flash-beep"}, "", viewer);
    const auto report = peer_report(r.viewer);
    ASSERT_TRUE(report.HasMember("av_offset_sr_ms") && report["av_offset_sr_ms"].IsObject()) << r.viewer.out;
    const auto& sr = report["av_offset_sr_ms"];
    ASSERT_TRUE(sr.HasMember("median") && sr["median"].IsNumber()) << r.viewer.out;
    const double offset = sr["median"].GetDouble();
    std::printf("A/V offset at the viewer (audio minus video), through the sender reports: %.1f ms", offset);
    for (const char* other : {"av_offset_packet_ms", "av_offset_ms"})
        if (report.HasMember(other) && report[other].IsObject() && report[other]["median"].IsNumber())
            std::printf("; %s %.1f ms", other, report[other]["median"].GetDouble());
    std::printf("\n");
    EXPECT_GE(sr["pairs"].GetInt(), 5) << r.viewer.out;
    EXPECT_LE(std::abs(offset), 80.0) << r.viewer.out;
    EXPECT_EQ(log_lines_with(r.gateway.err, "sends video: passthrough video/H264").size(), 1u) << r.gateway.err;
    EXPECT_EQ(log_lines_with(r.gateway.err, "sends audio: transcoded to audio/opus").size(), 1u) << r.gateway.err;
}
