// Player latency of the chromecast sink's media mode: LL-HLS beside plain HLS, in one run.
//
// One encoder (the stamped test pattern through x264 at 30 fps, a tone through AAC, fed at
// real time as SDK Frames through HlsFeed, as the sink will) feeds two streams served on
// 127.0.0.1: "ll", LL-HLS with 0.334 s parts and 2 s segments, and "plain", RFC 8216 HLS
// with the same 2 s segments (what a Home Assistant user's player gets). After a warm-up
// (a TV joins a running call), hls.js in headless Chromium plays each, both at once: the
// first in low-latency mode, the second with hls.js's defaults (three segments behind the
// live edge). Each player samples once a second for --seconds after its first frame:
// hls.js's latency (live edge minus playhead) and now minus the playhead's
// PROGRAM-DATE-TIME (the stream's timeline starts at the wall-clock time the first frame
// was captured, so that is glass-to-glass less the capture). Prints a table (p50 over the
// samples, and the last) and writes JSON.
//   build/gcc/bin/hls_latency_benchmark [--seconds 20] [--warmup 4] [--size 640x360]
//                                       [--json PATH] [--smoke]
// Needs the Node peers installed (ctest -R node_peers_install) and /usr/bin/chromium.
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "hls/hls_feed.hpp"
#include "hls/hls_server.hpp"
#include "support/hls_test_media.hpp"
#include "support/process.hpp"

namespace {

using namespace std::chrono_literals;
using namespace switchboard;

class StderrLogger : public Logger {
public:
    bool enabled(LogLevel level) const noexcept override { return level >= LogLevel::warn; }
    void write(LogLevel, std::string_view m) noexcept override { std::cerr << "hls: " << m << "\n"; }
    std::shared_ptr<Logger> with_context(std::string_view) const override { return std::make_shared<StderrLogger>(); }
};

struct Options {
    int seconds = 20;
    int warmup = 4;
    int width = 640;
    int height = 360;
    std::string json;
};

std::optional<Options> parse(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        auto next = [&]() -> std::optional<std::string> {
            if (i + 1 >= argc) return std::nullopt;
            return std::string(argv[++i]);
        };
        if (a == "--smoke") {
            o.seconds = 5;
            o.warmup = 2;
        } else if (a == "--seconds" || a == "--warmup" || a == "--size" || a == "--json") {
            auto v = next();
            if (!v) return std::nullopt;
            if (a == "--seconds") o.seconds = std::stoi(*v);
            if (a == "--warmup") o.warmup = std::stoi(*v);
            if (a == "--json") o.json = *v;
            if (a == "--size" && std::sscanf(v->c_str(), "%dx%d", &o.width, &o.height) != 2) return std::nullopt;
        } else {
            return std::nullopt;
        }
    }
    if (o.seconds < 1 || o.seconds > 120 || o.warmup < 0 || o.warmup > 30) return std::nullopt;
    return o;
}

/// One player's figures.
struct Figures {
    std::string mode;
    bool ok = false;
    std::string error;
    double first_frame_s = -1;
    std::vector<double> latency, pdt_latency;  ///< the samples, in order
    int frames = 0;
    int dropped = 0;
};

double median(std::vector<double> v) {
    if (v.empty()) return -1;
    std::sort(v.begin(), v.end());
    return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

double number(const rapidjson::Value& v, const char* key) {
    return v.HasMember(key) && v[key].IsNumber() ? v[key].GetDouble() : -1;
}

Figures read_report(const std::string& mode, const test::ProcessResult& r) {
    Figures f;
    f.mode = mode;
    rapidjson::Document doc;
    doc.Parse(r.out.c_str());
    if (r.timed_out || doc.HasParseError() || !doc.IsObject()) {
        f.error = r.timed_out ? "the player timed out" : "no report: " + r.err.substr(0, 300);
        return f;
    }
    f.ok = doc["ok"].IsTrue();
    if (doc["error"].IsString()) f.error = doc["error"].GetString();
    f.first_frame_s = number(doc, "first_frame_s");
    f.frames = int(number(doc, "frames"));
    f.dropped = int(number(doc, "dropped"));
    for (const auto& s : doc["samples"].GetArray()) {
        if (s["latency_s"].IsNumber()) f.latency.push_back(s["latency_s"].GetDouble());
        if (s["pdt_latency_s"].IsNumber()) f.pdt_latency.push_back(s["pdt_latency_s"].GetDouble());
    }
    return f;
}

std::string fixed(double v) {
    if (v < 0) return "-";
    char t[32];
    std::snprintf(t, sizeof t, "%.2f", v);
    return t;
}

}  // namespace

