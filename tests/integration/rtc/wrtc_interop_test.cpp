// Our PeerConnection against Google's libwebrtc (@roamhq/wrtc 0.10, through
// tests/peers/node/webrtc_peer_wrtc.mjs) over 127.0.0.1 only, through the shared interop
// harness: VP8 and Opus both ways, offering and answering, trickle both ways, and our side
// relay-only through coturn; hold/resume and ICE restart started by libwebrtc with a new
// offer (as matrix-js-sdk does through m.call.negotiate).
// (This libwebrtc build has no H264.)
#include <gtest/gtest.h>

#include <cstdio>

#include "interop_checks.hpp"

using namespace switchboard;
using namespace switchboard::test;
using namespace std::chrono_literals;

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

// The peer's renegotiations: one "renegotiated" report per command, none refused, the
// call never failed.
void expect_renegotiated(const InteropResult& r, std::size_t count) {
    EXPECT_TRUE(r.renegotiation_errors.empty()) << r.renegotiation_errors.front();
    ASSERT_EQ(r.renegotiations.size(), count) << "the peer did not finish its renegotiations";
    EXPECT_EQ(r.stats.renegotiations, count);
    for (const auto& s : r.states) EXPECT_EQ(s.find("failed"), std::string::npos) << s;
    EXPECT_FALSE(r.failed);
}

