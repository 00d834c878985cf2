// Our PeerConnection against a real WebRTC peer, aiortc 1.4 (tests/peers/webrtc_peer_aiortc.py),
// over 127.0.0.1 only, through the shared interop harness: VP8 or H264 video and Opus
// audio both ways, offering and answering, trickle, and a relay-only call through coturn.
#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <cstdio>

#include "interop_checks.hpp"
#include "rtc/dtls/certificate.hpp"

using namespace switchboard;
using namespace switchboard::test;
using namespace std::chrono_literals;

namespace {

TEST(PeerConnection_aiortc, WeOfferTheyAnswerVp8AndOpusBothWays) {
    InteropOptions o;
    o.we_offer = true;
    expect_media_both_ways(run_interop_call(aiortc_peer(Codec::vp8), o), "aiortc");
}

TEST(PeerConnection_aiortc, TheyOfferWeAnswerVp8AndOpusBothWays) {
    InteropOptions o;
    o.we_offer = false;
    expect_media_both_ways(run_interop_call(aiortc_peer(Codec::vp8), o), "aiortc");
}

TEST(PeerConnection_aiortc, WeOfferTheyAnswerH264AndOpusBothWays) {
    InteropOptions o;
    o.video = Codec::h264;
    o.we_offer = true;
    expect_media_both_ways(run_interop_call(aiortc_peer(Codec::h264), o), "aiortc");
}

TEST(PeerConnection_aiortc, TheyOfferWeAnswerH264AndOpusBothWays) {
    InteropOptions o;
    o.video = Codec::h264;
    o.we_offer = false;
    expect_media_both_ways(run_interop_call(aiortc_peer(Codec::h264), o), "aiortc");
}

TEST(PeerConnection_aiortc, TrickleBothWaysWeOffer) {
    InteropOptions o;
    o.we_offer = true;
    o.trickle = true;
    expect_trickled_call(run_interop_call(aiortc_peer(Codec::vp8, {"--trickle"}), o), "aiortc", true);
}

TEST(PeerConnection_aiortc, TrickleBothWaysTheyOffer) {
    InteropOptions o;
    o.we_offer = false;
    o.trickle = true;
    expect_trickled_call(run_interop_call(aiortc_peer(Codec::vp8, {"--trickle"}), o), "aiortc", true);
}

TEST(PeerConnection_aiortc, ConnectsWhenThePeerNeverSendsEndOfCandidates) {
    InteropOptions o;
    o.we_offer = false;
    o.trickle = true;
    expect_trickled_call(run_interop_call(aiortc_peer(Codec::vp8, {"--trickle", "--no-end-of-candidates"}), o),
                         "aiortc", false);
}

TEST(PeerConnection_aiortc, RelayOnlyThroughTurnUdp) {
    expect_relayed_call(aiortc_peer(Codec::vp8), "aiortc", rtc::TurnServer::Transport::udp);
}

TEST(PeerConnection_aiortc, RelayOnlyThroughTurnTcp) {
    expect_relayed_call(aiortc_peer(Codec::vp8), "aiortc", rtc::TurnServer::Transport::tcp);
}

TEST(PeerConnection_aiortc, MalformedRemoteSdpFailsWithReason) {
    boost::asio::io_context io;
    auto work = boost::asio::make_work_guard(io);
    rtc::GlibLoop loop;
    auto cert = rtc::Certificate::generate();
    ASSERT_TRUE(cert.ok()) << cert.error().message;
    std::string failure;
    rtc::PeerConnection::Callbacks cb;
    cb.on_state = [&](rtc::PeerConnectionState s, const std::string& reason) {
        if (s == rtc::PeerConnectionState::failed) failure = reason;
    };
    auto pc = rtc::PeerConnection::create(loop, io.get_executor(), cert.value(), {}, std::move(cb));
    ASSERT_TRUE(pc.ok()) << pc.error().message;
    auto r = pc.value()->set_remote_description("v=0\r\nthis is not sdp\r\n", rtc::SdpType::offer);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, ErrorKind::invalid);
    for (int i = 0; i < 400 && failure.empty(); ++i) io.run_for(5ms);
    EXPECT_EQ(pc.value()->state(), rtc::PeerConnectionState::failed);
    EXPECT_NE(failure.find("remote offer"), std::string::npos) << failure;
}

}  // namespace
