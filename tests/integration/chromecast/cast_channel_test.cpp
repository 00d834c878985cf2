// CastChannel against the CASTV2 emulator (tests/peers/node/cast_receiver.mjs, npm castv2's
// Server) over TLS on 127.0.0.1: status, launch, heartbeat, a receiver that stops
// answering, and a receiver that sends bad input. Everything runs on one io_context in
// the test's thread; every wait is for a condition, with a deadline.
#include <gtest/gtest.h>

#include <csignal>
#include <functional>
#include <optional>
#include <string>

#include <boost/asio/io_context.hpp>

#include "chromecast/cast/cast_channel.hpp"
#include "support/cast_receiver.hpp"
#include "support/loopback_ports.hpp"
#include "support/run_until.hpp"
#include "support/test_node_context.hpp"

using namespace std::chrono_literals;
using namespace switchboard;
using namespace switchboard::chromecast;
using switchboard::test::RecordingLogger;

namespace {

using Clock = std::chrono::steady_clock;
using switchboard::test::CastReceiver;

/// The emulator, as the tests here start it (bad input from `misbehave`).
CastReceiver make_receiver(const std::string& misbehave = "") {
    switchboard::test::CastReceiverOptions options;
    options.misbehave = misbehave;
    return CastReceiver(options);
}

int count_of(const std::string& text, const std::string& what) {
    int n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
}

class CastChannelTest : public ::testing::Test {
protected:
    bool run_until(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
        return switchboard::test::run_until(m_io, done, timeout);
    }

    std::shared_ptr<CastChannel> open(std::uint16_t port, CastChannelOptions options = {}) {
        options.host = "127.0.0.1";
        options.port = port;
        CastChannelHandlers handlers;
        handlers.on_receiver_status = [this](const ReceiverStatus&) { ++m_statuses; };
        handlers.on_media_status = [this](const std::string&, const MediaStatus& s) { m_media.push_back(s); };
        handlers.on_closed = [this](const Error& e) {
            m_closed = e;
            m_closed_at = Clock::now();
        };
        auto channel = CastChannel::create(m_io.get_executor(), m_log, options, handlers);
        std::optional<Result<void>> connected;
        channel->connect([&](Result<void> r) { connected = std::move(r); });
        EXPECT_TRUE(run_until([&] { return connected.has_value(); }, 15s)) << "connect never finished";
        EXPECT_TRUE(connected && connected->ok()) << (connected && !connected->ok() ? connected->error().message : "");
        return channel;
    }

    boost::asio::io_context m_io;
    RecordingLogger m_log;
    int m_statuses = 0;
    std::vector<MediaStatus> m_media;
    std::optional<Error> m_closed;
    Clock::time_point m_closed_at;
};

}  // namespace

TEST_F(CastChannelTest, ConnectsOverTlsAndGetsTheReceiverStatus) {
    CastReceiver receiver;
    ASSERT_TRUE(receiver.ready());
    auto channel = open(receiver.port());
    EXPECT_EQ(channel->peer_fingerprint().size(), 32u * 3 - 1) << channel->peer_fingerprint();

    std::optional<Result<ReceiverStatus>> status;
    channel->get_status([&](Result<ReceiverStatus> r) { status = std::move(r); });
    ASSERT_TRUE(run_until([&] { return status.has_value(); }, 10s));
    ASSERT_TRUE(status->ok()) << status->error().message;
    EXPECT_TRUE(status->value().applications.empty());
    EXPECT_EQ(status->value().volume_level, 1.0);
    EXPECT_EQ(m_statuses, 1);
    channel->close();

    const auto events = receiver.stop();
    EXPECT_EQ(count_of(events, R"("event":"connect")"), 1) << events;
    // The fingerprint is logged once, at connect.
    int fingerprint_lines = 0;
    for (const auto& line : m_log.lines()) fingerprint_lines += line.find("certificate SHA-256") != std::string::npos;
    EXPECT_EQ(fingerprint_lines, 1);
    EXPECT_FALSE(m_closed) << "close() calls no handler";
}

