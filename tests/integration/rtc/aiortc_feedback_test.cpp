// Feedback against a real peer, aiortc 1.4 (tests/peers/webrtc_peer_aiortc.py), through an
// impairing UDP relay on 127.0.0.1 (tests/support/udp_relay.hpp): loss repaired by NACK and
// RTX, a lost keyframe repaired by PLI, and a bottleneck found by aiortc's REMB and the
// loss in its reports. We offer
// and send VP8 encoded here with libvpx; aiortc answers, receives and reports how many
// frames it decoded. Behaviour only: counts and outcomes, no timing limits.
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

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <istream>
#include <memory>
#include <numeric>
#include <optional>
#include <span>
#include <string>

#include "rtc/dtls/certificate.hpp"
#include "rtc/ice/glib_loop.hpp"
#include "rtc/peer_connection.hpp"
#include "support/process.hpp"
#include "support/udp_relay.hpp"
#include "support/video_codec.hpp"

using namespace switchboard;
using namespace switchboard::rtc;
using namespace std::chrono_literals;
using boost::asio::ip::tcp;
using switchboard::test::UdpRelay;
using switchboard::test::VideoEncoder;

namespace {

using Clock = std::chrono::steady_clock;
using switchboard::test::fps;

std::string json_message(std::string_view type, std::string_view key, std::string_view value) {
    rapidjson::StringBuffer sb;
    rapidjson::Writer<rapidjson::StringBuffer> w(sb);
    w.StartObject();
    w.Key("type");
    w.String(type.data(), rapidjson::SizeType(type.size()));
    w.Key(key.data(), rapidjson::SizeType(key.size()));
    w.String(value.data(), rapidjson::SizeType(value.size()));
    w.EndObject();
    return std::string(sb.GetString()) + "\n";
}

double ms_between(Clock::time_point a, Clock::time_point b) {
    return std::chrono::duration<double, std::milli>(b - a).count();
}

class Feedback_aiortc : public ::testing::Test {
protected:
    boost::asio::io_context io;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work = boost::asio::make_work_guard(io);
    GlibLoop loop;
    tcp::acceptor acceptor{io, tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0)};
    tcp::socket socket{io};
    boost::asio::streambuf in;
    UdpRelay relay;
    std::unique_ptr<PeerConnection> pc;
    boost::asio::steady_timer send_timer{io};
    const std::string key_log =
        (std::filesystem::temp_directory_path() / ("switchboard-srtp-keys." + std::to_string(::getpid()) + ".log"))
            .string();

    std::unique_ptr<VideoEncoder> encoder;
    int frames_to_send = fps * 10;
    int resend_copies = 1;
    /// Runs before each frame is encoded, with its index.
    std::function<void(int)> before_frame;

    bool connected = false;
    bool failed = false;
    bool gathered = false;
    bool got_report = false;
    bool keyframe_requested = false;
    int frames_sent = 0;
    int keyframe_requests = 0;
    std::vector<Clock::time_point> keyframe_request_times;
    std::vector<Clock::time_point> keyframes_sent;
    std::optional<Clock::time_point> last_forced_keyframe;
    std::vector<std::uint64_t> estimates;
    rapidjson::Document report;
    std::string states;

    void SetUp() override { std::filesystem::remove(key_log); }
    void TearDown() override {
        send_timer.cancel();
        pc.reset();
        std::filesystem::remove(key_log);
    }

    bool run_until(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
        const auto deadline = Clock::now() + timeout;
        while (!done()) {
            if (Clock::now() > deadline) return false;
            io.run_for(5ms);
        }
        return true;
    }

    void read_loop() {
        boost::asio::async_read_until(socket, in, '\n', [this](const boost::system::error_code& ec, std::size_t) {
            if (ec) return;
            std::istream is(&in);
            std::string line;
            std::getline(is, line);
            rapidjson::Document d;
            d.Parse(line.c_str());
            if (!d.HasParseError() && d.IsObject() && d.HasMember("type")) {
                const std::string type = d["type"].GetString();
                if (type == "answer") {
                    // aiortc's candidates point at the relay, so every packet passes it.
                    const auto sdp = relay.rewrite_candidates(d["sdp"].GetString(), false);
                    auto r = pc->set_remote_description(sdp, SdpType::answer);
                    EXPECT_TRUE(r.ok()) << r.error().message;
                } else if (type == "report") {
                    report.CopyFrom(d, report.GetAllocator());
                    got_report = true;
                }
            }
            read_loop();
        });
    }

