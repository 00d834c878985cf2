// The LL-HLS packager and server with a real player: the stamped test pattern through
// x264 and a tone through AAC, fed to the fragmenter at real time, served on 127.0.0.1,
// and played by hls.js in low-latency mode in headless Chromium (hls_player.mjs). The
// player must decode at least 60 frames and some audio; its latency is printed.
#include <gtest/gtest.h>

#include <rapidjson/document.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <atomic>
#include <iostream>
#include <thread>

#include "hls/fragmenter.hpp"
#include "hls/hls_server.hpp"
#include "support/hls_test_media.hpp"
#include "support/process.hpp"

namespace switchboard::hls {
namespace {

using namespace std::chrono_literals;

class StderrLogger : public Logger {
public:
    bool enabled(LogLevel level) const noexcept override { return level >= LogLevel::warn; }
    void write(LogLevel, std::string_view m) noexcept override { std::cerr << "hls: " << m << "\n"; }
    std::shared_ptr<Logger> with_context(std::string_view) const override { return std::make_shared<StderrLogger>(); }
};

/// Hands the fragmenter's output to the stream on the io executor.
class Publisher : public Fragmenter::Listener {
public:
    Publisher(boost::asio::io_context& io, std::shared_ptr<HlsStream> stream) : m_io(io), m_stream(std::move(stream)) {}
    void on_init(std::string init, const StreamInfo& info) override {
        boost::asio::post(
            m_io, [s = m_stream, init = std::move(init), info]() mutable { s->set_init(std::move(init), info); });
    }
    void on_part(CmafPart part) override {
        boost::asio::post(m_io, [s = m_stream, part = std::move(part)]() mutable { s->add_part(std::move(part)); });
    }
    void on_segment_end(std::uint64_t msn, Micros duration) override {
        boost::asio::post(m_io, [s = m_stream, msn, duration] { s->end_segment(msn, duration); });
    }

private:
    boost::asio::io_context& m_io;
    std::shared_ptr<HlsStream> m_stream;
};

TEST(HlsPlayer, HlsJsPlaysTheLowLatencyStream) {
    boost::asio::io_context io;
    auto work = boost::asio::make_work_guard(io);
    auto stream = std::make_shared<HlsStream>(io.get_executor(), HlsStreamSettings{}, std::chrono::system_clock::now());
    HlsServer server(io.get_executor(), std::make_shared<StderrLogger>());
    auto bound = server.listen({boost::asio::ip::make_address("127.0.0.1"), 0});
    ASSERT_TRUE(bound.ok()) << bound.error().message;
    ASSERT_TRUE(server.add_stream("call1", stream).ok());
    std::thread io_thread([&] { io.run(); });

    // The camera: frames at their capture time, as a live source delivers them.
    std::atomic<bool> stop{false};
    std::string feed_error;
    std::thread feeder([&] {
        try {
            test::HlsTestMedia media(640, 360, 30);
            Publisher publisher(io, stream);
            StreamDescription d;
            d.width = media.width();
            d.height = media.height();
            d.audio = CmafTracks::Audio{test::HlsTestMedia::sample_rate, 2, media.audio_specific_config()};
            Fragmenter fragmenter(FragmenterSettings{}, d, publisher);
            auto start = std::chrono::steady_clock::now();
            for (int i = 0; !stop && i < 30 * 90; ++i) {
                std::this_thread::sleep_until(start + i * 1'000'000us / 30);
                auto v = media.next_video();
                auto pushed = fragmenter.push_video({v.bytes, v.pts, {1, 90000}, v.keyframe});
                if (!pushed) throw std::runtime_error(pushed.error().message);
                for (auto& a : media.audio_until(v.pts + 3000)) {
                    auto sent = fragmenter.push_audio({a.bytes, a.pts, {1, test::HlsTestMedia::sample_rate}});
                    if (!sent) throw std::runtime_error(sent.error().message);
                }
            }
        } catch (const std::exception& e) {
            feed_error = e.what();
        }
    });

    std::string url = "http://127.0.0.1:" + std::to_string(bound->port()) + "/hls/call1/index.m3u8";
    test::ChildProcess player({"/usr/bin/node", std::string(SWITCHBOARD_NODE_PEERS_DIR) + "/hls_player.mjs", "--url",
                               url, "--frames", "60", "--timeout", "45"});
    test::ProcessResult result = player.wait(75s);

    stop = true;
    feeder.join();
    boost::asio::post(io, [&] { server.close(); });
    work.reset();
    io_thread.join();

    EXPECT_EQ(feed_error, "");
    ASSERT_FALSE(result.timed_out) << result.err;
    rapidjson::Document report;
    report.Parse(result.out.c_str());
    ASSERT_FALSE(report.HasParseError()) << result.out << result.err;
    ASSERT_TRUE(report["ok"].GetBool()) << result.out << result.err;
    EXPECT_GE(report["frames"].GetInt(), 60);
    EXPECT_GT(report["audio_bytes"].GetInt(), 0);
    std::cout << "hls.js: " << report["frames"].GetInt() << " frames decoded, " << report["audio_bytes"].GetInt()
              << " audio bytes; latency "
              << (report["latency_s"].IsNumber() ? std::to_string(report["latency_s"].GetDouble()) : "?")
              << " s (hls.js), "
              << (report["pdt_latency_s"].IsNumber() ? std::to_string(report["pdt_latency_s"].GetDouble()) : "?")
              << " s (now - PROGRAM-DATE-TIME of the playhead)\n";
}

}  // namespace
}  // namespace switchboard::hls
