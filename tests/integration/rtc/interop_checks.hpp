/// \file interop_checks.hpp
/// \brief The assertions every interop test makes on a call's result, in one place.
#pragma once

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "interop_harness.hpp"
#include "support/turn_server.hpp"

namespace switchboard::test {

/// Audio above this is the tone, not silence or noise.
inline constexpr double audio_floor_dbfs = -40;

/// Connected, >= 120 video frames decoded each way, the tone heard above -40 dBFS each
/// way, a stamp latency measured; prints both sides' figures.
inline void expect_media_both_ways(const InteropResult& r, const std::string& peer) {
    std::printf("%s", r.describe(peer).c_str());
    std::fflush(stdout);
    EXPECT_TRUE(r.connected);
    EXPECT_FALSE(r.failed);
    ASSERT_TRUE(r.got_report) << peer << " sent no report";
    EXPECT_EQ(r.process.exit_code, 0);
    EXPECT_GE(r.video_decoded, 120);
    EXPECT_GE(r.peer_int("frames_decoded"), 120);
    ASSERT_TRUE(r.audio_dbfs.has_value()) << "no audio decoded here";
    EXPECT_GT(*r.audio_dbfs, audio_floor_dbfs);
    const auto peer_dbfs = r.peer_double("audio_level_dbfs");
    ASSERT_TRUE(peer_dbfs.has_value()) << peer << " measured no audio";
    EXPECT_GT(*peer_dbfs, audio_floor_dbfs);
    EXPECT_GT(r.latency.samples, 0u) << "no stamp read from the peer's video";
}

/// A call where both sides trickled: media both ways, at least one remote candidate
/// applied after the remote description, and end-of-candidates as the peer was told.
inline void expect_trickled_call(const InteropResult& r, const std::string& peer, bool peer_sends_end) {
    expect_media_both_ways(r, peer);
    EXPECT_GE(r.remote_candidates_after_description, 1);
    EXPECT_EQ(r.remote_end_of_candidates, peer_sends_end);
    EXPECT_GE(r.peer_int("candidates_sent_after_description"), 1);
    EXPECT_GE(r.peer_int("remote_candidates_added"), 1) << peer << " applied none of our trickled candidates";
}

/// A call where our side may use only relay candidates from a coturn on 127.0.0.1 (its
/// folder in the build tree is turn/<peer>-<transport>): the media both ways has to pass
/// through it.
inline void expect_relayed_call(const std::vector<std::string>& peer_argv, const std::string& peer,
                                rtc::TurnServer::Transport transport) {
    const std::string name = peer + (transport == rtc::TurnServer::Transport::tcp ? "-tcp" : "-udp");
    TurnServerProcess turn(std::string(SWITCHBOARD_BINARY_DIR) + "/turn/" + name);
    ASSERT_TRUE(turn.ready()) << "turnserver did not start; log " << turn.log_path() << ":\n" << turn.log_text();
    InteropOptions o;
    o.configure = [&](rtc::PeerConnectionConfig& c) {
        c.relay_only = true;
        c.turn_servers = {
            {"127.0.0.1", turn.port(), TurnServerProcess::username, TurnServerProcess::password, transport}};
    };
    const auto r = run_interop_call(peer_argv, o);
    expect_media_both_ways(r, peer);
    ASSERT_FALSE(r.local_candidates.empty()) << "no relay candidate from turnserver:\n" << turn.log_text();
    for (const auto& c : r.local_candidates) EXPECT_NE(c.find(" typ relay"), std::string::npos) << c;
    // The server's side of it: our allocation, and a permission for the peer.
    const std::string log = turn.log_text();
    EXPECT_NE(log.find("ALLOCATE processed, success"), std::string::npos) << log;
    EXPECT_NE(log.find("CREATE_PERMISSION processed, success"), std::string::npos) << log;
    std::printf("[turn] %s on port %u; our candidates: %s\n", name.c_str(), unsigned(turn.port()),
                r.local_candidates.front().c_str());
}

}  // namespace switchboard::test
