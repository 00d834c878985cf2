// Two Switchboard peer connections talking to each other over 127.0.0.1: both offer
// AEAD_AES_128_GCM first, so that is what DTLS must settle on, and VP8 must flow; and an
// answer whose fingerprint was tampered with must fail the connection, with no media.
#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "support/peer_pair.hpp"
#include "support/video_codec.hpp"

using namespace switchboard;
using namespace switchboard::rtc;
using namespace std::chrono_literals;

namespace {

class SwitchboardPair : public ::testing::Test {
protected:
    test::VideoDecoder decoder;          // b's (only a sends); first, as frames come until pair closes
    test::PeerPair pair{nullptr, 10ms};  // the send loop below is paced by these 10 ms runs
    test::PeerPair::Side& a = pair.a;
    test::PeerPair::Side& b = pair.b;

    bool run_until(const std::function<bool()>& done, std::chrono::milliseconds limit) {
        return pair.run_until(done, limit);
    }

    /// Offer from a, answer from b (optionally edited on the way), candidates inside.
    void negotiate(const std::function<void(std::string&)>& edit_answer = {}) {
        const auto short_ice = [](PeerConnectionConfig& config, PeerConnection::Callbacks&) {
            config.ice_timeout = 5s;
        };
        auto made = pair.make(a, short_ice);
        ASSERT_TRUE(made.ok()) << made.error().message;
        made = pair.make(b, [&](PeerConnectionConfig& config, PeerConnection::Callbacks& cb) {
            short_ice(config, cb);
            cb.on_video_frame = [this](const Frame& f) { decoder.decode(f); };
        });
        ASSERT_TRUE(made.ok()) << made.error().message;
        auto connected = pair.connect(edit_answer);
        ASSERT_TRUE(connected.ok()) << connected.error().message;
    }
};

TEST_F(SwitchboardPair, NegotiatesGcmAndCarriesVp8) {
    negotiate();
    ASSERT_TRUE(run_until([&] { return pair.connected(); }, 15s)) << pair.describe();
    ASSERT_TRUE(a.pc->srtp_profile());
    EXPECT_EQ(*a.pc->srtp_profile(), SrtpProfile::aead_aes_128_gcm);
    EXPECT_EQ(*b.pc->srtp_profile(), SrtpProfile::aead_aes_128_gcm);

    test::VideoEncoder encoder;
    ASSERT_TRUE(encoder.ok());
    int sent = 0;
    for (int i = 0; i < 60; ++i) {
        auto f = encoder.encode(i == 0);
        if (!f.buffer.empty() && a.pc->send_video(f)) ++sent;
        run_until([] { return false; }, 5ms);
    }
    EXPECT_TRUE(run_until([&] { return decoder.decoded >= 55; }, 5s));
    std::printf("[pair] GCM: sent %d VP8 frames, received %d, decoded %d (%s)\n", sent, b.frames, decoder.decoded,
                decoder.resolution.c_str());
    EXPECT_GE(decoder.decoded, 55);
    EXPECT_EQ(decoder.errors, 0);
}

TEST_F(SwitchboardPair, TamperedFingerprintFailsWithAReasonAndNoMedia) {
    negotiate([](std::string& answer) {
        // Change one hex digit of the answer's fingerprint.
        auto at = answer.find("a=fingerprint:sha-256 ");
        ASSERT_NE(at, std::string::npos);
        char& digit = answer[at + 22];
        digit = digit == 'A' ? 'B' : 'A';
    });
    ASSERT_TRUE(run_until([&] { return a.state == PeerConnectionState::failed; }, 15s))
        << "a: " << to_string(a.state) << " " << a.reason;
    EXPECT_NE(a.reason.find("does not match the remote description's"), std::string::npos) << a.reason;
    EXPECT_FALSE(a.pc->srtp_profile());
    EXPECT_EQ(a.frames, 0);
    EXPECT_EQ(a.pc->stats().rtp_received, 0u);
}

}  // namespace
