// Camera sign-in: challenges read, Digest preferred to Basic, the RFC 2617 example
// reproduced, and wrong credentials told from a stale nonce.
#include <gtest/gtest.h>

#include "rtsp/protocol/rtsp_auth.hpp"

using namespace switchboard;
using namespace switchboard::rtsp;

namespace {

RtspResponse unauthorized(std::vector<std::string> challenges) {
    RtspResponse r;
    r.status = 401;
    r.headers.emplace_back("CSeq", "2");
    for (auto& c : challenges) r.headers.emplace_back("WWW-Authenticate", std::move(c));
    return r;
}

}  // namespace

TEST(RtspAuth, ReadsChallenges) {
    auto c =
        parse_challenges({R"(Digest realm="cam, front", nonce="abc", qop="auth,auth-int", opaque="o1", stale=TRUE)",
                          R"(Basic realm="cam")", R"(Negotiate abc)"});
    ASSERT_EQ(c.size(), 2u);
    EXPECT_EQ(c[0].scheme, Challenge::Scheme::digest);
    EXPECT_EQ(c[0].realm, "cam, front");
    EXPECT_EQ(c[0].nonce, "abc");
    EXPECT_EQ(c[0].opaque, "o1");
    EXPECT_TRUE(c[0].qop_auth);
    EXPECT_TRUE(c[0].stale);
    EXPECT_EQ(c[1].scheme, Challenge::Scheme::basic);
}

TEST(RtspAuth, DigestWithoutQop) {
    Authenticator auth("admin", "s3cret");
    EXPECT_FALSE(auth.authorization("DESCRIBE", "rtsp://127.0.0.1:8554/cam")) << "nothing before a challenge";
    ASSERT_TRUE(
        auth.on_unauthorized(unauthorized({R"(Basic realm="cam")", R"(Digest realm="cam", nonce="abc123")"})).ok());
    auto header = auth.authorization("DESCRIBE", "rtsp://127.0.0.1:8554/cam");
    ASSERT_TRUE(header);
    // MD5(MD5("admin:cam:s3cret") ":abc123:" MD5("DESCRIBE:rtsp://127.0.0.1:8554/cam")), by Python's hashlib.
    EXPECT_EQ(*header, R"(Digest username="admin", realm="cam", nonce="abc123", uri="rtsp://127.0.0.1:8554/cam", )"
                       R"(response="f602fd42ee646aca2188b995bba91839")");
}

TEST(RtspAuth, DigestWithQopIsRfc2617sExample) {
    Authenticator auth("Mufasa", "Circle Of Life");
    auth.set_cnonce("0a4f113b");
    ASSERT_TRUE(auth.on_unauthorized(unauthorized({R"(Digest realm="testrealm@host.com", qop="auth,auth-int", )"
                                                   R"(nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", )"
                                                   R"(opaque="5ccc069c403ebaf9f0171e9517f40e41")"}))
                    .ok());
    auto header = auth.authorization("GET", "/dir/index.html");
    ASSERT_TRUE(header);
    EXPECT_NE(header->find(R"(response="6629fae49393a05397450978507c4ef1")"), std::string::npos) << *header;
    EXPECT_NE(header->find("nc=00000001"), std::string::npos);
    EXPECT_NE(header->find(R"(opaque="5ccc069c403ebaf9f0171e9517f40e41")"), std::string::npos);
}

TEST(RtspAuth, BasicOnlyWhenNothingElse) {
    Authenticator auth("admin", "s3cret");
    ASSERT_TRUE(auth.on_unauthorized(unauthorized({R"(Basic realm="cam")"})).ok());
    EXPECT_EQ(auth.authorization("DESCRIBE", "rtsp://cam/"), "Basic YWRtaW46czNjcmV0");
}

TEST(RtspAuth, WrongCredentialsAreOneClearError) {
    Authenticator auth("admin", "wrong");
    const auto challenge = unauthorized({R"(Digest realm="cam", nonce="n1")"});
    ASSERT_TRUE(auth.on_unauthorized(challenge).ok());
    ASSERT_TRUE(auth.authorization("DESCRIBE", "rtsp://cam/"));
    auto again = auth.on_unauthorized(challenge);
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().kind, ErrorKind::invalid) << "a config error: waiting will not mend it";
    EXPECT_NE(again.error().message.find("wrong user name or password"), std::string::npos);
    EXPECT_EQ(again.error().message.find("wrong\""), std::string::npos) << "the password is not in the message";

    // A camera that makes a new nonce for every challenge: still wrong, not a retry.
    Authenticator fresh("admin", "wrong");
    ASSERT_TRUE(fresh.on_unauthorized(challenge).ok());
    ASSERT_TRUE(fresh.authorization("DESCRIBE", "rtsp://cam/"));
    EXPECT_FALSE(fresh.on_unauthorized(unauthorized({R"(Digest realm="cam", nonce="n2")"})).ok());
}

TEST(RtspAuth, AStaleNonceIsRetried) {
    Authenticator auth("admin", "s3cret");
    ASSERT_TRUE(auth.on_unauthorized(unauthorized({R"(Digest realm="cam", nonce="n1")"})).ok());
    ASSERT_TRUE(auth.authorization("PLAY", "rtsp://cam/"));
    EXPECT_TRUE(auth.on_unauthorized(unauthorized({R"(Digest realm="cam", nonce="n2", stale=true)"})).ok());
    EXPECT_NE(auth.authorization("PLAY", "rtsp://cam/")->find(R"(nonce="n2")"), std::string::npos);
}

TEST(RtspAuth, RefusesWhatItCannotAnswer) {
    Authenticator nobody("", "");
    EXPECT_FALSE(nobody.on_unauthorized(unauthorized({R"(Basic realm="cam")"})).ok());
    Authenticator auth("admin", "s3cret");
    auto r = auth.on_unauthorized(unauthorized({R"(Digest realm="cam", nonce="n", algorithm=SHA-256)", "Bearer x"}));
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find("no sign-in we support"), std::string::npos);
}
