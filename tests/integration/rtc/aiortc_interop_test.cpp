// Our PeerConnection against a real WebRTC peer, aiortc 1.4 (tests/peers/webrtc_peer_aiortc.py),
// over 127.0.0.1 only. Signalling is JSON lines over a loopback TCP connection the peer
// opens to us. We send VP8 frames encoded here with libvpx (through libavcodec) at 30 fps;
// aiortc reports how many it decoded. aiortc sends its test pattern; we depacketize it and
// decode it with libavcodec. Both directions must carry at least 120 frames.
#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <chrono>
#include <cstdio>
#include <functional>
#include <istream>
#include <memory>
#include <string>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavutil/log.h>
#include <libavutil/opt.h>
}

#include "rtc/dtls/certificate.hpp"
#include "rtc/ice/glib_loop.hpp"
#include "rtc/peer_connection.hpp"
#include "support/process.hpp"
#include "support/vp8_codec.hpp"

using namespace switchboard;
using namespace switchboard::rtc;
using namespace std::chrono_literals;
using boost::asio::ip::tcp;
using switchboard::test::Vp8Decoder;
using switchboard::test::Vp8Encoder;

namespace {

using switchboard::test::fps;
using switchboard::test::height;
using switchboard::test::width;

std::string json_message(std::string_view type, std::string_view key = {}, std::string_view value = {}) {
    rapidjson::StringBuffer sb;
    rapidjson::Writer<rapidjson::StringBuffer> w(sb);
    w.StartObject();
    w.Key("type");
    w.String(type.data(), rapidjson::SizeType(type.size()));
    if (!key.empty()) {
        w.Key(key.data(), rapidjson::SizeType(key.size()));
        w.String(value.data(), rapidjson::SizeType(value.size()));
    }
    w.EndObject();
    return std::string(sb.GetString()) + "\n";
}

class PeerConnection_aiortc : public ::testing::Test {
protected:
    boost::asio::io_context io;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work = boost::asio::make_work_guard(io);
    GlibLoop loop;
    tcp::acceptor acceptor{io, tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0)};
    tcp::socket socket{io};
    boost::asio::streambuf in;
    std::unique_ptr<PeerConnection> pc;
    boost::asio::steady_timer send_timer{io};

    // What happened.
    std::vector<std::string> states;
    bool connected = false;
    bool failed = false;
    bool gathered = false;
    bool got_report = false;
    bool keyframe_requested = false;
    int frames_sent = 0;
    int frames_received = 0;
    int keyframe_requests = 0;
    Vp8Decoder decoder;
    rapidjson::Document report;
    std::chrono::steady_clock::time_point t0 = std::chrono::steady_clock::now();
    std::chrono::milliseconds setup_time{-1};

    void TearDown() override {
        send_timer.cancel();
        pc.reset();
    }

    bool run_until(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (!done()) {
            if (std::chrono::steady_clock::now() > deadline) return false;
            io.run_for(5ms);
        }
        return true;
    }

    void send_line(const std::string& line) { boost::asio::write(socket, boost::asio::buffer(line)); }

    /// Reads signalling lines from the peer; `on_message` gets each parsed one.
    void read_loop(std::function<void(const rapidjson::Document&)> on_message) {
        boost::asio::async_read_until(socket, in, '\n',
                                      [this, on_message](const boost::system::error_code& ec, std::size_t) {
                                          if (ec) return;
                                          std::istream is(&in);
                                          std::string line;
                                          std::getline(is, line);
                                          rapidjson::Document d;
                                          d.Parse(line.c_str());
                                          if (!d.HasParseError() && d.IsObject() && d.HasMember("type")) on_message(d);
                                          read_loop(on_message);
                                      });
    }

