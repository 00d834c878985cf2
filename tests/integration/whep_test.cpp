// The whole program serving WHEP to real viewers over 127.0.0.1: `switchboard run` with a
// test camera, x264 and the whep.server plugin, and as viewers aiortc (H264), Google's
// libwebrtc (@roamhq/wrtc, VP8 only) and headless Chromium on the built-in viewer page.
// What is checked comes from the viewers' own reports and from the program's log (the
// path each call's video takes through the graph).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <rapidjson/document.h>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "support/gateway_process.hpp"
#include "support/h264_slices.hpp"
#include "support/loopback_ports.hpp"
#include "support/process.hpp"

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
using ::testing::HasSubstr;

namespace {

namespace fs = std::filesystem;

const std::string aiortc_peer = std::string(SWITCHBOARD_SOURCE_DIR) + "/tests/peers/webrtc_peer_aiortc.py";
const std::string node_peers = std::string(SWITCHBOARD_NODE_PEERS_DIR);

/// A POST with Boost.Beast: (status, body).
std::pair<int, std::string> http_post(std::uint16_t port, const std::string& target, const std::string& body) {
    namespace http = boost::beast::http;
    boost::asio::io_context io;
    boost::beast::tcp_stream stream(io);
    stream.expires_after(10s);
    stream.connect(boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port));
    http::request<http::string_body> req(http::verb::post, target, 11);
    req.set(http::field::host, "127.0.0.1");
    req.set(http::field::content_type, "application/sdp");
    req.body() = body;
    req.prepare_payload();
    http::write(stream, req);
    boost::beast::flat_buffer buffer;
    http::response<http::string_body> res;
    http::read(stream, buffer, res);
    return {int(res.result_int()), res.body()};
}

std::string camera_config(std::uint16_t port, const std::string& extra_whep_config, const std::string& recorder) {
    return R"({
      "rtc": {"gather_addresses": ["127.0.0.1"]},
      "nodes": [
        {"name": "camera", "type": "testsrc.camera", "config": {"width": 640, "height": 360, "fps": 30}},
        {"name": "h264", "type": "transcode.encoder", "config": {"codec": "h264", "bitrate_kbps": 1500}},
        {"name": "opus", "type": "transcode.encoder", "config": {"codec": "opus"}},
        {"name": "whep", "type": "whep.server", "config": {"listen": "127.0.0.1:)" +
           std::to_string(port) + "\"" + extra_whep_config + R"(}})" + (recorder.empty() ? "" : R"(,
        {"name": "recorder", "type": "file.sink", "config": {"path": ")" + recorder + R"("}})") +
           R"(
      ],
      "links": [
        {"from": "camera.video", "to": "h264.in"},
        {"from": "camera.audio", "to": "opus.in"},
        {"from": "h264.out", "to": "whep.video"},
        {"from": "opus.out", "to": "whep.audio"})" +
           (recorder.empty() ? "" : R"(,
        {"from": "h264.out", "to": "recorder.video"})") +
           R"(
      ]
    })";
}

}  // namespace

