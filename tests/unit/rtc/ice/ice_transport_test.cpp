// Two of our ICE transports on real libnice agents in one process, over 127.0.0.1 only:
// trickle both ways, datagrams both ways, early candidates, mDNS candidates, a silent
// peer, close with traffic in flight, and restart. Events come through an io_context
// the test runs, as they would through a call's strand.
#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "rtc/ice/glib_loop.hpp"
#include "rtc/ice/ice_transport.hpp"
#include "support/test_node_context.hpp"

using namespace switchboard;
using namespace switchboard::rtc;
using namespace std::chrono_literals;

namespace {

std::vector<std::uint8_t> bytes(std::string_view s) {
    return {s.begin(), s.end()};
}

struct Peer {
    explicit Peer(std::string n) : name(std::move(n)) {}
    std::string name;
    std::unique_ptr<IceTransport> ice;
    Peer* remote = nullptr;  ///< where candidates trickle to, when set
    bool forward = true;     ///< trickle our candidates to `remote`
    bool signal_end = true;  ///< and end-of-candidates
    std::vector<sdp::Candidate> local;
    int gathering_done = 0;
    std::vector<IceState> states;
    std::vector<std::vector<std::uint8_t>> received;
    bool closed = false;  ///< set by the test before close()
    int after_close = 0;  ///< callbacks seen after that

    bool connected() const {
        return !states.empty() && (states.back() == IceState::connected || states.back() == IceState::completed);
    }
    bool failed() const { return !states.empty() && states.back() == IceState::failed; }
};

class IceTransportTest : public ::testing::Test {
protected:
    boost::asio::io_context io;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work = boost::asio::make_work_guard(io);
    GlibLoop loop;  // after io, before the peers: destroyed after them
    Peer a{"a"}, b{"b"};

    void TearDown() override {
        a.ice.reset();
        b.ice.reset();
    }

    static IceConfig config(bool controlling) {
        IceConfig c;
        c.controlling = controlling;
        c.gather_addresses = {"127.0.0.1"};  // never leave loopback
        c.connection_timeout = 5s;
        return c;
    }

    static IceTransport::Callbacks callbacks(Peer& self) {
        IceTransport::Callbacks cb;
        cb.on_local_candidate = [&self](const sdp::Candidate& c) {
            if (self.closed) ++self.after_close;
            EXPECT_EQ(c.address, "127.0.0.1") << self.name << " gathered " << c.to_attribute();
            self.local.push_back(c);
            if (self.forward && self.remote && self.remote->ice) self.remote->ice->add_remote_candidate(c);
        };
        cb.on_gathering_done = [&self] {
            if (self.closed) ++self.after_close;
            ++self.gathering_done;
            if (self.signal_end && self.forward && self.remote && self.remote->ice)
                self.remote->ice->remote_end_of_candidates();
        };
        cb.on_state = [&self](IceState s) {
            if (self.closed) ++self.after_close;
            self.states.push_back(s);
        };
        cb.on_data = [&self](std::span<const std::uint8_t> d) {
            if (self.closed) ++self.after_close;
            self.received.emplace_back(d.begin(), d.end());
        };
        return cb;
    }

    void make(Peer& p, IceConfig c) {
        auto r = IceTransport::create(loop, io.get_executor(), std::move(c), callbacks(p));
        ASSERT_TRUE(r.ok()) << r.error().message;
        p.ice = std::move(r.value());
    }
    void make_pair(IceConfig ca = config(true), IceConfig cb = config(false)) {
        make(a, std::move(ca));
        make(b, std::move(cb));
        a.remote = &b;
        b.remote = &a;
    }

    /// Runs the io_context until `done` or `timeout`; false on timeout.
    bool run_until(const std::function<bool()>& done, std::chrono::milliseconds timeout = 8s) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (!done()) {
            if (std::chrono::steady_clock::now() > deadline) return false;
            io.run_for(5ms);
        }
        return true;
    }

    static void exchange_credentials(Peer& x, Peer& y) {
        ASSERT_TRUE(x.ice->set_remote_credentials(y.ice->local_credentials()).ok());
        ASSERT_TRUE(y.ice->set_remote_credentials(x.ice->local_credentials()).ok());
    }

    /// Sends `text` from `from` until `to` has it (the first may race the selected pair).
    bool deliver(Peer& from, Peer& to, std::string_view text) {
        const auto want = bytes(text);
        auto has = [&] {
            for (const auto& d : to.received)
                if (d == want) return true;
            return false;
        };
        const auto deadline = std::chrono::steady_clock::now() + 5s;
        while (!has()) {
            if (std::chrono::steady_clock::now() > deadline) return false;
            from.ice->send(want);
            run_until(has, 100ms);
        }
        return true;
    }

