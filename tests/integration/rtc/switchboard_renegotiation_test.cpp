// Renegotiation between two Switchboard peer connections over 127.0.0.1: hold and resume
// (RFC 3264 §8.4) and ICE restart (RFC 8445 §9) started by either side, with VP8 flowing
// both ways throughout; and re-offers that would change the session (an extra m= section,
// another DTLS fingerprint) refused with a reason while media goes on.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include <cstdio>
#include <cstdlib>

#include "rtc/dtls/certificate.hpp"
#include "rtc/ice/glib_loop.hpp"
#include "rtc/peer_connection.hpp"
#include "support/video_codec.hpp"

using namespace switchboard;
using namespace switchboard::rtc;
using namespace std::chrono_literals;

namespace {

OfferOptions hold(bool on) {
    OfferOptions o;
    o.hold = on;
    return o;
}

OfferOptions restart() {
    OfferOptions o;
    o.ice_restart = true;
    return o;
}

/// Our stack's lines on stderr when SWITCHBOARD_TEST_LOG=1 (to see ICE restart states).
class StderrLogger final : public Logger {
public:
    explicit StderrLogger(std::string name) : m_name(std::move(name)) {}
    bool enabled(LogLevel) const noexcept override { return true; }
    void write(LogLevel, std::string_view message) noexcept override {
        std::fprintf(stderr, "[%s] %.*s\n", m_name.c_str(), int(message.size()), message.data());
    }
    std::shared_ptr<Logger> with_context(std::string_view) const override {
        return std::make_shared<StderrLogger>(m_name);
    }

private:
    std::string m_name;
};

struct Side {
    explicit Side(const char* n) : name(n) {}
    const char* name;
    std::unique_ptr<PeerConnection> pc;
    int gathered = 0;
    PeerConnectionState state = PeerConnectionState::new_;
    std::vector<std::string> states;
    int frames = 0;
    std::vector<std::int64_t> pts;  ///< of every frame received
    bool keyframe_requested = true;
    test::VideoEncoder encoder;
    int sent = 0;
    int refused = 0;  ///< send_video said no
};

/// The value of the first "a=<attribute>:" line.
std::string attribute(const std::string& sdp, const std::string& name) {
    const auto at = sdp.find("a=" + name + ":");
    if (at == std::string::npos) return {};
    const auto begin = at + name.size() + 3;
    return sdp.substr(begin, sdp.find_first_of("\r\n", begin) - begin);
}

class SwitchboardRenegotiation : public ::testing::Test {
protected:
    GlibLoop loop;
    boost::asio::io_context io;
    Side a{"a"};
    Side b{"b"};

    void make(Side& side) {
        PeerConnectionConfig config;
        config.gather_addresses = {"127.0.0.1"};
        config.ice_timeout = 10s;
        config.audio_formats = {};  // video only: one section each way is enough here
        if (const char* log = std::getenv("SWITCHBOARD_TEST_LOG"); log && std::string_view(log) == "1")
            config.log = std::make_shared<StderrLogger>(side.name);
        PeerConnection::Callbacks cb;
        cb.on_gathering_done = [&side] { ++side.gathered; };
        cb.on_state = [&side](PeerConnectionState s, const std::string& why) {
            side.state = s;
            side.states.push_back(std::string(to_string(s)) + (why.empty() ? "" : " (" + why + ")"));
        };
        cb.on_video_frame = [&side](const Frame& f) {
            ++side.frames;
            side.pts.push_back(f.pts);
        };
        cb.on_keyframe_request = [&side] { side.keyframe_requested = true; };
        auto pc = PeerConnection::create(loop, io.get_executor(), Certificate::generate().value(), config, cb);
        ASSERT_TRUE(pc.ok()) << pc.error().message;
        side.pc = std::move(pc.value());
    }

    template <class Pred>
    bool run_until(Pred pred, std::chrono::milliseconds limit) {
        const auto deadline = std::chrono::steady_clock::now() + limit;
        while (!pred() && std::chrono::steady_clock::now() < deadline) {
            io.restart();
            io.run_for(5ms);
        }
        return pred();
    }

    /// Both sides send a VP8 frame every 33 ms for `duration`.
    void pump(std::chrono::milliseconds duration) {
        const auto end = std::chrono::steady_clock::now() + duration;
        while (std::chrono::steady_clock::now() < end) {
            for (Side* s : {&a, &b}) {
                // A keyframe now and then too, so a receiver that lost one recovers fast.
                Frame f = s->encoder.encode(std::exchange(s->keyframe_requested, false) || s->sent % 30 == 0);
                if (f.buffer.empty()) continue;
                if (s->pc->send_video(f))
                    ++s->sent;
                else
                    ++s->refused;
            }
            run_until([] { return false; }, 33ms);
        }
    }

