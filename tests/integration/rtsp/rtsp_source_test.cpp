// rtsp.source end to end: the test camera (gst-rtsp-server) -> `switchboard run` ->
// real WebRTC viewers through whep.server, all on 127.0.0.1.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "support/gateway_process.hpp"
#include "support/h264_slices.hpp"
#include "support/loopback_ports.hpp"
#include "support/process.hpp"
#include "support/rtsp_camera.hpp"

using namespace std::chrono_literals;
using switchboard::test::ChildProcess;
using switchboard::test::GatewayProcess;
using switchboard::test::log_lines_with;
using switchboard::test::peer_report;
using switchboard::test::ProcessResult;
using switchboard::test::RtspCamera;
using ::testing::HasSubstr;

namespace {

namespace fs = std::filesystem;

const std::string aiortc_peer = std::string(SWITCHBOARD_SOURCE_DIR) + "/tests/peers/webrtc_peer_aiortc.py";
const std::string node_peers = std::string(SWITCHBOARD_NODE_PEERS_DIR);

int int_of(const rapidjson::Document& d, const char* key) {
    return d.IsObject() && d.HasMember(key) && d[key].IsInt() ? d[key].GetInt() : -1;
}

double number_of(const rapidjson::Document& d, const char* key) {
    return d.IsObject() && d.HasMember(key) && d[key].IsNumber() ? d[key].GetDouble() : -1000.0;
}

std::string codec_of(const rapidjson::Document& d) {
    if (!d.IsObject() || !d.HasMember("codec") || !d["codec"].IsObject()) return "";
    return d["codec"]["mimeType"].GetString();
}

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

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
    RtspCamera camera({"--size", "640x360", "--fps", "30", "--audio", "opus", "--h264-dump", camera_dump});
    ASSERT_TRUE(camera.ready());
    const auto port = switchboard::test::free_loopback_port();
    GatewayProcess gateway(dir, whep_config(port, R"("url": ")" + camera.url() + "\""));
    ASSERT_TRUE(switchboard::test::wait_for_tcp(port, 30s)) << "whep.server never listened";

    const std::string received_dump = (dir / "aiortc-received.h264").string();
    const auto v = watch("http://127.0.0.1:" + std::to_string(port) + "/whep", received_dump);
    const auto g = gateway.stop();
    camera.stop();

    const auto ra = peer_report(v.aiortc), rw = peer_report(v.wrtc);
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

    // Byte for byte what the camera's encoder made: aiortc's slices, in order, are a run
    // of the camera's (the viewer joined late and left early).
    const auto sent = switchboard::test::h264_slice_hashes(read_file(camera_dump));
    const auto received = switchboard::test::h264_slice_hashes(read_file(received_dump));
    std::printf("slices: %zu sent by the camera, %zu received by aiortc\n", sent.size(), received.size());
    ASSERT_GE(received.size(), 120u);
    auto first = std::find(sent.begin(), sent.end(), received.front());
    ASSERT_NE(first, sent.end()) << "aiortc's first slice is not one the camera sent";
    ASSERT_GE(std::size_t(sent.end() - first), received.size());
    EXPECT_TRUE(std::equal(received.begin(), received.end(), first)) << "the slices differ from the camera's";
}