TEST_F(CastChannelTest, LaunchesTheDefaultMediaReceiverAndConnectsToIt) {
    CastReceiver receiver;
    ASSERT_TRUE(receiver.ready());
    auto channel = open(receiver.port());

    std::optional<Result<Application>> app;
    channel->launch("CC1AD845", [&](Result<Application> r) { app = std::move(r); });
    ASSERT_TRUE(run_until([&] { return app.has_value(); }, 10s));
    ASSERT_TRUE(app->ok()) << app->error().message;
    EXPECT_EQ(app->value().app_id, "CC1AD845");
    EXPECT_FALSE(app->value().transport_id.empty());
    EXPECT_FALSE(app->value().session_id.empty());
    EXPECT_NE(std::find(app->value().namespaces.begin(), app->value().namespaces.end(), std::string(ns::media)),
              app->value().namespaces.end());

    // A virtual connection to the app, and a media request on it.
    channel->connect_app(app->value().transport_id);
    std::optional<Result<MediaStatus>> media;
    channel->media_get_status(app->value().transport_id, [&](Result<MediaStatus> r) { media = std::move(r); });
    ASSERT_TRUE(run_until([&] { return media.has_value(); }, 10s));
    ASSERT_TRUE(media->ok()) << media->error().message;
    EXPECT_TRUE(media->value().sessions.empty());

    // LOAD of a URL nothing serves: answered BUFFERING, then the receiver's fetch fails
    // and it broadcasts IDLE with idleReason ERROR.
    LoadRequest load;
    load.content_id = "http://127.0.0.1:" + std::to_string(switchboard::test::free_loopback_port()) + "/none.mp4";
    load.content_type = "video/mp4";
    load.stream_type = "BUFFERED";
    std::optional<Result<MediaStatus>> loaded;
    channel->media_load(app->value().transport_id, load, [&](Result<MediaStatus> r) { loaded = std::move(r); });
    ASSERT_TRUE(run_until([&] { return loaded.has_value(); }, 10s));
    ASSERT_TRUE(loaded->ok()) << loaded->error().message;
    ASSERT_EQ(loaded->value().sessions.size(), 1u);
    EXPECT_EQ(loaded->value().sessions[0].player_state, "BUFFERING");
    EXPECT_EQ(loaded->value().sessions[0].content_id, load.content_id);
    ASSERT_TRUE(run_until(
        [&] {
            return !m_media.empty() && !m_media.back().sessions.empty() &&
                   m_media.back().sessions[0].player_state == "IDLE";
        },
        30s));
    EXPECT_EQ(m_media.back().sessions[0].idle_reason, "ERROR");

    // An app the receiver does not have (the emulator has DashCast and --web-app ids, not
    // this one): LAUNCH_ERROR, and the connection stays.
    std::optional<Result<Application>> unknown;
    channel->launch("0BADA990", [&](Result<Application> r) { unknown = std::move(r); });
    ASSERT_TRUE(run_until([&] { return unknown.has_value(); }, 10s));
    ASSERT_FALSE(unknown->ok());
    EXPECT_NE(unknown->error().message.find("LAUNCH_ERROR NOT_FOUND"), std::string::npos) << unknown->error().message;
    EXPECT_TRUE(channel->is_open());

    std::optional<Result<ReceiverStatus>> stopped;
    channel->stop(app->value().session_id, [&](Result<ReceiverStatus> r) { stopped = std::move(r); });
    ASSERT_TRUE(run_until([&] { return stopped.has_value(); }, 10s));
    ASSERT_TRUE(stopped->ok()) << stopped->error().message;
    EXPECT_TRUE(stopped->value().applications.empty());
    channel->close();

    const auto events = receiver.stop();
    EXPECT_EQ(count_of(events, R"("event":"launch")"), 1) << events;
    EXPECT_EQ(count_of(events, R"("event":"stop")"), 1) << events;
    EXPECT_EQ(count_of(events, R"("to":")" + app->value().transport_id + "\""), 1)
        << "one CONNECT to the app's transport\n"
        << events;
}

TEST_F(CastChannelTest, HeartbeatEveryTwoSecondsIsAnswered) {
    CastReceiver receiver;
    ASSERT_TRUE(receiver.ready());
    CastChannelOptions options;
    options.heartbeat_interval = 2s;
    options.dead_after = 6s;
    auto channel = open(receiver.port(), options);
    // The first PING goes at connect, then one every 2 s: 4 by 6.5 s, each answered.
    ASSERT_TRUE(run_until([&] { return channel->stats().pongs_received >= 4; }, 15s))
        << "pings " << channel->stats().pings_sent << ", pongs " << channel->stats().pongs_received;
    EXPECT_LE(channel->stats().pings_sent, channel->stats().pongs_received + 1);
    EXPECT_TRUE(channel->is_open());
    EXPECT_FALSE(m_closed);
    channel->close();
    const auto events = receiver.stop();
    EXPECT_GE(count_of(events, R"("event":"ping")"), 4) << events;
}