    /// Our description once it lists its candidates (non-trickle signalling).
    std::string complete_description(Side& s) {
        EXPECT_TRUE(
            run_until([&] { return s.pc->local_description().find("a=end-of-candidates") != std::string::npos; }, 10s))
            << s.name << ": gathering did not finish";
        return s.pc->local_description();
    }

    void connect() {
        make(a);
        make(b);
        ASSERT_TRUE(a.pc->create_offer().ok());
        ASSERT_TRUE(b.pc->set_remote_description(complete_description(a), SdpType::offer).ok());
        ASSERT_TRUE(b.pc->create_answer().ok());
        ASSERT_TRUE(a.pc->set_remote_description(complete_description(b), SdpType::answer).ok());
        ASSERT_TRUE(run_until(
            [&] { return a.state == PeerConnectionState::connected && b.state == PeerConnectionState::connected; },
            15s))
            << "a: " << to_string(a.state) << "; b: " << to_string(b.state);
    }

    /// A re-offer from `offerer`, answered by `answerer`.
    void renegotiate(Side& offerer, Side& answerer, const OfferOptions& options) {
        auto offer = offerer.pc->create_offer(options);
        ASSERT_TRUE(offer.ok()) << offer.error().message;
        auto r = answerer.pc->set_remote_description(complete_description(offerer), SdpType::offer);
        ASSERT_TRUE(r.ok()) << r.error().message;
        auto answer = answerer.pc->create_answer();
        ASSERT_TRUE(answer.ok()) << answer.error().message;
        r = offerer.pc->set_remote_description(complete_description(answerer), SdpType::answer);
        ASSERT_TRUE(r.ok()) << r.error().message;
    }

    void expect_flowing(const char* when) {
        const int fa = a.frames, fb = b.frames;
        pump(1500ms);
        EXPECT_GE(a.frames - fa, 25) << when << ": a received too few frames";
        EXPECT_GE(b.frames - fb, 25) << when << ": b received too few frames";
        EXPECT_EQ(a.state, PeerConnectionState::connected) << when;
        EXPECT_EQ(b.state, PeerConnectionState::connected) << when;
    }

    /// `holder` puts `held` on hold (sendonly): `held` stops sending, `holder` goes on.
    void hold_and_resume(Side& holder, Side& held) {
        connect();
        expect_flowing("before the hold");

        ASSERT_NO_FATAL_FAILURE(renegotiate(holder, held, hold(true)));
        EXPECT_NE(holder.pc->local_description().find("a=sendonly"), std::string::npos);
        EXPECT_NE(held.pc->local_description().find("a=recvonly"), std::string::npos);
        pump(300ms);  // what was in flight arrives or is dropped
        const int holder_frames = holder.frames, held_frames = held.frames, held_refused = held.refused;
        const std::int64_t last_pts = holder.pts.empty() ? 0 : holder.pts.back();
        const int held_sent = held.sent + held.refused;
        pump(1500ms);
        EXPECT_EQ(holder.frames, holder_frames) << "frames arrived while held";
        EXPECT_GE(held.refused - held_refused, 30) << "the held side still sent";
        EXPECT_GE(held.frames - held_frames, 30) << "the holder stopped sending too";
        const auto rtp_sent_while_held = held.pc->stats().rtp_sent;

        ASSERT_NO_FATAL_FAILURE(renegotiate(holder, held, hold(false)));
        EXPECT_EQ(holder.pc->local_description().find("a=sendonly"), std::string::npos);
        EXPECT_NE(holder.pc->local_description().find("a=sendrecv"), std::string::npos);
        const int before_resume = holder.frames;
        expect_flowing("after the resume");
        ASSERT_GT(holder.frames, before_resume);
        EXPECT_GT(held.pc->stats().rtp_sent, rtp_sent_while_held);
        // The same RTP timeline goes on: a step of whole frames (the time the hold took, as
        // the source's pts advanced meanwhile), no new random offset.
        const std::int64_t step = holder.pts[std::size_t(before_resume)] - last_pts;
        const std::int64_t frames_encoded_meanwhile = held.sent + held.refused - held_sent + 20;
        EXPECT_GT(step, 0);
        EXPECT_EQ(step % 3000, 0) << step;
        EXPECT_LE(step, frames_encoded_meanwhile * 3000);
        std::printf("[renegotiation] %s held %s: %d frames refused while held, timestamp step on resume %lld\n",
                    holder.name, held.name, held.refused, static_cast<long long>(step));
        EXPECT_EQ(holder.pc->stats().renegotiations, 2u);
        EXPECT_EQ(held.pc->stats().renegotiations, 2u);
    }