int main(int argc, char** argv) {
    auto parsed = parse(argc, argv);
    if (!parsed) {
        std::cerr << "usage: hls_latency_benchmark [--seconds 1-120] [--warmup 0-30] [--size WxH] [--json PATH] "
                     "[--smoke]\n";
        return 2;
    }
    const Options o = *parsed;
    StderrLogger log;
    boost::asio::io_context io;
    auto work = boost::asio::make_work_guard(io);

    hls::HlsStreamSettings ll_settings;
    hls::HlsStreamSettings plain_settings;
    plain_settings.playlist.low_latency = false;
    // The stream's timeline starts with frame 0, captured now.
    const auto wall_start = std::chrono::system_clock::now();
    const auto start = std::chrono::steady_clock::now();
    auto ll = std::make_shared<hls::HlsStream>(io.get_executor(), ll_settings, wall_start);
    auto plain = std::make_shared<hls::HlsStream>(io.get_executor(), plain_settings, wall_start);
    hls::HlsServer server(io.get_executor(), std::make_shared<StderrLogger>());
    auto bound = server.listen({boost::asio::ip::make_address("127.0.0.1"), 0});
    if (!bound) {
        std::cerr << "listen: " << bound.error().message << "\n";
        return 1;
    }
    (void)server.add_stream("ll", ll);
    (void)server.add_stream("plain", plain);
    std::thread io_thread([&] { io.run(); });

    // The camera and encoder, at real time; the frames go to both feeds (one strand).
    std::atomic<bool> stop{false};
    std::string feed_error;
    const int max_frames = 30 * (o.warmup + o.seconds + 90);
    std::thread feeder([&] {
        try {
            test::HlsTestMedia media(o.width, o.height, 30);
            hls::HlsFeed ll_feed(io.get_executor(), ll, hls::FragmenterSettings{}, log);
            hls::HlsFeed plain_feed(io.get_executor(), plain, hls::FragmenterSettings{}, log);
            Format aac;
            aac.kind = MediaKind::audio;
            aac.codec = Codec::aac;
            aac.sample_rate = test::HlsTestMedia::sample_rate;
            aac.channels = 2;
            ll_feed.set_audio_format(aac);
            plain_feed.set_audio_format(aac);
            bool first_audio = true;  // the AudioSpecificConfig goes with the first AAC frame
            for (int i = 0; !stop && i < max_frames; ++i) {
                std::this_thread::sleep_until(start + i * 1'000'000us / 30);
                auto v = media.next_video();
                Frame vf = test::as_video_frame(v, o.width, o.height,
                                                i == 0 ? media.video_extradata() : std::vector<std::uint8_t>{});
                for (auto* feed : {&ll_feed, &plain_feed})
                    if (auto r = feed->push_video(vf); !r) throw std::runtime_error(r.error().message);
                for (auto& a : media.audio_until(v.pts + 3000)) {
                    Frame af = test::as_audio_frame(
                        a, first_audio ? media.audio_specific_config() : std::vector<std::uint8_t>{});
                    first_audio = false;
                    for (auto* feed : {&ll_feed, &plain_feed})
                        if (auto r = feed->push_audio(af); !r) throw std::runtime_error(r.error().message);
                }
            }
            ll_feed.finish();
            plain_feed.finish();
        } catch (const std::exception& e) {
            feed_error = e.what();
        }
    });

    std::this_thread::sleep_for(std::chrono::seconds(o.warmup));
    const std::string base = "http://127.0.0.1:" + std::to_string(bound->port()) + "/hls/";
    const std::string player = std::string(SWITCHBOARD_NODE_PEERS_DIR) + "/hls_player.mjs";
    const std::string samples = std::to_string(o.seconds);
    // --frames 1: sampling starts at the first frame (and some audio decoded).
    test::ChildProcess ll_player({"/usr/bin/node", player, "--url", base + "ll/index.m3u8", "--frames", "1",
                                  "--timeout", "30", "--sample-seconds", samples});
    test::ChildProcess plain_player({"/usr/bin/node", player, "--url", base + "plain/index.m3u8", "--frames", "1",
                                     "--timeout", "30", "--ll", "false", "--sample-seconds", samples});
    const auto limit = std::chrono::seconds(30 + o.seconds + 30);
    Figures figures[2] = {read_report("LL-HLS", ll_player.wait(limit)),
                          read_report("plain HLS", plain_player.wait(limit))};

    stop = true;
    feeder.join();
    boost::asio::post(io, [&] { server.close(); });
    work.reset();
    io_thread.join();

    std::printf("\nhls.js in Chromium, %dx%d@30 + AAC, 2 s segments, %d s of samples after the first frame\n", o.width,
                o.height, o.seconds);
    std::printf("%-10s %9s %22s %22s %8s %8s\n", "mode", "1st frame", "hls.js latency p50/end",
                "now-PDT latency p50/end", "frames", "dropped");
    for (const Figures& f : figures) {
        std::printf("%-10s %8ss %10ss /%6ss %10ss /%6ss %8d %8d%s\n", f.mode.c_str(), fixed(f.first_frame_s).c_str(),
                    fixed(median(f.latency)).c_str(), fixed(f.latency.empty() ? -1 : f.latency.back()).c_str(),
                    fixed(median(f.pdt_latency)).c_str(),
                    fixed(f.pdt_latency.empty() ? -1 : f.pdt_latency.back()).c_str(), f.frames, f.dropped,
                    f.ok ? "" : ("  FAILED: " + f.error).c_str());
    }

    rapidjson::StringBuffer text;
    rapidjson::Writer<rapidjson::StringBuffer> w(text);
    w.StartObject();
    w.Key("width");
    w.Int(o.width);
    w.Key("height");
    w.Int(o.height);
    w.Key("sample_seconds");
    w.Int(o.seconds);
    w.Key("warmup_seconds");
    w.Int(o.warmup);
    w.Key("feed_error");
    w.String(feed_error.c_str());
    w.Key("players");
    w.StartArray();
    for (const Figures& f : figures) {
        w.StartObject();
        w.Key("mode");
        w.String(f.mode.c_str());
        w.Key("ok");
        w.Bool(f.ok);
        w.Key("error");
        w.String(f.error.c_str());
        w.Key("first_frame_s");
        w.Double(f.first_frame_s);
        w.Key("latency_p50_s");
        w.Double(median(f.latency));
        w.Key("latency_final_s");
        w.Double(f.latency.empty() ? -1 : f.latency.back());
        w.Key("pdt_latency_p50_s");
        w.Double(median(f.pdt_latency));
        w.Key("pdt_latency_final_s");
        w.Double(f.pdt_latency.empty() ? -1 : f.pdt_latency.back());
        w.Key("frames");
        w.Int(f.frames);
        w.Key("dropped");
        w.Int(f.dropped);
        w.Key("samples");
        w.Int(int(f.pdt_latency.size()));
        w.EndObject();
    }
    w.EndArray();
    w.EndObject();
    if (!o.json.empty()) {
        std::ofstream(o.json) << text.GetString() << "\n";
    } else {
        std::printf("%s\n", text.GetString());
    }
    if (!feed_error.empty()) std::cerr << "feed: " << feed_error << "\n";
    bool ok = feed_error.empty() && figures[0].ok && figures[1].ok;
    return ok ? 0 : 1;
}