TEST_F(CastChannelTest, AReceiverThatStopsAnsweringIsDeclaredDeadWithinDeadAfter) {
    CastReceiver receiver;
    ASSERT_TRUE(receiver.ready());
    CastChannelOptions options;
    options.heartbeat_interval = 2s;
    options.dead_after = 6s;
    options.request_timeout = 2s;
    auto channel = open(receiver.port(), options);
    ASSERT_TRUE(run_until([&] { return channel->stats().pongs_received >= 1; }, 10s));

    receiver.signal(SIGSTOP);  // alive to the kernel (TCP stays up), silent to us
    const auto stopped_at = Clock::now();
    // A request fails on its own deadline, before the receiver is declared dead.
    std::optional<Result<ReceiverStatus>> status;
    channel->get_status([&](Result<ReceiverStatus> r) { status = std::move(r); });
    ASSERT_TRUE(run_until([&] { return status.has_value(); }, 5s));
    ASSERT_FALSE(status->ok());
    EXPECT_NE(status->error().message.find("GET_STATUS (request 1): no answer within 2000 ms"), std::string::npos)
        << status->error().message;
    EXPECT_FALSE(m_closed);
    ASSERT_TRUE(run_until([&] { return m_closed.has_value(); }, options.dead_after + 5s)) << "never declared dead";
    const auto after = std::chrono::duration_cast<std::chrono::milliseconds>(m_closed_at - stopped_at);
    std::printf("declared dead %lld ms after the receiver stopped (dead_after %lld ms)\n",
                static_cast<long long>(after.count()), static_cast<long long>(options.dead_after.count()));
    // The last thing heard came at most one heartbeat before the stop.
    EXPECT_GE(after, options.dead_after - options.heartbeat_interval - 500ms);
    EXPECT_LE(after, options.dead_after + 1s);
    EXPECT_EQ(m_closed->kind, ErrorKind::unavailable);
    EXPECT_NE(m_closed->message.find("the receiver is dead: nothing received for 6000 ms"), std::string::npos)
        << m_closed->message;
    EXPECT_FALSE(channel->is_open());
    receiver.stop();
}

/// A receiver answering GET_STATUS with `misbehave`: the connection closes with one log
/// line and on_closed, the request hears the same error, and nothing crashes.
class CastChannelBadInput : public CastChannelTest, public ::testing::WithParamInterface<const char*> {};

TEST_P(CastChannelBadInput, ClosesTheConnectionWithOneLogLine) {
    CastReceiver receiver = make_receiver(GetParam());
    ASSERT_TRUE(receiver.ready());
    auto channel = open(receiver.port());
    std::optional<Result<ReceiverStatus>> status;
    channel->get_status([&](Result<ReceiverStatus> r) { status = std::move(r); });
    ASSERT_TRUE(run_until([&] { return m_closed.has_value() && status.has_value(); }, 10s));
    EXPECT_FALSE(status->ok());
    EXPECT_EQ(m_closed->kind, ErrorKind::invalid) << m_closed->message;
    std::printf("%s: %s\n", GetParam(), m_closed->message.c_str());
    int closing_lines = 0;
    for (const auto& line : m_log.lines()) closing_lines += line.find("connection closed") != std::string::npos;
    EXPECT_EQ(closing_lines, 1);
    EXPECT_FALSE(channel->is_open());
    const std::string expected = std::string(GetParam()) == "oversize"    ? "over the 65536-byte limit"
                                 : std::string(GetParam()) == "truncated" ? "ended inside frame"
                                 : std::string(GetParam()) == "garbage"   ? "is not a CastMessage"
                                 : std::string(GetParam()) == "bad_json"  ? "malformed JSON"
                                                                          : "unknown namespace";
    EXPECT_NE(m_closed->message.find(expected), std::string::npos) << m_closed->message;
    const auto events = receiver.stop();
    EXPECT_EQ(count_of(events, R"("event":"misbehave")"), 1) << events;
}

INSTANTIATE_TEST_SUITE_P(Receiver, CastChannelBadInput,
                         ::testing::Values("oversize", "truncated", "garbage", "bad_json", "unknown_namespace"));