    void make_pc() {
        auto cert = Certificate::generate();
        ASSERT_TRUE(cert.ok()) << cert.error().message;
        PeerConnectionConfig config;
        config.gather_addresses = {"127.0.0.1"};
        config.ice_timeout = 15s;
        config.audio_formats.clear();
        config.srtp_key_log_path = key_log;
        config.nack_resend_copies = resend_copies;
        PeerConnection::Callbacks cb;
        cb.on_gathering_done = [this] { gathered = true; };
        cb.on_state = [this](PeerConnectionState s, const std::string& reason) {
            states += std::string(to_string(s)) + (reason.empty() ? "" : " (" + reason + ")") + "; ";
            if (s == PeerConnectionState::connected && !connected) {
                connected = true;
                send_next();
            }
            if (s == PeerConnectionState::failed) failed = true;
        };
        cb.on_keyframe_request = [this] {
            ++keyframe_requests;
            keyframe_requested = true;
            keyframe_request_times.push_back(Clock::now());
        };
        cb.on_bandwidth_estimate = [this](std::uint64_t bps) { estimates.push_back(bps); };
        auto r = PeerConnection::create(loop, io.get_executor(), cert.value(), std::move(config), std::move(cb));
        ASSERT_TRUE(r.ok()) << r.error().message;
        pc = std::move(r.value());
    }

    void send_next() {
        send_timer.expires_after(std::chrono::milliseconds(1000 / fps));
        send_timer.async_wait([this](const boost::system::error_code& ec) {
            if (ec || !pc || frames_sent >= frames_to_send) return;
            if (before_frame) before_frame(frames_sent);
            // Like a real encoder, at most one forced keyframe per 500 ms: a receiver that
            // asks with every lost packet would otherwise get nothing but keyframes.
            const bool key_due =
                frames_sent == 0 ||
                (keyframe_requested && (!last_forced_keyframe || Clock::now() - *last_forced_keyframe >= 500ms));
            Frame f = encoder->encode(key_due);
            if (key_due) {
                keyframe_requested = false;
                last_forced_keyframe = Clock::now();
            }
            f.pts = frames_sent;
            if (!f.buffer.empty() && pc->send_video(f)) {
                ++frames_sent;
                if (f.keyframe) keyframes_sent.push_back(Clock::now());
            }
            send_next();
        });
    }

    /// Starts aiortc as the answerer, offers through the relay, and runs until aiortc
    /// reports (it does `duration_s` after its first decoded frame).
    test::ProcessResult run_call(int duration_s) {
        const std::string port = std::to_string(acceptor.local_endpoint().port());
        test::ChildProcess child(
            {"/usr/bin/python3", std::string(SWITCHBOARD_SOURCE_DIR) + "/tests/peers/webrtc_peer_aiortc.py", "--role",
             "answer", "--codec", "vp8", "--no-send", "--duration", std::to_string(duration_s), "--min-frames", "1",
             "--timeout", std::to_string(duration_s + 40), "--connect", "127.0.0.1:" + port});
        bool accepted = false;
        acceptor.async_accept(socket, [&](const boost::system::error_code& ec) { accepted = !ec; });
        EXPECT_TRUE(run_until([&] { return accepted; }, 20s)) << "aiortc did not connect to signalling";
        make_pc();
        if (!pc || !accepted) return child.wait(5s);
        auto offer = pc->create_offer();
        EXPECT_TRUE(offer.ok()) << offer.error().message;
        EXPECT_TRUE(run_until([&] { return gathered; }, 10s));
        const auto sdp = relay.rewrite_candidates(pc->local_description(), true);
        boost::asio::write(socket, boost::asio::buffer(json_message("offer", "sdp", sdp)));
        read_loop();
        EXPECT_TRUE(run_until([&] { return got_report || failed; }, std::chrono::seconds(duration_s + 45)));
        auto result = child.wait(20s);
        if (result.exit_code != 0 || !got_report)
            std::printf("[aiortc] exit %d%s\nstdout:\n%s\nstderr:\n%s\n", result.exit_code,
                        result.timed_out ? " (timed out)" : "", result.out.c_str(), result.err.c_str());
        EXPECT_FALSE(failed) << states;
        return result;
    }

