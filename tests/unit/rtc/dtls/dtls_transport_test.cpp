// Two of our DTLS transports back to back over an in-memory wire: handshake, key
// export, the fingerprint check, retransmission after loss, and SRTP with the keys.
#include <gtest/gtest.h>

#include <deque>
#include <thread>

#include "rtc/dtls/dtls_transport.hpp"
#include "rtc/srtp/srtp_session.hpp"

using namespace switchboard;
using namespace switchboard::rtc;

namespace {

struct Side {
    std::shared_ptr<const Certificate> cert = Certificate::generate().value();
    std::unique_ptr<DtlsTransport> dtls;
    std::deque<std::vector<std::uint8_t>> inbox;  // datagrams for this side
    std::optional<SrtpKeys> keys;
    std::string failure;
    int drop_next = 0;  // datagrams from this side to lose
};

struct Pair {
    Side client, server;

    void make(DtlsTransport::Options client_options = {}, DtlsTransport::Options server_options = {},
              std::optional<sdp::Fingerprint> server_expects = std::nullopt) {
        client_options.initial_retransmit = std::chrono::milliseconds(50);
        server_options.initial_retransmit = std::chrono::milliseconds(50);
        client.dtls = std::make_unique<DtlsTransport>(DtlsRole::client, client.cert, server.cert->fingerprint(),
                                                      client_options, callbacks(client, server));
        server.dtls = std::make_unique<DtlsTransport>(DtlsRole::server, server.cert,
                                                      server_expects.value_or(client.cert->fingerprint()),
                                                      server_options, callbacks(server, client));
    }

    static DtlsTransport::Callbacks callbacks(Side& self, Side& peer) {
        DtlsTransport::Callbacks cb;
        cb.send = [&self, &peer](std::span<const std::uint8_t> d) {
            if (self.drop_next > 0) {
                --self.drop_next;
                return;
            }
            peer.inbox.emplace_back(d.begin(), d.end());
        };
        cb.on_connected = [&self](const SrtpKeys& k) { self.keys = k; };
        cb.on_failed = [&self](const std::string& why) { self.failure = why; };
        return cb;
    }