TEST(Whep, H264PassesThroughToAiortcAndOneVp8EncoderServesEveryLibwebrtcViewer) {
    const fs::path dir = fs::path(SWITCHBOARD_BINARY_DIR) / "whep-test-viewers";
    fs::remove_all(dir);
    const auto port = switchboard::test::free_loopback_port();
    ASSERT_NE(port, 0);
    const std::string recording = (dir / "encoder.mkv").string();
    GatewayProcess gateway(dir, camera_config(port, "", recording));
    ASSERT_TRUE(switchboard::test::wait_for_tcp(port, 20s)) << "whep.server never listened";
    const std::string url = "http://127.0.0.1:" + std::to_string(port) + "/whep";
    const std::string dump = (dir / "aiortc-received.h264").string();

    // All three at once: two VP8 viewers must share one converter chain.
    ChildProcess aiortc({"/usr/bin/python3", aiortc_peer, "--whep", url, "--codec", "h264", "--duration", "5",
                         "--min-frames", "120", "--timeout", "40", "--h264-dump", dump});
    ChildProcess wrtc1({"/usr/bin/node", node_peers + "/webrtc_peer_wrtc.mjs", "--whep", url, "--codec", "vp8",
                        "--duration", "5", "--min-frames", "100", "--timeout", "40"});
    ChildProcess wrtc2({"/usr/bin/node", node_peers + "/webrtc_peer_wrtc.mjs", "--whep", url, "--codec", "vp8",
                        "--duration", "5", "--min-frames", "100", "--timeout", "40"});
    const auto a = aiortc.wait(60s), w1 = wrtc1.wait(60s), w2 = wrtc2.wait(60s);
    const auto g = gateway.stop();

    const auto ra = peer_report(a), r1 = peer_report(w1), r2 = peer_report(w2);
    EXPECT_EQ(int_of(ra, "http_status"), 201) << a.out << a.err;
    EXPECT_EQ(codec_of(ra), "video/H264");
    EXPECT_GE(int_of(ra, "frames_decoded"), 120) << a.out;
    EXPECT_EQ(int_of(ra, "delete_status"), 200);
    for (const auto* r : {&r1, &r2}) {
        EXPECT_EQ(int_of(*r, "http_status"), 201) << w1.out << w2.out;
        EXPECT_EQ(codec_of(*r), "video/VP8");
        EXPECT_GE(int_of(*r, "frames_decoded"), 100) << w1.out << w2.out;
    }
    EXPECT_EQ(g.exit_code, 0) << g.err;

    // The graph as each call saw it: aiortc's video passed through (one encoder, no
    // decoder); the VP8 viewers went through one shared decoder + VP8 encoder.
    const auto paths = log_lines_with(g.err, "; path: ");
    std::vector<std::string> h264_paths, vp8_paths;
    for (const auto& p : paths) {
        if (p.find(".video: passthrough video/H264") != std::string::npos) h264_paths.push_back(p);
        if (p.find("through a shared converter, video/VP8") != std::string::npos) vp8_paths.push_back(p);
    }
    ASSERT_EQ(h264_paths.size(), 1u) << g.err;
    const auto h264_path = h264_paths[0].substr(h264_paths[0].find("; path: "));
    std::printf("aiortc's %s\n", h264_path.c_str());
    EXPECT_EQ(count_of(h264_path, "(transcode.decoder)"), 0) << h264_path;
    EXPECT_EQ(count_of(h264_path, "(transcode.encoder)"), 1) << h264_path;
    ASSERT_EQ(vp8_paths.size(), 2u) << g.err;
    for (const auto& p : vp8_paths) {
        EXPECT_THAT(p, HasSubstr("h264.out~vp8"));
        EXPECT_EQ(count_of(p, "(transcode.decoder)"), 1) << p;
    }
    EXPECT_EQ(log_lines_with(g.err, "calls share a new converter chain from h264.out").size(), 1u)
        << "one VP8 encoder for every VP8 viewer\n"
        << g.err;

    // What crossed the network is what the encoder made: aiortc's slices, in order, are
    // a run of the recording's (the viewer joined late and left early).
    const fs::path annexb = dir / "encoder.h264";
    auto ff = switchboard::test::run_process({"/usr/bin/ffmpeg", "-v", "error", "-y", "-i", recording, "-c:v", "copy",
                                              "-bsf:v", "h264_mp4toannexb", "-f", "h264", annexb.string()});
    ASSERT_EQ(ff.exit_code, 0) << ff.err;
    const auto sent = switchboard::test::h264_slice_hashes(read_file(annexb));
    const auto received = switchboard::test::h264_slice_hashes(read_file(dump));
    std::printf("slices: %zu made by the encoder, %zu received by aiortc\n", sent.size(), received.size());
    ASSERT_GE(received.size(), 120u);
    auto first = std::find(sent.begin(), sent.end(), received.front());
    ASSERT_NE(first, sent.end()) << "aiortc's first slice is not one the encoder made";
    ASSERT_LE(std::size_t(sent.end() - first), sent.size());
    ASSERT_GE(std::size_t(sent.end() - first), received.size());
    EXPECT_TRUE(std::equal(received.begin(), received.end(), first)) << "the slices differ from the encoder's";
}

TEST(Whep, ATokenIsRequiredWhenConfigured) {
    const fs::path dir = fs::path(SWITCHBOARD_BINARY_DIR) / "whep-test-token";
    fs::remove_all(dir);
    const auto port = switchboard::test::free_loopback_port();
    ASSERT_NE(port, 0);
    const std::string secret = "whep-test-secret-8c1e";
    GatewayProcess gateway(dir, camera_config(port, R"(, "token": "${env:SB_WHEP_TOKEN}")", ""),
                           {{"SB_WHEP_TOKEN", secret}});
    ASSERT_TRUE(switchboard::test::wait_for_tcp(port, 20s));
    const std::string url = "http://127.0.0.1:" + std::to_string(port) + "/whep";

    auto without = ChildProcess({"/usr/bin/python3", aiortc_peer, "--whep", url, "--timeout", "20"}).wait(40s);
    auto wrong =
        ChildProcess({"/usr/bin/python3", aiortc_peer, "--whep", url, "--token", "nope", "--timeout", "20"}).wait(40s);
    auto with = ChildProcess({"/usr/bin/python3", aiortc_peer, "--whep", url, "--token", secret, "--duration", "2",
                              "--min-frames", "30", "--timeout", "30"})
                    .wait(40s);
    const auto g = gateway.stop();

    EXPECT_EQ(int_of(peer_report(without), "http_status"), 401) << without.out;
    EXPECT_EQ(int_of(peer_report(without), "frames_decoded"), 0);
    EXPECT_EQ(int_of(peer_report(wrong), "http_status"), 401) << wrong.out;
    EXPECT_EQ(int_of(peer_report(with), "http_status"), 201) << with.out;
    EXPECT_GE(int_of(peer_report(with), "frames_decoded"), 30) << with.out;
    EXPECT_EQ(g.err.find(secret), std::string::npos) << "the token must never be logged";
    EXPECT_EQ(count_of(g.err, "created by whep"), 1) << "a refused request costs no call\n" << g.err;
}