    int aiortc_decoded() const {
        if (!got_report || !report.HasMember("frames_decoded") || !report["frames_decoded"].IsInt()) return -1;
        return report["frames_decoded"].GetInt();
    }

    void print_stats() const {
        const auto st = pc->stats();
        const auto rc = relay.counters();
        std::printf(
            "[switchboard] sent %d frames, %llu RTP; NACKs received %llu, retransmissions %llu, keyframe requests %d, "
            "RTCP reports sent %llu, REMBs %llu (last %llu b/s), send rate target %llu b/s\n",
            frames_sent, (unsigned long long)st.rtp_sent, (unsigned long long)st.nacks_received,
            (unsigned long long)st.retransmissions_sent, keyframe_requests, (unsigned long long)st.reports_sent,
            (unsigned long long)st.rembs_received, (unsigned long long)st.remb_bps,
            (unsigned long long)st.bandwidth_estimate_bps);
        std::printf(
            "[relay] to peer %llu, to gateway %llu; dropped: loss %llu, keyframe %llu (keyframes %llu), "
            "bandwidth %llu (max queue %llu B)\n",
            (unsigned long long)rc.to_peer, (unsigned long long)rc.to_gateway, (unsigned long long)rc.loss_dropped,
            (unsigned long long)rc.keyframe_dropped, (unsigned long long)rc.keyframes_dropped,
            (unsigned long long)rc.bandwidth_dropped, (unsigned long long)rc.bandwidth_max_queue_bytes);
        std::printf("[aiortc] frames decoded: %d\n", aiortc_decoded());
    }
};

TEST_F(Feedback_aiortc, FivePercentLossIsRepairedByNackAndRtx) {
    encoder = std::make_unique<VideoEncoder>(Codec::vp8);
    ASSERT_TRUE(encoder->ok()) << "libavcodec has no libvpx encoder";
    frames_to_send = fps * 10;
    // The relay drops retransmissions too, and aiortc asks for a hole once, then again
    // only with the next hole, often after our 1 s history: a lost RTX is a frame lost for
    // good (and, in aiortc's jitter buffer, every frame behind it). Two copies of each.
    resend_copies = 2;
    // From the second frame on: a receiver cannot NACK what came before its first packet
    // (it knows no sequence number yet), and aiortc does not PLI for an undecodable start,
    // so a lost first keyframe would cost a whole GOP whatever we do.
    before_frame = [this](int index) {
        if (index == 1) relay.set_loss_percent(5);
    };
    const auto result = run_call(13);
    print_stats();
    const auto st = pc->stats();
    std::printf("[loss] aiortc decoded %.1f %% of the %d frames sent\n", 100.0 * aiortc_decoded() / frames_sent,
                frames_sent);
    EXPECT_EQ(result.exit_code, 0);
    EXPECT_EQ(frames_sent, fps * 10);
    EXPECT_GT(relay.counters().loss_dropped, 0u);
    EXPECT_GT(st.nacks_received, 0u);
    EXPECT_GT(st.retransmissions_sent, 0u);
    EXPECT_GE(aiortc_decoded() * 100, frames_sent * 98);
}

TEST_F(Feedback_aiortc, ADroppedKeyframeIsRepairedByPli) {
    encoder = std::make_unique<VideoEncoder>(Codec::vp8);
    ASSERT_TRUE(encoder->ok()) << "libavcodec has no libvpx encoder";
    frames_to_send = fps * 12;
    const int drop_at = fps * 3;
    bool armed = false;
    before_frame = [&](int index) {
        if (index != drop_at) return;
        // The next keyframe is ours to lose: ask the encoder for one now.
        armed = relay.drop_next_keyframe(key_log);
        keyframe_requested = true;
    };
    const auto result = run_call(14);
    print_stats();
    EXPECT_EQ(result.exit_code, 0);
    ASSERT_TRUE(armed) << "no SRTP key log line at " << key_log;
    const auto dropped_at = relay.keyframe_dropped_at();
    ASSERT_TRUE(dropped_at) << "the relay saw no keyframe to drop";
    EXPECT_EQ(relay.counters().keyframes_dropped, 1u);
    // Every packet of it and every resend was dropped (NACK could not repair it)...
    EXPECT_GT(relay.counters().keyframe_dropped, 0u);
    // ...so aiortc asked for a keyframe, and one left after the drop.
    const auto request = std::find_if(keyframe_request_times.begin(), keyframe_request_times.end(),
                                      [&](auto t) { return t > *dropped_at; });
    ASSERT_NE(request, keyframe_request_times.end()) << "no PLI after the keyframe was dropped";
    const auto recovery =
        std::find_if(keyframes_sent.begin(), keyframes_sent.end(), [&](auto t) { return t > *request; });
    ASSERT_NE(recovery, keyframes_sent.end()) << "no keyframe after the PLI";
    std::printf("[idr] keyframe dropped -> PLI received %.0f ms -> new keyframe leaving %.0f ms after the drop\n",
                ms_between(*dropped_at, *request), ms_between(*dropped_at, *recovery));
    // aiortc decoded on after the new keyframe: well more than what came before the drop.
    EXPECT_GE(aiortc_decoded(), drop_at + fps * 3);
}