    void ice_restart(Side& offerer, Side& answerer) {
        connect();
        expect_flowing("before the restart");
        const auto offerer_ufrag = attribute(offerer.pc->local_description(), "ice-ufrag");
        const auto answerer_ufrag = attribute(answerer.pc->local_description(), "ice-ufrag");
        const int offerer_gathered = offerer.gathered, answerer_gathered = answerer.gathered;

        ASSERT_NO_FATAL_FAILURE(renegotiate(offerer, answerer, restart()));
        const auto new_offerer_ufrag = attribute(offerer.pc->local_description(), "ice-ufrag");
        const auto new_answerer_ufrag = attribute(answerer.pc->local_description(), "ice-ufrag");
        EXPECT_NE(new_offerer_ufrag, offerer_ufrag);
        EXPECT_NE(new_answerer_ufrag, answerer_ufrag);
        EXPECT_NE(offerer.pc->local_description().find("a=candidate:"), std::string::npos);
        EXPECT_NE(answerer.pc->local_description().find("a=candidate:"), std::string::npos);
        EXPECT_EQ(offerer.gathered, offerer_gathered + 1) << "candidates were not announced again";
        EXPECT_EQ(answerer.gathered, answerer_gathered + 1) << "candidates were not announced again";
        expect_flowing("after the ICE restart");
        EXPECT_EQ(offerer.pc->stats().ice_restarts, 1u);
        EXPECT_EQ(answerer.pc->stats().ice_restarts, 1u);
        for (Side* s : {&a, &b})
            for (const auto& st : s->states) EXPECT_EQ(st.find("failed"), std::string::npos) << s->name << ": " << st;
        std::printf("[renegotiation] ICE restart from %s: ufrags %s -> %s and %s -> %s\n", offerer.name,
                    offerer_ufrag.c_str(), new_offerer_ufrag.c_str(), answerer_ufrag.c_str(),
                    new_answerer_ufrag.c_str());
    }

    void TearDown() override {
        if (a.pc) a.pc->close();
        if (b.pc) b.pc->close();
        run_until([] { return false; }, 50ms);
    }
};

TEST_F(SwitchboardRenegotiation, OffererHoldsAndResumes) {
    hold_and_resume(a, b);
}

TEST_F(SwitchboardRenegotiation, AnswererHoldsAndResumes) {
    hold_and_resume(b, a);
}

TEST_F(SwitchboardRenegotiation, IceRestartFromTheOfferer) {
    ice_restart(a, b);
}

TEST_F(SwitchboardRenegotiation, IceRestartFromTheAnswerer) {
    ice_restart(b, a);
}

// A re-offer with a third m= section: refused with the reason, nothing fails, media goes on,
// and a proper re-offer afterwards still works. Same for a changed DTLS fingerprint.
TEST_F(SwitchboardRenegotiation, ReofferThatChangesTheSessionIsRefused) {
    connect();
    expect_flowing("before");
    // a's own description is a valid offer for b (a offered first): edit it.
    const std::string current = a.pc->local_description();
    const auto video = current.find("m=video");
    ASSERT_NE(video, std::string::npos);
    std::string extra = current.substr(video);
    for (std::size_t at = 0; (at = extra.find("a=mid:0", at)) != std::string::npos;) extra.replace(at, 7, "a=mid:7");
    const std::string with_extra = current + extra;
    auto r = b.pc->set_remote_description(with_extra, SdpType::offer);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, ErrorKind::invalid);
    EXPECT_NE(r.error().message.find("2 m= sections where the session has 1"), std::string::npos) << r.error().message;

    std::string other_fingerprint = current;
    const auto fp = other_fingerprint.find("a=fingerprint:sha-256 ");
    ASSERT_NE(fp, std::string::npos);
    char& digit = other_fingerprint[fp + 22];
    digit = digit == 'A' ? 'B' : 'A';
    r = b.pc->set_remote_description(other_fingerprint, SdpType::offer);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find("a=fingerprint changed"), std::string::npos) << r.error().message;
    std::printf("[renegotiation] refused: %s\n", r.error().message.c_str());

    expect_flowing("after the refused re-offers");
    ASSERT_NO_FATAL_FAILURE(renegotiate(b, a, OfferOptions{}));
    expect_flowing("after a proper re-offer");
}

// Glare after the first exchange: a remote offer while ours waits for its answer fails the
// connection, as it does before the first answer.
TEST_F(SwitchboardRenegotiation, GlareStillFailsTheConnection) {
    connect();
    ASSERT_TRUE(a.pc->create_offer(OfferOptions{}).ok());
    ASSERT_TRUE(b.pc->create_offer(OfferOptions{}).ok());
    EXPECT_FALSE(b.pc->create_offer(OfferOptions{}).ok()) << "a second offer while one is pending";
    auto r = a.pc->set_remote_description(b.pc->local_description(), SdpType::offer);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find("glare"), std::string::npos) << r.error().message;
    EXPECT_TRUE(run_until([&] { return a.state == PeerConnectionState::failed; }, 5s));
}

}  // namespace
