// Our PeerConnection against headless Chromium (Debian's, driven by playwright-core through
// tests/peers/node/webrtc_peer_chromium.mjs) over 127.0.0.1 only, through the shared interop
// harness: VP8 and H264 with Opus both ways, offering and answering, and trickle.
#include <gtest/gtest.h>

#include "interop_checks.hpp"

using namespace switchboard;
using namespace switchboard::test;

namespace {

TEST(PeerConnection_chromium, WeOfferTheyAnswerVp8AndOpusBothWays) {
    InteropOptions o;
    o.we_offer = true;
    expect_media_both_ways(run_interop_call(chromium_peer(Codec::vp8), o), "chromium");
}

TEST(PeerConnection_chromium, TheyOfferWeAnswerVp8AndOpusBothWays) {
    InteropOptions o;
    o.we_offer = false;
    expect_media_both_ways(run_interop_call(chromium_peer(Codec::vp8), o), "chromium");
}

TEST(PeerConnection_chromium, WeOfferTheyAnswerH264AndOpusBothWays) {
    InteropOptions o;
    o.video = Codec::h264;
    o.we_offer = true;
    expect_media_both_ways(run_interop_call(chromium_peer(Codec::h264), o), "chromium");
}

TEST(PeerConnection_chromium, TheyOfferWeAnswerH264AndOpusBothWays) {
    InteropOptions o;
    o.video = Codec::h264;
    o.we_offer = false;
    expect_media_both_ways(run_interop_call(chromium_peer(Codec::h264), o), "chromium");
}

TEST(PeerConnection_chromium, TrickleBothWaysTheyOffer) {
    InteropOptions o;
    o.we_offer = false;
    o.trickle = true;
    expect_trickled_call(run_interop_call(chromium_peer(Codec::vp8, {"--trickle"}), o), "chromium", true);
}

}  // namespace