    void connect_both() {
        exchange_credentials(a, b);
        ASSERT_TRUE(a.ice->gather().ok());
        ASSERT_TRUE(b.ice->gather().ok());
        ASSERT_TRUE(run_until([&] { return a.connected() && b.connected(); })) << "a and b did not connect";
    }
};

TEST_F(IceTransportTest, ConnectsOverTrickleAndCarriesDatagramsBothWays) {
    make_pair();
    const auto ca = a.ice->local_credentials();
    EXPECT_GE(ca.ufrag.size(), 4u);  // RFC 8839 §5.4
    EXPECT_GE(ca.pwd.size(), 22u);
    EXPECT_EQ(a.ice->state(), IceState::new_);
    EXPECT_TRUE(a.ice->selected_pair().empty());
    EXPECT_FALSE(a.ice->send(bytes("too early")));

    connect_both();
    ASSERT_TRUE(run_until([&] { return a.gathering_done == 1 && b.gathering_done == 1; }));
    EXPECT_FALSE(a.local.empty());
    EXPECT_FALSE(b.local.empty());
    for (const auto& c : a.local) EXPECT_EQ(c.type, sdp::CandidateType::host);

    ASSERT_TRUE(deliver(a, b, "hello from the controlling side"));
    ASSERT_TRUE(deliver(b, a, "and back from the controlled side"));
    // A larger datagram, as DTLS or video would send.
    std::string big(1200, 'x');
    ASSERT_TRUE(deliver(a, b, big));

    EXPECT_NE(a.ice->selected_pair().find("127.0.0.1"), std::string::npos) << a.ice->selected_pair();
    EXPECT_TRUE(a.ice->state() == IceState::connected || a.ice->state() == IceState::completed);
    // Through checking, never failed.
    EXPECT_EQ(a.states.front(), IceState::checking);
    for (auto s : a.states) EXPECT_NE(s, IceState::failed);
    for (auto s : b.states) EXPECT_NE(s, IceState::failed);
}

TEST_F(IceTransportTest, CandidatesBeforeTheRemoteCredentialsAreKeptAndUsed) {
    make_pair();
    // Only b's candidates reach a, and before a knows b's credentials: a can check b
    // only through the kept candidates; b learns a as peer-reflexive from those checks.
    a.forward = false;
    ASSERT_TRUE(b.ice->gather().ok());
    ASSERT_TRUE(run_until([&] { return b.gathering_done == 1; }));
    ASSERT_FALSE(b.local.empty());
    ASSERT_TRUE(b.ice->set_remote_credentials(a.ice->local_credentials()).ok());
    ASSERT_TRUE(a.ice->gather().ok());
    ASSERT_TRUE(run_until([&] { return a.gathering_done == 1; }));
    ASSERT_TRUE(a.ice->set_remote_credentials(b.ice->local_credentials()).ok());
    ASSERT_TRUE(run_until([&] { return a.connected() && b.connected(); }));
    ASSERT_TRUE(deliver(a, b, "via an early candidate"));
    EXPECT_NE(b.ice->selected_pair().find("prflx"), std::string::npos) << b.ice->selected_pair();
}

TEST_F(IceTransportTest, ConnectsWithoutEndOfCandidates) {
    make_pair();
    a.signal_end = false;
    b.signal_end = false;
    connect_both();
    ASSERT_TRUE(deliver(a, b, "no end-of-candidates needed"));
    ASSERT_TRUE(deliver(b, a, "either way"));
}

TEST_F(IceTransportTest, SkipsMdnsCandidates) {
    auto log = std::make_shared<test::RecordingLogger>();
    auto ca = config(true);
    ca.log = log;
    make_pair(ca);
    auto mdns =
        sdp::Candidate::parse("candidate:1 1 udp 2122260223 1f4b9c3e-8a4a-4c7e-9d6b-2a3e5f7b8c9d.local 54321 typ host");
    ASSERT_TRUE(mdns);
    a.ice->add_remote_candidate(*mdns);  // before the credentials
    exchange_credentials(a, b);
    a.ice->add_remote_candidate(*mdns);  // and after
    auto fqdn = sdp::Candidate::parse("candidate:2 1 udp 2122260223 stun.example.org 3478 typ host");
    ASSERT_TRUE(fqdn);
    a.ice->add_remote_candidate(*fqdn);
    ASSERT_TRUE(a.ice->gather().ok());
    ASSERT_TRUE(b.ice->gather().ok());
    ASSERT_TRUE(run_until([&] { return a.connected() && b.connected(); }));
    ASSERT_TRUE(deliver(a, b, "mDNS skipped"));
    int mdns_lines = 0, name_lines = 0;
    for (const auto& l : log->lines()) {
        if (l.find("skipping mDNS candidate") != std::string::npos) ++mdns_lines;
        if (l.find("stun.example.org") != std::string::npos) ++name_lines;
    }
    EXPECT_EQ(mdns_lines, 2);
    EXPECT_EQ(name_lines, 1);
}

