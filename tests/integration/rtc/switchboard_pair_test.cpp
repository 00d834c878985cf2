// Two Switchboard peer connections talking to each other over 127.0.0.1: both offer
// AEAD_AES_128_GCM first, so that is what DTLS must settle on, and VP8 must flow; and an
// answer whose fingerprint was tampered with must fail the connection, with no media.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include "rtc/dtls/certificate.hpp"
#include "rtc/ice/glib_loop.hpp"
#include "rtc/peer_connection.hpp"
#include "support/video_codec.hpp"

using namespace switchboard;
using namespace switchboard::rtc;
using namespace std::chrono_literals;

namespace {

struct Side {
    std::unique_ptr<PeerConnection> pc;
    bool gathered = false;
    PeerConnectionState state = PeerConnectionState::new_;
    std::string reason;
    int frames = 0;
    test::VideoDecoder decoder;
};

class SwitchboardPair : public ::testing::Test {
protected:
    GlibLoop loop;
    boost::asio::io_context io;
    Side a, b;

    void make(Side& side) {
        PeerConnectionConfig config;
        config.gather_addresses = {"127.0.0.1"};
        config.ice_timeout = 5s;
        PeerConnection::Callbacks cb;
        cb.on_gathering_done = [&side] { side.gathered = true; };
        cb.on_state = [&side](PeerConnectionState s, const std::string& why) {
            side.state = s;
            if (!why.empty()) side.reason = why;
        };
        cb.on_video_frame = [&side](const Frame& f) {
            ++side.frames;
            side.decoder.decode(f);
        };
        auto pc = PeerConnection::create(loop, io.get_executor(), Certificate::generate().value(), config, cb);
        ASSERT_TRUE(pc.ok()) << pc.error().message;
        side.pc = std::move(pc.value());
    }

    template <class Pred>
    bool run_until(Pred pred, std::chrono::milliseconds limit) {
        const auto deadline = std::chrono::steady_clock::now() + limit;
        while (!pred() && std::chrono::steady_clock::now() < deadline) {
            io.restart();
            io.run_for(10ms);
        }
        return pred();
    }

    /// Offer from a, answer from b (optionally edited on the way), candidates inside.
    void negotiate(const std::function<void(std::string&)>& edit_answer = {}) {
        make(a);
        make(b);
        ASSERT_TRUE(a.pc->create_offer().ok());
        ASSERT_TRUE(run_until([&] { return a.gathered; }, 10s));
        ASSERT_TRUE(b.pc->set_remote_description(a.pc->local_description(), SdpType::offer).ok());
        ASSERT_TRUE(b.pc->create_answer().ok());
        ASSERT_TRUE(run_until([&] { return b.gathered; }, 10s));
        std::string answer = b.pc->local_description();
        if (edit_answer) edit_answer(answer);
        ASSERT_TRUE(a.pc->set_remote_description(answer, SdpType::answer).ok());
    }

    void TearDown() override {
        if (a.pc) a.pc->close();
        if (b.pc) b.pc->close();
        run_until([] { return false; }, 50ms);
    }
};

TEST_F(SwitchboardPair, NegotiatesGcmAndCarriesVp8) {
    negotiate();
    ASSERT_TRUE(run_until(
        [&] { return a.state == PeerConnectionState::connected && b.state == PeerConnectionState::connected; }, 15s))
        << "a: " << to_string(a.state) << " " << a.reason << "; b: " << to_string(b.state) << " " << b.reason;
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
    EXPECT_TRUE(run_until([&] { return b.decoder.decoded >= 55; }, 5s));
    std::printf("[pair] GCM: sent %d VP8 frames, received %d, decoded %d (%s)\n", sent, b.frames, b.decoder.decoded,
                b.decoder.resolution.c_str());
    EXPECT_GE(b.decoder.decoded, 55);
    EXPECT_EQ(b.decoder.errors, 0);
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