TEST(Whep, ChromiumPlaysTheTestPatternOnTheViewerPage) {
    const fs::path dir = fs::path(SWITCHBOARD_BINARY_DIR) / "whep-test-chromium";
    fs::remove_all(dir);
    const auto port = switchboard::test::free_loopback_port();
    ASSERT_NE(port, 0);
    // configs/viewer.json itself, on a free port.
    auto config = read_file(fs::path(SWITCHBOARD_SOURCE_DIR) / "configs/viewer.json");
    config = std::regex_replace(config, std::regex("127\\.0\\.0\\.1:8889"), "127.0.0.1:" + std::to_string(port));
    GatewayProcess gateway(dir, config);
    ASSERT_TRUE(switchboard::test::wait_for_tcp(port, 20s));
    const std::string screenshot = (dir / "viewer-page.png").string();

    auto page =
        ChildProcess({"/usr/bin/node", node_peers + "/chromium_page.mjs", "--url",
                      "http://127.0.0.1:" + std::to_string(port) + "/", "--wait-for",
                      "window.switchboardViewer && window.switchboardViewer.framesDecoded >= 60", "--eval",
                      "JSON.stringify(window.switchboardViewer)", "--screenshot", screenshot, "--timeout", "45"})
            .wait(90s);
    const auto g = gateway.stop();

    ASSERT_EQ(page.exit_code, 0) << page.out << page.err << g.err;
    const auto report = peer_report(page);
    ASSERT_TRUE(report.HasMember("value") && report["value"].IsString()) << page.out;
    std::printf("viewer page: %s; screenshot %s\n", report["value"].GetString(), screenshot.c_str());
    rapidjson::Document viewer;
    viewer.Parse(report["value"].GetString());
    ASSERT_TRUE(viewer.IsObject());
    EXPECT_GE(viewer["framesDecoded"].GetInt(), 60);
    EXPECT_GT(fs::file_size(screenshot), 10000u) << "a screenshot of the playing page";
    EXPECT_THAT(g.err, HasSubstr("connected"));
}

TEST(Whep, AWhipPublisherIsRecordedAndMalformedSdpCostsNothingElse) {
    const fs::path dir = fs::path(SWITCHBOARD_BINARY_DIR) / "whep-test-whip";
    fs::remove_all(dir);
    const auto port = switchboard::test::free_loopback_port();
    ASSERT_NE(port, 0);
    const std::string recording = (dir / "published.mkv").string();
    GatewayProcess gateway(dir, R"({
      "rtc": {"gather_addresses": ["127.0.0.1"]},
      "nodes": [
        {"name": "whip", "type": "whep.server", "config": {"listen": "127.0.0.1:)" +
                                    std::to_string(port) + R"("}},
        {"name": "recorder", "type": "file.sink", "config": {"path": ")" +
                                    recording + R"("}}
      ],
      "links": [{"from": "whip.video", "to": "recorder.video"}, {"from": "whip.audio", "to": "recorder.audio"}]
    })");
    ASSERT_TRUE(switchboard::test::wait_for_tcp(port, 20s));
    const std::string base = "http://127.0.0.1:" + std::to_string(port);

    // A peer whose SDP is broken gets a 400 with the reason, and the server goes on.
    const auto bad = http_post(port, "/whip", "v=0\r\nm=video notaport UDP/TLS/RTP/SAVPF 96\r\n");
    EXPECT_EQ(bad.first, 400) << bad.second;
    EXPECT_FALSE(bad.second.empty()) << "the reason is in the body";

    auto publisher =
        ChildProcess({"/usr/bin/python3", aiortc_peer, "--whip", base + "/whip", "--duration", "5", "--timeout", "30"})
            .wait(60s);
    const auto g = gateway.stop();
    const auto report = peer_report(publisher);
    EXPECT_EQ(int_of(report, "http_status"), 201) << publisher.out << publisher.err;
    EXPECT_EQ(int_of(report, "delete_status"), 200);
    EXPECT_EQ(g.exit_code, 0) << g.err;

    // What the publisher sent is in the recording: its video and its audio.
    auto probe =
        switchboard::test::run_process({"/usr/bin/ffprobe", "-v", "error", "-count_frames", "-show_entries",
                                        "stream=codec_type,codec_name,nb_read_frames", "-of", "csv=p=0", recording});
    ASSERT_EQ(probe.exit_code, 0) << probe.err << g.err;
    std::printf("recorded: %s", probe.out.c_str());
    std::smatch m;
    ASSERT_TRUE(std::regex_search(probe.out, m, std::regex("(vp8|h264),video,(\\d+)"))) << probe.out;
    EXPECT_GE(std::stoi(m[2]), 100) << "about 5 s of 30 fps video";
    EXPECT_THAT(probe.out, HasSubstr("opus,audio,"));
}
