// HlsServer over real HTTP on 127.0.0.1: blocking playlist reload (answered only once
// the part exists, 503 after the timeout, 400 too far ahead), a blocking preload-hint
// part, a wrong token's 404, CORS on answers and preflights, content types.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <future>
#include <thread>

#include "hls/hls_server.hpp"

namespace switchboard::hls {
namespace {

using namespace std::chrono_literals;
namespace beast_http = boost::beast::http;
using Response = beast_http::response<beast_http::string_body>;

class NullLogger : public Logger {
public:
    bool enabled(LogLevel) const noexcept override { return false; }
    void write(LogLevel, std::string_view) noexcept override {}
    std::shared_ptr<Logger> with_context(std::string_view) const override { return std::make_shared<NullLogger>(); }
};

CmafPart part(std::uint64_t msn, std::uint32_t index) {
    return CmafPart{msn,
                    index,
                    Micros(std::int64_t(msn * 6 + index) * 334'000),
                    Micros(334'000),
                    index == 0,
                    "part " + std::to_string(msn) + "." + std::to_string(index)};
}

class HlsServerTest : public ::testing::Test {
protected:
    void SetUp() override {
        HlsStreamSettings settings;
        settings.block_timeout = 1500ms;
        stream = std::make_shared<HlsStream>(io.get_executor(), settings, std::chrono::system_clock::now());
        server = std::make_unique<HlsServer>(io.get_executor(), std::make_shared<NullLogger>());
        auto bound = server->listen({boost::asio::ip::make_address("127.0.0.1"), 0});
        ASSERT_TRUE(bound.ok()) << bound.error().message;
        port = bound->port();
        ASSERT_TRUE(server->add_stream("tok", stream).ok());
        on_io([this] {
            stream->set_init("init bytes", StreamInfo{640, 360, "avc1.42c01e,mp4a.40.2"});
            stream->add_part(part(0, 0));
        });
        runner = std::thread([this] { io.run(); });
    }
    void TearDown() override {
        on_io([this] { server->close(); });
        work.reset();
        runner.join();
    }
    /// Runs `f` on the io thread.
    template <class F>
    void on_io(F f) {
        boost::asio::post(io, f);
    }
    Response request(beast_http::verb verb, const std::string& target, const std::string& origin = "") {
        boost::asio::io_context client;
        boost::beast::tcp_stream s(client);
        s.expires_after(10s);
        s.connect({boost::asio::ip::make_address("127.0.0.1"), port});
        beast_http::request<beast_http::empty_body> req(verb, target, 11);
        req.set(beast_http::field::host, "127.0.0.1");
        if (!origin.empty()) req.set(beast_http::field::origin, origin);
        if (verb == beast_http::verb::options) {
            req.set(beast_http::field::access_control_request_method, "GET");
            req.set(beast_http::field::access_control_request_headers, "range");
        }
        beast_http::write(s, req);
        boost::beast::flat_buffer buffer;
        Response res;
        beast_http::read(s, buffer, res);
        return res;
    }
    Response get(const std::string& target) { return request(beast_http::verb::get, target, "https://receiver.test"); }

    boost::asio::io_context io;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work{io.get_executor()};
    std::shared_ptr<HlsStream> stream;
    std::unique_ptr<HlsServer> server;
    std::uint16_t port = 0;
    std::thread runner;
};

TEST_F(HlsServerTest, BlockingReloadAnswersOnlyOnceThePartExists) {
    auto started = std::chrono::steady_clock::now();
    auto pending = std::async(std::launch::async, [this] { return get("/hls/tok/media.m3u8?_HLS_msn=0&_HLS_part=1"); });
    EXPECT_EQ(pending.wait_for(400ms), std::future_status::timeout);  // part 0.1 does not exist yet
    std::promise<std::chrono::steady_clock::time_point> added;
    on_io([this, &added] {
        stream->add_part(part(0, 1));
        added.set_value(std::chrono::steady_clock::now());
    });
    auto added_at = added.get_future().get();
    ASSERT_EQ(pending.wait_for(5s), std::future_status::ready);
    Response res = pending.get();
    auto answered = std::chrono::steady_clock::now();
    EXPECT_EQ(res.result_int(), 200);
    EXPECT_GE(answered, added_at);
    EXPECT_GE(answered - started, 400ms);
    EXPECT_NE(res.body().find("part0.1.m4s"), std::string::npos);
    EXPECT_NE(res.body().find("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"part0.2.m4s\""), std::string::npos);
    EXPECT_EQ(res[beast_http::field::content_type], "application/vnd.apple.mpegurl");
    EXPECT_EQ(res[beast_http::field::access_control_allow_origin], "*");
    EXPECT_EQ(res[beast_http::field::cache_control], "no-cache");
}

TEST_F(HlsServerTest, AnExistingPartIsAnsweredAtOnce) {
    Response res = get("/hls/tok/media.m3u8?_HLS_msn=0&_HLS_part=0");
    EXPECT_EQ(res.result_int(), 200);
    EXPECT_NE(res.body().find("part0.0.m4s"), std::string::npos);
}

TEST_F(HlsServerTest, ABlockingReloadTimesOutWith503) {
    auto started = std::chrono::steady_clock::now();
    Response res = get("/hls/tok/media.m3u8?_HLS_msn=1&_HLS_part=0");
    EXPECT_EQ(res.result_int(), 503);
    EXPECT_GE(std::chrono::steady_clock::now() - started, 1400ms);
    EXPECT_EQ(res[beast_http::field::access_control_allow_origin], "*");
}

TEST_F(HlsServerTest, FarFutureAndMalformedDirectivesAre400) {
    EXPECT_EQ(get("/hls/tok/media.m3u8?_HLS_msn=9").result_int(), 400);
    EXPECT_EQ(get("/hls/tok/media.m3u8?_HLS_msn=0&_HLS_part=40").result_int(), 400);
    EXPECT_EQ(get("/hls/tok/media.m3u8?_HLS_part=1").result_int(), 400);
}

TEST_F(HlsServerTest, TheHintedPartWaitsForItself) {
    auto pending = std::async(std::launch::async, [this] { return get("/hls/tok/part0.1.m4s"); });
    EXPECT_EQ(pending.wait_for(300ms), std::future_status::timeout);
    on_io([this] { stream->add_part(part(0, 1)); });
    ASSERT_EQ(pending.wait_for(5s), std::future_status::ready);
    Response res = pending.get();
    EXPECT_EQ(res.result_int(), 200);
    EXPECT_EQ(res.body(), "part 0.1");
    EXPECT_EQ(res[beast_http::field::content_type], "video/iso.segment");
    // A part that is neither there nor next is not waited for.
    EXPECT_EQ(get("/hls/tok/part0.5.m4s").result_int(), 404);
}

TEST_F(HlsServerTest, WrongTokenIs404) {
    EXPECT_EQ(get("/hls/other/media.m3u8").result_int(), 404);
    EXPECT_EQ(get("/hls/other/init.mp4").result_int(), 404);
    EXPECT_EQ(get("/hls/tok/../tok/init.mp4").result_int(), 404);
}

TEST_F(HlsServerTest, InitAndMultivariant) {
    Response init = get("/hls/tok/init.mp4");
    EXPECT_EQ(init.result_int(), 200);
    EXPECT_EQ(init.body(), "init bytes");
    EXPECT_EQ(init[beast_http::field::content_type], "video/mp4");
    Response main = get("/hls/tok/index.m3u8");
    EXPECT_EQ(main.result_int(), 200);
    EXPECT_NE(main.body().find("CODECS=\"avc1.42c01e,mp4a.40.2\",RESOLUTION=640x360"), std::string::npos);
}

TEST_F(HlsServerTest, PlainStreamNoPartsNoBlocking) {
    HlsStreamSettings settings;
    settings.playlist.low_latency = false;
    settings.block_timeout = 3s;
    auto plain = std::make_shared<HlsStream>(io.get_executor(), settings, std::chrono::system_clock::now());
    on_io([this, plain] {
        ASSERT_TRUE(server->add_stream("plain", plain).ok());
        plain->set_init("init bytes", StreamInfo{640, 360, "avc1.42c01e,mp4a.40.2"});
        for (std::uint32_t i = 0; i < 6; ++i) plain->add_part(part(0, i));
    });
    // The first playlist waits for the first segment; then nothing waits.
    auto pending = std::async(std::launch::async, [this] { return get("/hls/plain/media.m3u8"); });
    EXPECT_EQ(pending.wait_for(300ms), std::future_status::timeout);
    on_io([plain] { plain->end_segment(0, Micros(2'004'000)); });
    ASSERT_EQ(pending.wait_for(5s), std::future_status::ready);
    Response first = pending.get();
    EXPECT_EQ(first.result_int(), 200);
    EXPECT_NE(first.body().find("#EXTINF:2.004,\nseg0.m4s\n"), std::string::npos) << first.body();
    EXPECT_EQ(first.body().find("PART"), std::string::npos) << first.body();
    auto started = std::chrono::steady_clock::now();
    Response ignored = get("/hls/plain/media.m3u8?_HLS_msn=1&_HLS_part=2");
    EXPECT_EQ(ignored.result_int(), 200);
    EXPECT_EQ(ignored.body(), first.body());
    EXPECT_LT(std::chrono::steady_clock::now() - started, 1s);
    EXPECT_EQ(get("/hls/plain/part0.0.m4s").result_int(), 404);
    EXPECT_EQ(get("/hls/plain/seg1.m4s").result_int(), 404);  // in progress: not waited for
    Response seg = get("/hls/plain/seg0.m4s");
    EXPECT_EQ(seg.result_int(), 200);
    EXPECT_EQ(seg.body(), "part 0.0part 0.1part 0.2part 0.3part 0.4part 0.5");
    Response main = get("/hls/plain/index.m3u8");
    EXPECT_EQ(main.result_int(), 200);
    EXPECT_EQ(main.body(),
              "#EXTM3U\n#EXT-X-VERSION:6\n#EXT-X-INDEPENDENT-SEGMENTS\n"
              "#EXT-X-STREAM-INF:BANDWIDTH=2000000,CODECS=\"avc1.42c01e,mp4a.40.2\",RESOLUTION=640x360\nmedia.m3u8\n");
    EXPECT_EQ(get("/hls/plain/init.mp4").body(), "init bytes");
}

TEST_F(HlsServerTest, PreflightAllowsAnyOrigin) {
    Response res = request(beast_http::verb::options, "/hls/tok/media.m3u8", "https://receiver.test");
    EXPECT_EQ(res.result_int(), 204);
    EXPECT_EQ(res[beast_http::field::access_control_allow_origin], "*");
    EXPECT_NE(res[beast_http::field::access_control_allow_methods].find("GET"), std::string::npos);
    EXPECT_EQ(res[beast_http::field::access_control_allow_headers], "range");
    EXPECT_EQ(request(beast_http::verb::post, "/hls/tok/media.m3u8").result_int(), 405);
}

}  // namespace
}  // namespace switchboard::hls