    /// Delivers datagrams and fires due timers until both sides are done or 5 s pass.
    void run() {
        server.dtls->start();
        client.dtls->start();
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
        auto due = [](Side& s) {
            auto t = s.dtls->timeout();
            return t && t->count() == 0;
        };
        while (std::chrono::steady_clock::now() < deadline) {
            bool moved = false;
            for (Side* s : {&client, &server}) {
                while (!s->inbox.empty()) {
                    auto d = std::move(s->inbox.front());
                    s->inbox.pop_front();
                    s->dtls->receive(d);
                    moved = true;
                }
                if (due(*s)) {
                    s->dtls->on_timeout();
                    moved = true;
                }
            }
            auto done = [](Side& s) {
                return s.dtls->state() == DtlsTransport::State::connected ||
                       s.dtls->state() == DtlsTransport::State::failed;
            };
            if (done(client) && done(server) && client.inbox.empty() && server.inbox.empty()) return;
            if (!moved) std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
    }
};

}  // namespace

TEST(Certificate, FingerprintsItsCertificateAsBrowsersDo) {
    auto cert = Certificate::generate().value();
    const auto& f = cert->fingerprint();
    EXPECT_EQ(f.algorithm, "sha-256");
    EXPECT_EQ(f.bytes.size(), 32u);
    EXPECT_EQ(sdp::Fingerprint::parse(f.to_string()), f);
    EXPECT_EQ(fingerprint_of(cert->x509(), "SHA-1")->bytes.size(), 20u);
    EXPECT_FALSE(fingerprint_of(cert->x509(), "md5"));
}

TEST(Certificate, KeptAcrossRestartsInTheStateDirectory) {
    auto dir = std::filesystem::temp_directory_path() / ("sb-cert-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    auto first = Certificate::load_or_create(dir);
    ASSERT_TRUE(first) << first.error().message;
    auto second = Certificate::load_or_create(dir);
    ASSERT_TRUE(second) << second.error().message;
    EXPECT_EQ(first.value()->fingerprint(), second.value()->fingerprint());
    EXPECT_EQ(std::filesystem::status(dir / "key.pem").permissions() & std::filesystem::perms::others_read,
              std::filesystem::perms::none);
    std::filesystem::remove_all(dir);
}

TEST(DtlsTransport, HandshakeExportsMatchingKeysAndPrefersGcm) {
    Pair p;
    p.make();
    p.run();
    ASSERT_TRUE(p.client.keys) << p.client.failure;
    ASSERT_TRUE(p.server.keys) << p.server.failure;
    EXPECT_EQ(p.client.keys->profile, SrtpProfile::aead_aes_128_gcm);
    EXPECT_EQ(p.client.keys->local, p.server.keys->remote);
    EXPECT_EQ(p.client.keys->remote, p.server.keys->local);
    EXPECT_NE(p.client.keys->local, p.client.keys->remote);
    EXPECT_EQ(p.client.keys->local.size(), 28u);
}

TEST(DtlsTransport, FallsBackToAesCmWhenThePeerOnlyHasIt) {
    Pair p;
    DtlsTransport::Options cm_only;
    cm_only.profiles = {SrtpProfile::aes128_cm_sha1_80};
    p.make({}, cm_only);
    p.run();
    ASSERT_TRUE(p.client.keys) << p.client.failure << p.server.failure;
    EXPECT_EQ(p.client.keys->profile, SrtpProfile::aes128_cm_sha1_80);
    EXPECT_EQ(p.client.keys->local.size(), 30u);
}

TEST(DtlsTransport, FingerprintMismatchFailsWithAReasonAndNoKeys) {
    Pair p;
    auto stranger = Certificate::generate().value();
    p.make({}, {}, stranger->fingerprint());
    p.run();
    EXPECT_FALSE(p.server.keys);
    EXPECT_EQ(p.server.dtls->state(), DtlsTransport::State::failed);
    EXPECT_NE(p.server.failure.find("does not match the remote description's " + stranger->fingerprint().to_string()),
              std::string::npos)
        << p.server.failure;
}

TEST(DtlsTransport, RetransmitsALostFlight) {
    Pair p;
    p.make();
    p.client.drop_next = 1;  // the ClientHello is lost
    p.server.drop_next = 1;  // and the first datagram of the server's answer
    p.run();
    EXPECT_TRUE(p.client.keys) << p.client.failure;
    EXPECT_TRUE(p.server.keys) << p.server.failure;
}

TEST(DtlsTransport, GarbageDuringTheHandshakeIsNotFatalToTheCaller) {
    Pair p;
    p.make();
    p.server.dtls->start();
    const std::uint8_t junk[] = {22, 254, 253, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 1, 2, 3};
    p.server.dtls->receive(junk);
    EXPECT_NE(p.server.dtls->state(), DtlsTransport::State::connected);
}

class SrtpWithDtlsKeys : public testing::TestWithParam<SrtpProfile> {};

TEST_P(SrtpWithDtlsKeys, ProtectsAuthenticatesAndRejectsReplays) {
    Pair p;
    DtlsTransport::Options only;
    only.profiles = {GetParam()};
    p.make(only, only);
    p.run();
    ASSERT_TRUE(p.client.keys && p.server.keys);
    auto sender = SrtpSession::create(*p.client.keys);
    auto receiver = SrtpSession::create(*p.server.keys);
    ASSERT_TRUE(sender && receiver);

    // A minimal RTP packet: V=2, PT 96, seq 1, ts 1000, SSRC 0x11223344, 100 bytes payload.
    std::vector<std::uint8_t> plain = {0x80, 96, 0, 1, 0, 0, 0x03, 0xe8, 0x11, 0x22, 0x33, 0x44};
    for (int i = 0; i < 100; ++i) plain.push_back(std::uint8_t(i));
    std::vector<std::uint8_t> buf(plain.size() + srtp_max_trailer);
    std::copy(plain.begin(), plain.end(), buf.begin());
    auto protected_len = sender.value()->protect_rtp(buf, plain.size());
    ASSERT_TRUE(protected_len) << protected_len.error().message;
    EXPECT_GT(protected_len.value(), plain.size());
    EXPECT_FALSE(std::equal(plain.begin() + 12, plain.end(), buf.begin() + 12)) << "payload not encrypted";

    auto copy = buf;
    auto plain_len = receiver.value()->unprotect_rtp(buf, protected_len.value());
    ASSERT_TRUE(plain_len) << plain_len.error().message;
    EXPECT_EQ(std::vector<std::uint8_t>(buf.begin(), buf.begin() + std::ptrdiff_t(plain_len.value())), plain);

    auto replay = receiver.value()->unprotect_rtp(copy, protected_len.value());
    ASSERT_FALSE(replay);
    EXPECT_NE(replay.error().message.find("replay"), std::string::npos) << replay.error().message;

    // Tampered: a flipped payload bit fails authentication.
    std::copy(plain.begin(), plain.end(), buf.begin());
    buf[3] = 2;
    plain = std::vector<std::uint8_t>(buf.begin(), buf.begin() + std::ptrdiff_t(plain.size()));
    auto len2 = sender.value()->protect_rtp(buf, plain.size());
    ASSERT_TRUE(len2);
    buf[20] ^= 1;
    auto bad = receiver.value()->unprotect_rtp(buf, len2.value());
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.error().message.find("authentication failed"), std::string::npos) << bad.error().message;

    // RTCP: a receiver report from the other direction.
    std::vector<std::uint8_t> rr = {0x80, 201, 0, 1, 0x55, 0x66, 0x77, 0x88};
    std::vector<std::uint8_t> rbuf(rr.size() + srtp_max_trailer);
    std::copy(rr.begin(), rr.end(), rbuf.begin());
    auto back = SrtpSession::create(*p.server.keys).value();
    auto forth = SrtpSession::create(*p.client.keys).value();
    auto rlen = back->protect_rtcp(rbuf, rr.size());
    ASSERT_TRUE(rlen);
    auto rplain = forth->unprotect_rtcp(rbuf, rlen.value());
    ASSERT_TRUE(rplain) << rplain.error().message;
    EXPECT_EQ(rplain.value(), rr.size());
}

INSTANTIATE_TEST_SUITE_P(Profiles, SrtpWithDtlsKeys,
                         testing::Values(SrtpProfile::aes128_cm_sha1_80, SrtpProfile::aead_aes_128_gcm));

TEST(SrtpSession, RefusesKeysOfTheWrongLengthAndPacketsWithoutRoom) {
    SrtpKeys keys;
    keys.local.assign(10, 1);
    keys.remote.assign(30, 2);
    EXPECT_FALSE(SrtpSession::create(keys));
    keys.local.assign(30, 1);
    auto s = SrtpSession::create(keys);
    ASSERT_TRUE(s);
    std::vector<std::uint8_t> tight(20, 0);
    tight[0] = 0x80;
    EXPECT_FALSE(s.value()->protect_rtp(tight, 20));
    std::vector<std::uint8_t> junk(50, 0xff);
    EXPECT_FALSE(s.value()->unprotect_rtp(junk, 50));
}
