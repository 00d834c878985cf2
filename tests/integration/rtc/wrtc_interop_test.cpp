// Our PeerConnection against Google's libwebrtc (@roamhq/wrtc 0.10, through
// tests/peers/node/webrtc_peer_wrtc.mjs) over 127.0.0.1 only, through the shared interop
// harness: VP8 and Opus both ways, offering and answering, and trickle both ways.
// (This libwebrtc build has no H264.)
#include <gtest/gtest.h>

#include "interop_checks.hpp"

using namespace switchboard;
using namespace switchboard::test;

namespace {

TEST(PeerConnection_wrtc, WeOfferTheyAnswerVp8AndOpusBothWays) {
    InteropOptions o;
    o.we_offer = true;
    expect_media_both_ways(run_interop_call(wrtc_peer(), o), "wrtc");
}

TEST(PeerConnection_wrtc, TheyOfferWeAnswerVp8AndOpusBothWays) {
    InteropOptions o;
    o.we_offer = false;
    expect_media_both_ways(run_interop_call(wrtc_peer(), o), "wrtc");
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
