// Feedback between two Switchboard PeerConnections over 127.0.0.1, through the impairing
// relay (tests/support/udp_relay.hpp): what we offer and answer for it, NACK + RTX repair on
// our receive side, RTCP reports both ways, and RTP timestamps that stay continuous when
// the sender's pts restart.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "support/peer_pair.hpp"
#include "support/udp_relay.hpp"
#include "support/video_codec.hpp"

using namespace switchboard;
using namespace switchboard::rtc;
using namespace std::chrono_literals;

namespace {

class SwitchboardFeedback : public ::testing::Test {
protected:
    test::UdpRelay relay;
    std::vector<std::int64_t> pts;           // of b's frames
    test::VideoDecoder decoder{Codec::vp8};  // b's; first, as frames come until pair closes
    test::PeerPair pair{&relay};
    test::PeerPair::Side& a = pair.a;
    test::PeerPair::Side& b = pair.b;

    bool run_until(const std::function<bool()>& done, std::chrono::milliseconds limit) {
        return pair.run_until(done, limit);
    }

    void make(test::PeerPair::Side& side, bool sends) {
        auto made = pair.make(side, [&](PeerConnectionConfig& config, PeerConnection::Callbacks& cb) {
            config.ice_timeout = 10s;
            config.audio_formats.clear();
            config.send_video = sends;
            config.rtcp_interval = 200ms;  // reports within a short test
            if (&side == &b) {
                cb.on_video_frame = [this](const Frame& f) {
                    pts.push_back(f.pts);
                    decoder.decode(f);
                };
            }
        });
        ASSERT_TRUE(made.ok()) << made.error().message;
    }

    /// a offers and sends, b answers and receives; every packet passes the relay.
    void connect() {
        make(a, true);
        make(b, false);
        auto connected = pair.connect();
        ASSERT_TRUE(connected.ok()) << connected.error().message;
        ASSERT_TRUE(run_until([&] { return pair.connected(); }, 15s)) << pair.describe();
    }
};

std::string section(const std::string& sdp, std::string_view kind) {
    const auto at = sdp.find("m=" + std::string(kind));
    return at == std::string::npos ? std::string() : sdp.substr(at, sdp.find("\nm=", at + 1) - at);
}

TEST_F(SwitchboardFeedback, OfferListsRtxNackRembAndAbsSendTime) {
    make(a, true);
    auto offer = a.pc->create_offer();
    ASSERT_TRUE(offer.ok());
    const auto video = section(offer.value(), "video");
    EXPECT_NE(video.find(" rtx/90000"), std::string::npos) << video;
    EXPECT_NE(video.find(" apt="), std::string::npos) << video;
    EXPECT_NE(video.find("a=ssrc-group:FID "), std::string::npos) << video;
    EXPECT_NE(video.find(" nack\r\n"), std::string::npos) << video;
    EXPECT_NE(video.find(" goog-remb\r\n"), std::string::npos) << video;
    EXPECT_NE(video.find("http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time"), std::string::npos) << video;
}

TEST_F(SwitchboardFeedback, AnswerToAiortcAcceptsRtxNackRembAndAbsSendTime) {
    std::ifstream in(std::string(SWITCHBOARD_SOURCE_DIR) + "/tests/unit/rtc/sdp/data/aiortc_offer.sdp");
    std::stringstream offer;
    offer << in.rdbuf();
    ASSERT_FALSE(offer.str().empty());
    make(b, true);
    ASSERT_TRUE(b.pc->set_remote_description(offer.str(), SdpType::offer).ok());
    auto answer = b.pc->create_answer();
    ASSERT_TRUE(answer.ok()) << answer.error().message;
    const auto video = section(answer.value(), "video");
    EXPECT_NE(video.find(" rtx/90000"), std::string::npos) << video;
    EXPECT_NE(video.find("a=ssrc-group:FID "), std::string::npos) << video;
    EXPECT_NE(video.find(" nack\r\n"), std::string::npos) << video;
    EXPECT_NE(video.find(" goog-remb\r\n"), std::string::npos) << video;
    EXPECT_NE(video.find("abs-send-time"), std::string::npos) << video;
}

TEST_F(SwitchboardFeedback, LossIsRepairedByNackAndRtxAndTimestampsStayContinuous) {
    connect();
    relay.set_loss_percent(5);
    test::VideoEncoder encoder{Codec::vp8};
    ASSERT_TRUE(encoder.ok());
    int sent = 0;
    auto next = std::chrono::steady_clock::now();
    for (int i = 0; i < 240; ++i) {
        run_until([&] { return std::chrono::steady_clock::now() >= next; }, 50ms);
        next += 33ms;
        auto f = encoder.encode(i == 0);
        // The source restarts half way: pts go back to 0.
        f.pts = i < 120 ? 1000 + i : i - 120;
        if (!f.buffer.empty() && a.pc->send_video(f)) ++sent;
    }
    run_until([&] { return decoder.decoded >= sent; }, 3s);
    const auto as = a.pc->stats();
    const auto bs = b.pc->stats();
    std::printf(
        "[pair+relay 5%%] sent %d, decoded %d; receiver: NACKs %llu, RTX %llu, given up %llu, RRs %llu; sender: "
        "NACKs %llu, retransmissions %llu, SRs %llu, timestamp steps absorbed %llu; relay dropped %llu\n",
        sent, decoder.decoded, (unsigned long long)bs.nacks_sent, (unsigned long long)bs.rtx_received,
        (unsigned long long)bs.packets_lost, (unsigned long long)bs.reports_sent, (unsigned long long)as.nacks_received,
        (unsigned long long)as.retransmissions_sent, (unsigned long long)as.reports_sent,
        (unsigned long long)as.timestamp_discontinuities, (unsigned long long)relay.counters().loss_dropped);
    EXPECT_GT(relay.counters().loss_dropped, 0u);
    EXPECT_GT(bs.nacks_sent, 0u);
    EXPECT_GT(bs.rtx_received, 0u);
    EXPECT_GT(as.nacks_received, 0u);
    EXPECT_GT(as.retransmissions_sent, 0u);
    EXPECT_GT(as.reports_sent, 0u);
    EXPECT_GT(bs.reports_sent, 0u);
    EXPECT_GE(decoder.decoded * 100, sent * 98);
    EXPECT_EQ(decoder.errors, 0);
    // The receiver saw one timeline: every frame 3000 ticks (1/30 s at 90 kHz) after the
    // one before, across the restart.
    EXPECT_EQ(as.timestamp_discontinuities, 1u);
    for (std::size_t i = 1; i < pts.size(); ++i) EXPECT_GT(pts[i], pts[i - 1]) << i;
    ASSERT_FALSE(pts.empty());
    EXPECT_EQ(pts.back() - pts.front(), std::int64_t(sent - 1) * 3000);
}

}  // namespace