// js-sdk's hold: the peer re-offers with its sections sendonly (or inactive), so we answer
// recvonly (inactive) and stop sending; it re-offers sendrecv and our video resumes. What
// counts is what reaches the peer's track (its video sink, what an application renders),
// not only what libwebrtc decodes: our answer to the hold must keep our track's a=msid and
// a=ssrc lines. Without them libwebrtc drops its receive stream for our SSRC and makes a
// new one on resume without reattaching the track's sink (the SSRC did not change): it went
// on decoding (its stats) while js-sdk's video stayed frozen after the resume.
void hold_and_resume(bool we_offer, const char* direction) {
    InteropOptions o;
    o.we_offer = we_offer;
    o.seconds = 11;
    o.peer_commands = {{4500ms, std::string(R"({"type":"hold","direction":")") + direction + R"("})"},
                       {7000ms, R"({"type":"resume"})"}};
    const auto r = run_interop_call(wrtc_peer(), o);
    expect_media_both_ways(r, "wrtc");
    ASSERT_NO_FATAL_FAILURE(expect_renegotiated(r, 2));
    const auto& hold = r.renegotiations[0];
    const auto& resume = r.renegotiations[1];
    EXPECT_EQ(hold.command, "hold");
    EXPECT_EQ(resume.command, "resume");
    // Held: we sent nothing (a few frames: we resume when we answer, before the peer's
    // report of it reaches us), the peer decoded at most what was in flight.
    EXPECT_LE(resume.our_video_sent - hold.our_video_sent, 3);
    EXPECT_LE(resume.peer_frames - hold.peer_frames, 5);
    if (std::string_view(direction) == "sendonly")
        EXPECT_GE(resume.our_frames - hold.our_frames, 30) << "the peer's video should have gone on";
    else
        EXPECT_LE(resume.our_frames - hold.our_frames, 5) << "inactive: nothing should arrive";
    // libwebrtc kept its receive stream for our SSRC through the hold: its inbound-rtp
    // stats go on (they vanished when our answer left the SSRC out).
    EXPECT_GE(hold.peer_frames_by_libwebrtc, hold.peer_frames - 5) << "libwebrtc dropped our stream on hold";
    EXPECT_GE(r.peer_int("frames_decoded_by_libwebrtc") - resume.peer_frames_by_libwebrtc, 60);
    // Resumed: both ways again, and our video reaches the peer's track, starting with the
    // keyframe we asked our source for.
    std::printf(
        "[wrtc] hold %s: the peer's track got %d frames after the resume (libwebrtc decoded %d); we sent "
        "%d while held\n",
        direction, r.peer_int("frames_decoded") - resume.peer_frames,
        r.peer_int("frames_decoded_by_libwebrtc") - resume.peer_frames_by_libwebrtc,
        resume.our_video_sent - hold.our_video_sent);
    EXPECT_GE(r.peer_int("frames_decoded") - resume.peer_frames, 60) << "the peer's track stayed frozen";
    EXPECT_EQ(r.stats.keyframes_requested_on_resume, 1u);
    EXPECT_GE(r.video_decoded - resume.our_frames, 60);
}

TEST(PeerConnection_wrtc, TheyHoldSendonlyAndResumeWeOffered) {
    hold_and_resume(true, "sendonly");
}

TEST(PeerConnection_wrtc, TheyHoldInactiveAndResumeTheyOffered) {
    hold_and_resume(false, "inactive");
}

// What matrix-js-sdk 37.5.0 does with setRemoteOnHold(true/false) then restartIce(): a
// sendonly hold, a sendrecv resume, an ICE restart; our video reaches the peer's track after
// each (it stayed frozen after the resume, and the restart did not bring it back).
TEST(PeerConnection_wrtc, TheyHoldResumeAndRestartIceLikeJsSdk) {
    InteropOptions o;
    o.we_offer = true;
    o.seconds = 11;
    o.peer_commands = {{2500ms, R"({"type":"hold","direction":"sendonly"})"},
                       {5000ms, R"({"type":"resume"})"},
                       {7500ms, R"({"type":"renegotiate","iceRestart":true})"}};
    const auto r = run_interop_call(wrtc_peer(), o);
    expect_media_both_ways(r, "wrtc");
    ASSERT_NO_FATAL_FAILURE(expect_renegotiated(r, 3));
    const auto& hold = r.renegotiations[0];
    const auto& resume = r.renegotiations[1];
    const auto& restart = r.renegotiations[2];
    EXPECT_TRUE(restart.ice_restart);
    EXPECT_NE(restart.peer_ufrag, resume.peer_ufrag);
    EXPECT_EQ(r.stats.ice_restarts, 1u);
    EXPECT_LE(resume.peer_frames - hold.peer_frames, 5) << "video went on while held";
    EXPECT_GE(restart.peer_frames - resume.peer_frames, 40) << "the peer's track got no video after the resume";
    EXPECT_GE(r.peer_int("frames_decoded") - restart.peer_frames, 60)
        << "the peer's track got no video after the ICE restart";
    EXPECT_GE(r.video_decoded - restart.our_frames, 60);
}

// libwebrtc restarts ICE (createOffer({iceRestart})): new credentials on both sides, the
// same DTLS association, media both ways afterwards.
void ice_restart(bool we_offer) {
    InteropOptions o;
    o.we_offer = we_offer;
    o.seconds = 8;
    o.peer_commands = {{2000ms, R"({"type":"renegotiate","iceRestart":true})"}};
    const auto r = run_interop_call(wrtc_peer(), o);
    expect_media_both_ways(r, "wrtc");
    ASSERT_NO_FATAL_FAILURE(expect_renegotiated(r, 1));
    const auto& n = r.renegotiations[0];
    EXPECT_TRUE(n.ice_restart);
    EXPECT_EQ(r.stats.ice_restarts, 1u);
    EXPECT_GE(r.peer_int("frames_decoded") - n.peer_frames, 60);
    EXPECT_GE(r.video_decoded - n.our_frames, 60);
}

TEST(PeerConnection_wrtc, TheyRestartIceWeOffered) {
    ice_restart(true);
}

TEST(PeerConnection_wrtc, TheyRestartIceTheyOffered) {
    ice_restart(false);
}

// Our re-offers, built from our answer to libwebrtc's offer: an ICE restart, then a hold
// (we offer sendonly, it answers recvonly and stops sending to us), then a resume.
TEST(PeerConnection_wrtc, WeRestartIceHoldAndResumeTheyOffered) {
    InteropOptions o;
    o.we_offer = false;
    o.seconds = 10;
    rtc::OfferOptions restart, hold, resume;
    restart.ice_restart = true;
    hold.hold = true;
    resume.hold = false;
    o.our_offers = {{2000ms, restart}, {4000ms, hold}, {6500ms, resume}};
    const auto r = run_interop_call(wrtc_peer(), o);
    expect_media_both_ways(r, "wrtc");
    ASSERT_NO_FATAL_FAILURE(expect_renegotiated(r, 3));
    EXPECT_EQ(r.our_offers_answered, 3);
    EXPECT_EQ(r.stats.ice_restarts, 1u);
    const auto& after_restart = r.renegotiations[0];
    const auto& held = r.renegotiations[1];
    const auto& resumed = r.renegotiations[2];
    EXPECT_EQ(held.peer_directions, "recvonly recvonly ");
    EXPECT_EQ(resumed.peer_directions, "sendrecv sendrecv ");
    EXPECT_GE(held.our_frames - after_restart.our_frames, 30) << "no video after the ICE restart";
    EXPECT_LE(resumed.our_frames - held.our_frames, 5) << "the peer went on sending while held";
    EXPECT_GE(resumed.peer_frames - held.peer_frames, 30) << "we should have gone on sending";
    EXPECT_GE(r.video_decoded - resumed.our_frames, 60);
}

}  // namespace
