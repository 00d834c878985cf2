// Our PeerConnection against a real WebRTC peer, aiortc 1.4 (tests/peers/webrtc_peer_aiortc.py),
// over 127.0.0.1 only, through the shared interop harness: VP8 or H264 video and Opus
// audio both ways, offering and answering, trickle, and a relay-only call through coturn.
#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <cstdio>

#include "interop_checks.hpp"
#include "rtc/dtls/certificate.hpp"
#include "support/turn_server.hpp"

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

/// A call where our side may use only relay candidates from a coturn on 127.0.0.1: the
/// media both ways has to pass through it.
void expect_relayed_call(rtc::TurnServer::Transport transport, const std::string& name) {
    TurnServerProcess turn(std::string(SWITCHBOARD_BINARY_DIR) + "/turn/" + name);
    ASSERT_TRUE(turn.ready()) << "turnserver did not start; log " << turn.log_path() << ":\n" << turn.log_tail();
    InteropOptions o;
    o.configure = [&](rtc::PeerConnectionConfig& c) {
        c.relay_only = true;
        c.turn_servers = {
            {"127.0.0.1", turn.port(), TurnServerProcess::username, TurnServerProcess::password, transport}};
    };
    const auto r = run_interop_call(aiortc_peer(Codec::vp8), o);
    expect_media_both_ways(r, "aiortc");
    ASSERT_FALSE(r.local_candidates.empty()) << "no relay candidate from turnserver:\n" << turn.log_tail();
    for (const auto& c : r.local_candidates) EXPECT_NE(c.find(" typ relay"), std::string::npos) << c;
    std::printf("[turn] %s on port %u; our candidates: %s\n", name.c_str(), unsigned(turn.port()),
                r.local_candidates.front().c_str());
}

TEST(PeerConnection_aiortc, RelayOnlyThroughTurnUdp) {
    expect_relayed_call(rtc::TurnServer::Transport::udp, "udp");
}

TEST(PeerConnection_aiortc, RelayOnlyThroughTurnTcp) {
    expect_relayed_call(rtc::TurnServer::Transport::tcp, "tcp");
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
