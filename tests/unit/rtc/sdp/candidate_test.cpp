#include "rtc/sdp/candidate.hpp"

#include <gtest/gtest.h>

namespace switchboard::rtc::sdp {
namespace {

TEST(Candidate, ParsesRelayWithRelatedAddress) {
    auto c = Candidate::parse(
        "candidate:3 1 UDP 92151295 203.0.113.5 50000 typ relay raddr 198.51.100.7 rport 61234 generation 0");
    ASSERT_TRUE(c);
    EXPECT_EQ(c->foundation, "3");
    EXPECT_EQ(c->transport, "UDP");
    EXPECT_EQ(c->type, CandidateType::relay);
    EXPECT_EQ(c->related_address, "198.51.100.7");
    EXPECT_EQ(c->related_port, 61234);
    ASSERT_EQ(c->extensions.size(), 1u);
    EXPECT_EQ(c->extensions[0].first, "generation");
    EXPECT_EQ(c->to_string(),
              "3 1 UDP 92151295 203.0.113.5 50000 typ relay raddr 198.51.100.7 rport 61234 generation 0");
    EXPECT_EQ(c->to_attribute().rfind("candidate:3 1 UDP", 0), 0u);
}

TEST(Candidate, ParsesTcpType) {
    auto c = Candidate::parse("1 1 tcp 1518280447 192.0.2.10 9 typ host tcptype active");
    ASSERT_TRUE(c);
    EXPECT_EQ(c->tcp_type, "active");
    EXPECT_EQ(c->port, 9);
}

TEST(Candidate, RefusesBadSyntax) {
    for (const char* bad :
         {"", "1 1 udp 1 1.2.3.4 5 host", "1 0 udp 1 1.2.3.4 5 typ host", "1 1 udp 4294967296 1.2.3.4 5 typ host",
          "1 1 udp 1 1.2.3.4 65536 typ host", "1 1 udp 1 1.2.3.4 5 typ host raddr",
          "1 1 udp 1 1.2.3.4 5 typ host rport x", "123456789012345678901234567890123 1 udp 1 1.2.3.4 5 typ host"})
        EXPECT_FALSE(Candidate::parse(bad)) << bad;
}

}  // namespace
}  // namespace switchboard::rtc::sdp