    void make_pc(Vp8Encoder& encoder) {
        auto cert = Certificate::generate();
        ASSERT_TRUE(cert.ok()) << cert.error().message;
        PeerConnectionConfig config;
        config.gather_addresses = {"127.0.0.1"};
        config.ice_timeout = 15s;
        config.audio_formats.clear();  // video only for now
        PeerConnection::Callbacks cb;
        cb.on_local_candidate = [](const std::string& c, const std::string& mid) {
            EXPECT_NE(c.find(" 127.0.0.1 "), std::string::npos) << c;
            (void)mid;
        };
        cb.on_gathering_done = [this] { gathered = true; };
        cb.on_state = [this, &encoder](PeerConnectionState s, const std::string& reason) {
            states.push_back(std::string(to_string(s)) + (reason.empty() ? "" : " (" + reason + ")"));
            if (s == PeerConnectionState::connected && !connected) {
                connected = true;
                setup_time =
                    std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0);
                start_sending(encoder);
            }
            if (s == PeerConnectionState::failed) failed = true;
        };
        cb.on_video_frame = [this](const Frame& f) {
            ++frames_received;
            decoder.decode(f);
        };
        cb.on_keyframe_request = [this] {
            ++keyframe_requests;
            keyframe_requested = true;
        };
        auto r = PeerConnection::create(loop, io.get_executor(), cert.value(), std::move(config), std::move(cb));
        ASSERT_TRUE(r.ok()) << r.error().message;
        pc = std::move(r.value());
    }

    void start_sending(Vp8Encoder& encoder) {
        send_timer.expires_after(std::chrono::milliseconds(1000 / fps));
        send_timer.async_wait([this, &encoder](const boost::system::error_code& ec) {
            if (ec || !pc || got_report || frames_sent >= fps * 8) return;
            Frame f = encoder.encode(keyframe_requested || frames_sent == 0);
            keyframe_requested = false;
            f.pts = frames_sent;
            if (!f.buffer.empty() && pc->send_video(f)) ++frames_sent;
            start_sending(encoder);
        });
    }

    test::ChildProcess start_peer(std::string_view role) {
        const std::string port = std::to_string(acceptor.local_endpoint().port());
        return test::ChildProcess({"/usr/bin/python3",
                                   std::string(SWITCHBOARD_SOURCE_DIR) + "/tests/peers/webrtc_peer_aiortc.py", "--role",
                                   std::string(role), "--codec", "vp8", "--size", "320x240", "--duration", "5",
                                   "--min-frames", "120", "--timeout", "40", "--connect", "127.0.0.1:" + port});
    }

    bool accept_peer() {
        bool accepted = false;
        acceptor.async_accept(socket, [&](const boost::system::error_code& ec) { accepted = !ec; });
        return run_until([&] { return accepted; }, 20s);
    }

    void print_and_check(test::ChildProcess& child) {
        const auto result = child.wait(20s);
        std::string all;
        for (const auto& s : states) all += s + "; ";
        const auto st = pc ? pc->stats() : PeerConnection::Stats{};
        std::printf("[switchboard] states: %s\n", all.c_str());
        std::printf("[switchboard] setup (create -> connected): %lld ms\n", static_cast<long long>(setup_time.count()));
        std::printf(
            "[switchboard] sent %d VP8 frames (%llu RTP packets); received %d frames, decoded %d (%s), "
            "decode errors %d; PLIs sent %llu, keyframe requests received %d\n",
            frames_sent, static_cast<unsigned long long>(st.rtp_sent), frames_received, decoder.decoded,
            decoder.resolution.c_str(), decoder.errors, static_cast<unsigned long long>(st.plis_sent),
            keyframe_requests);
        int aiortc_decoded = -1;
        if (got_report && report.HasMember("frames_decoded") && report["frames_decoded"].IsInt())
            aiortc_decoded = report["frames_decoded"].GetInt();
        std::printf("[aiortc] frames decoded: %d\n", aiortc_decoded);
        if (result.exit_code != 0 || !got_report)
            std::printf("[aiortc] exit %d%s\nstdout:\n%s\nstderr:\n%s\n", result.exit_code,
                        result.timed_out ? " (timed out)" : "", result.out.c_str(), result.err.c_str());
        EXPECT_TRUE(got_report);
        EXPECT_EQ(result.exit_code, 0);
        EXPECT_GE(aiortc_decoded, 120);
        EXPECT_GE(decoder.decoded, 120);
        EXPECT_FALSE(failed) << all;
    }

    void on_report(const rapidjson::Document& d) {
        report.CopyFrom(d, report.GetAllocator());
        got_report = true;
    }
};

TEST_F(PeerConnection_aiortc, WeOfferTheyAnswerVp8BothWays) {
    Vp8Encoder encoder;
    ASSERT_TRUE(encoder.ok()) << "libavcodec has no libvpx encoder";
    auto child = start_peer("answer");
    ASSERT_TRUE(accept_peer()) << "the aiortc peer did not connect to signalling";
    make_pc(encoder);
    ASSERT_TRUE(pc);
    t0 = std::chrono::steady_clock::now();
    auto offer = pc->create_offer();
    ASSERT_TRUE(offer.ok()) << offer.error().message;
    // aiortc does not take trickled candidates before its own checks start: send the
    // offer once gathering is complete, candidates inside (as aiortc itself does).
    ASSERT_TRUE(run_until([&] { return gathered; }, 10s));
    send_line(json_message("offer", "sdp", pc->local_description()));
    read_loop([this](const rapidjson::Document& d) {
        const std::string type = d["type"].GetString();
        if (type == "answer") {
            auto r = pc->set_remote_description(d["sdp"].GetString(), SdpType::answer);
            EXPECT_TRUE(r.ok()) << r.error().message;
        } else if (type == "report") {
            on_report(d);
        }
    });
    EXPECT_TRUE(run_until([&] { return got_report || failed; }, 40s));
    print_and_check(child);
}

TEST_F(PeerConnection_aiortc, TheyOfferWeAnswerVp8BothWays) {
    Vp8Encoder encoder;
    ASSERT_TRUE(encoder.ok()) << "libavcodec has no libvpx encoder";
    auto child = start_peer("offer");
    ASSERT_TRUE(accept_peer()) << "the aiortc peer did not connect to signalling";
    make_pc(encoder);
    ASSERT_TRUE(pc);
    t0 = std::chrono::steady_clock::now();
    bool answered = false;
    read_loop([this, &answered](const rapidjson::Document& d) {
        const std::string type = d["type"].GetString();
        if (type == "offer") {
            auto r = pc->set_remote_description(d["sdp"].GetString(), SdpType::offer);
            ASSERT_TRUE(r.ok()) << r.error().message;
            auto a = pc->create_answer();
            ASSERT_TRUE(a.ok()) << a.error().message;
            answered = true;
        } else if (type == "report") {
            on_report(d);
        }
    });
    ASSERT_TRUE(run_until([&] { return answered && gathered; }, 15s));
    send_line(json_message("answer", "sdp", pc->local_description()));
    EXPECT_TRUE(run_until([&] { return got_report || failed; }, 40s));
    print_and_check(child);
}

TEST_F(PeerConnection_aiortc, MalformedRemoteSdpFailsWithReason) {
    Vp8Encoder encoder;
    make_pc(encoder);
    ASSERT_TRUE(pc);
    auto r = pc->set_remote_description("v=0\r\nthis is not sdp\r\n", SdpType::offer);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, ErrorKind::invalid);
    EXPECT_TRUE(run_until([&] { return failed; }, 2s));
    EXPECT_EQ(pc->state(), PeerConnectionState::failed);
    ASSERT_FALSE(states.empty());
    EXPECT_NE(states.back().find("remote offer"), std::string::npos) << states.back();
}

}  // namespace