TEST_F(IceTransportTest, FailsWhenThePeerNeverAnswers) {
    // A UDP socket on loopback that reads nothing: checks go out and die there.
    boost::asio::ip::udp::socket silent(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
    auto c = config(true);
    c.connection_timeout = 2s;
    make(a, c);
    ASSERT_TRUE(a.ice->gather().ok());
    ASSERT_TRUE(a.ice->set_remote_credentials({"silentufrag", "silentpassword0123456789"}).ok());
    auto candidate = sdp::Candidate::parse("candidate:1 1 udp 2122260223 127.0.0.1 " +
                                           std::to_string(silent.local_endpoint().port()) + " typ host");
    ASSERT_TRUE(candidate);
    a.ice->add_remote_candidate(*candidate);
    const auto start = std::chrono::steady_clock::now();
    ASSERT_TRUE(run_until([&] { return a.failed(); }, 4s)) << "not failed within the timeout";
    const auto took = std::chrono::steady_clock::now() - start;
    EXPECT_GE(took, 1500ms);  // our timer, not libnice giving up on its own
    EXPECT_LE(took, 3500ms);
    EXPECT_EQ(a.ice->state(), IceState::failed);
    EXPECT_FALSE(a.ice->send(bytes("nobody")));
    // Failed stays failed: nothing more is reported.
    const auto reported = a.states.size();
    run_until([] { return false; }, 300ms);
    EXPECT_EQ(a.states.size(), reported);
}

TEST_F(IceTransportTest, CloseWithTrafficInFlightIsSilentAndSafe) {
    make_pair();
    connect_both();
    ASSERT_TRUE(deliver(a, b, "warm up"));

    // Media threads sending both ways while the transports close under them.
    std::atomic<bool> stop{false};
    std::atomic<int> sent{0};
    auto pump = [&](IceTransport* t) {
        const auto d = bytes("in flight");
        while (!stop) {
            if (t->send(d)) ++sent;
            std::this_thread::yield();
        }
    };
    std::thread ta(pump, a.ice.get());
    std::thread tb(pump, b.ice.get());
    run_until([&] { return sent > 2000; }, 2s);

    a.closed = b.closed = true;
    a.ice->close();
    b.ice->close();
    EXPECT_EQ(a.ice->state(), IceState::closed);
    EXPECT_FALSE(a.ice->send(bytes("after close")));
    run_until([] { return false; }, 300ms);  // flush whatever was posted
    stop = true;
    ta.join();
    tb.join();
    EXPECT_EQ(a.after_close, 0);
    EXPECT_EQ(b.after_close, 0);
    EXPECT_GT(sent, 0);
    a.ice.reset();
    b.ice.reset();
    run_until([] { return false; }, 100ms);
}

TEST_F(IceTransportTest, DestroyFromAnotherThreadWhileReceiving) {
    make_pair();
    connect_both();
    std::atomic<bool> stop{false};
    std::thread sender([&] {
        const auto d = bytes("to a transport that goes away");
        while (!stop) {
            b.ice->send(d);
            std::this_thread::yield();
        }
    });
    run_until([&] { return a.received.size() > 100; }, 2s);
    a.closed = true;
    std::thread([&] { a.ice.reset(); }).join();  // destructor closes
    run_until([] { return false; }, 200ms);
    stop = true;
    sender.join();
    EXPECT_EQ(a.after_close, 0);
}

TEST_F(IceTransportTest, CloseFromInsideACallback) {
    // a closes itself (and is destroyed) on its first state change, from the callback.
    int states_after_close = 0;
    bool closed_in_callback = false;
    auto cb = callbacks(a);
    cb.on_state = [&](IceState) {
        if (closed_in_callback) ++states_after_close;
        closed_in_callback = true;
        a.ice->close();
        a.ice.reset();
    };
    auto r = IceTransport::create(loop, io.get_executor(), config(true), cb);
    ASSERT_TRUE(r.ok());
    a.ice = std::move(r.value());
    make(b, config(false));
    a.remote = &b;
    b.remote = &a;
    exchange_credentials(a, b);
    ASSERT_TRUE(a.ice->gather().ok());
    ASSERT_TRUE(b.ice->gather().ok());
    ASSERT_TRUE(run_until([&] { return closed_in_callback; }));
    run_until([] { return false; }, 300ms);
    EXPECT_EQ(states_after_close, 0);
    EXPECT_FALSE(a.ice);
}

TEST_F(IceTransportTest, RestartReconnectsWithNewCredentials) {
    make_pair();
    connect_both();
    ASSERT_TRUE(deliver(a, b, "before restart"));
    const auto old_a = a.ice->local_credentials();
    const auto old_b = b.ice->local_credentials();
    const auto a_candidates = a.local.size();
    const auto b_candidates = b.local.size();

    // a offers a restart; b sees new credentials in the offer and restarts too (its
    // answer carries new ones); then the candidates trickle again for the new ufrags.
    ASSERT_TRUE(a.ice->restart().ok());
    const auto new_a = a.ice->local_credentials();
    EXPECT_NE(new_a.ufrag, old_a.ufrag);
    EXPECT_NE(new_a.pwd, old_a.pwd);
    ASSERT_TRUE(b.ice->set_remote_credentials(new_a).ok());
    const auto new_b = b.ice->local_credentials();
    EXPECT_NE(new_b.ufrag, old_b.ufrag);
    ASSERT_TRUE(a.ice->set_remote_credentials(new_b).ok());
    a.states.clear();
    b.states.clear();

    ASSERT_TRUE(run_until([&] { return a.local.size() >= 2 * a_candidates && b.local.size() >= 2 * b_candidates; }));
    ASSERT_TRUE(deliver(a, b, "after restart"));
    ASSERT_TRUE(deliver(b, a, "both ways"));
    ASSERT_TRUE(
        run_until([&] { return a.ice->state() == IceState::connected || a.ice->state() == IceState::completed; }));
    for (auto s : a.states) EXPECT_NE(s, IceState::failed);
    for (auto s : b.states) EXPECT_NE(s, IceState::failed);
    // New checks ran (libnice keeps the old pair meanwhile, so media never stopped).
    ASSERT_TRUE(run_until([&] { return b.connected(); }));
    ASSERT_FALSE(a.states.empty());
    EXPECT_EQ(a.states.front(), IceState::checking);
    EXPECT_TRUE(a.connected());
}

// A datagram sent before any pair is selected (a DTLS server answering a ClientHello that
// came in early) is kept and goes out once the transport connects, not lost.
TEST_F(IceTransportTest, SendWhenConnectedKeepsEarlyDatagramsUntilAPairIsSelected) {
    make_pair();
    EXPECT_FALSE(a.ice->send(bytes("lost")));  // what plain send() does this early
    EXPECT_TRUE(a.ice->send_when_connected(bytes("kept")));
    connect_both();
    ASSERT_TRUE(run_until(
        [&] { return std::find(b.received.begin(), b.received.end(), bytes("kept")) != b.received.end(); }, 2s))
        << "the early datagram never arrived";
    EXPECT_EQ(std::find(b.received.begin(), b.received.end(), bytes("lost")), b.received.end());
}

// Relay-only without a TURN server has nothing to offer: no host candidate leaks, and
// gathering still ends (so a caller waiting for it is not stuck).
TEST_F(IceTransportTest, RelayOnlyOffersNoHostCandidate) {
    IceConfig c = config(true);
    c.relay_only = true;
    make(a, c);
    ASSERT_TRUE(a.ice->gather().ok());
    ASSERT_TRUE(run_until([&] { return a.gathering_done > 0; }));
    EXPECT_TRUE(a.local.empty()) << a.local.front().to_attribute();
}

TEST_F(IceTransportTest, RefusesNamesWhereAddressesAreNeeded) {
    auto c = config(true);
    c.gather_addresses = {"localhost"};
    auto r = IceTransport::create(loop, io.get_executor(), c, {});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, ErrorKind::invalid);
    c = config(true);
    c.stun_host = "stun.example.org";
    EXPECT_FALSE(IceTransport::create(loop, io.get_executor(), c, {}).ok());
    c = config(true);
    c.turn_servers.push_back({"turn.example.org", 3478, "u", "p", TurnServer::Transport::udp});
    EXPECT_FALSE(IceTransport::create(loop, io.get_executor(), c, {}).ok());
}

}  // namespace
