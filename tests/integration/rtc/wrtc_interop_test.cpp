// Our PeerConnection against Google's libwebrtc (@roamhq/wrtc 0.10, through
// tests/peers/node/webrtc_peer_wrtc.mjs) over 127.0.0.1 only, through the shared interop
// harness: VP8 and Opus both ways, offering and answering, trickle both ways, and our side
// relay-only through coturn.
// (This libwebrtc build has no H264.)
#include <gtest/gtest.h>

#include "interop_checks.hpp"

using namespace switchboard;
using namespace switchboard::test;

namespace {

// libwebrtc, answering, is the DTLS client and sends its ClientHello as soon as its own
// check succeeds, before our (controlling) libnice has selected a pair: our ServerHello
// must wait for the pair rather than be lost until libwebrtc retransmits a second later.
TEST(PeerConnection_wrtc, WeOfferTheyAnswerVp8AndOpusBothWays) {
    InteropOptions o;
    o.we_offer = true;
    const auto r = run_interop_call(wrtc_peer(), o);
    expect_media_both_ways(r, "wrtc");
    EXPECT_LT(r.to_connected.count(), 800) << "a DTLS flight was lost and waited for a retransmission";
}

TEST(PeerConnection_wrtc, TheyOfferWeAnswerVp8AndOpusBothWays) {
    InteropOptions o;
    o.we_offer = false;
    expect_media_both_ways(run_interop_call(wrtc_peer(), o), "wrtc");
}

TEST(PeerConnection_wrtc, RelayOnlyThroughTurnUdp) {
    expect_relayed_call(wrtc_peer(), "wrtc", rtc::TurnServer::Transport::udp);
}

TEST(PeerConnection_wrtc, TrickleBothWaysWeOffer) {
    InteropOptions o;
    o.we_offer = true;
    o.trickle = true;
    expect_trickled_call(run_interop_call(wrtc_peer({"--trickle"}), o), "wrtc", true);
}

TEST(PeerConnection_wrtc, TrickleBothWaysTheyOffer) {
    InteropOptions o;
    o.we_offer = false;
    o.trickle = true;
    expect_trickled_call(run_interop_call(wrtc_peer({"--trickle"}), o), "wrtc", true);
}

TEST(PeerConnection_wrtc, ConnectsWhenThePeerNeverSendsEndOfCandidates) {
    InteropOptions o;
    o.we_offer = true;
    o.trickle = true;
    expect_trickled_call(run_interop_call(wrtc_peer({"--trickle", "--no-end-of-candidates"}), o), "wrtc", false);
}

}  // namespace