TEST_F(Feedback_aiortc, RembFindsTheBottleneckAndTheEncoderFollows) {
    constexpr std::int64_t start_bps = 2'500'000;
    constexpr std::uint64_t cap_bps = 600'000;
    std::int64_t target = start_bps;
    encoder = std::make_unique<VideoEncoder>(Codec::vp8, target, true);
    ASSERT_TRUE(encoder->ok()) << "libavcodec has no libvpx encoder";
    // aiortc's estimator is delay-based: it needs a queue that can grow before it
    // overflows. A queue pinned full (as our 2.5 Mb/s start leaves it) shows no delay
    // gradient, only loss, which the loss in aiortc's reports then answers.
    relay.set_bandwidth(cap_bps, 500ms);
    frames_to_send = fps * 25;
    std::vector<std::int64_t> targets{target};
    // The encoder's rate for each second of the run: what it was set to as the second began.
    std::vector<std::int64_t> rate_by_second;
    before_frame = [&](int index) {
        if (index % fps == 0) rate_by_second.push_back(target);
        // Like a real sender: follow the estimate, at most once a second, when it moved by
        // more than 10 %.
        if (index % fps != 0 || estimates.empty()) return;
        const auto estimate = std::int64_t(std::min<std::uint64_t>(estimates.back(), start_bps));
        if (std::abs(estimate - target) * 10 < target) return;
        target = estimate;
        targets.push_back(target);
        rate_by_second.back() = target;
        encoder = std::make_unique<VideoEncoder>(Codec::vp8, target, true);
    };
    const auto result = run_call(27);
    print_stats();
    std::string remb_path;
    for (std::size_t i = 0; i < estimates.size(); i += 3) remb_path += std::to_string(estimates[i] / 1000) + " ";
    std::printf("[bandwidth] target kb/s (every third): %s\n", remb_path.c_str());
    std::string path;
    for (auto t : targets) path += std::to_string(t / 1000) + " ";
    std::printf("[bandwidth] cap %llu kb/s; targets received: %zu, first %llu, last %llu b/s; encoder kb/s: %s\n",
                (unsigned long long)cap_bps / 1000, estimates.size(),
                (unsigned long long)(estimates.empty() ? 0 : estimates.front()),
                (unsigned long long)(estimates.empty() ? 0 : estimates.back()), path.c_str());
    EXPECT_EQ(result.exit_code, 0);
    EXPECT_GT(relay.counters().bandwidth_dropped, 0u);
    ASSERT_FALSE(estimates.empty()) << "no REMB reached on_bandwidth_estimate";
    EXPECT_EQ(pc->stats().bandwidth_estimate_bps, estimates.back());
    // Any controller probes above a bottleneck now and then (that is how it finds room), so
    // the last value says little: over the last 10 s the encoder averaged below the cap.
    ASSERT_GE(rate_by_second.size(), 20u);
    const auto last = std::span(rate_by_second).last(10);
    const auto mean = std::accumulate(last.begin(), last.end(), std::int64_t(0)) / std::int64_t(last.size());
    std::printf("[bandwidth] encoder's mean over the last 10 s: %lld kb/s\n", (long long)mean / 1000);
    EXPECT_LT(std::uint64_t(mean), cap_bps);
}

}  // namespace
