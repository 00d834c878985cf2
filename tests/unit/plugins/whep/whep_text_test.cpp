// whep's own text: trickle-ice-sdpfrag bodies and session ids.
#include <gtest/gtest.h>

#include <set>

#include "whep/whep_text.hpp"

using namespace switchboard::whep;

TEST(WhepText, TrickleCandidatesInOrderWithEndOfCandidates) {
    const std::string frag =
        "a=ice-ufrag:EsAw\r\n"
        "a=ice-pwd:P2uYro0UCOQ4zxjKXaWCBui1\r\n"
        "m=audio 9 RTP/AVP 0\r\n"
        "a=mid:0\r\n"
        "a=candidate:1387637174 1 udp 2122260223 192.0.2.1 61764 typ host generation 0\r\n"
        "a=candidate:3471623853 1 udp 2122194687 198.51.100.2 61765 typ host generation 0\n"
        "a=end-of-candidates\r\n";
    const auto lines = trickle_candidates(frag);
    ASSERT_EQ(lines.size(), 3u);
    EXPECT_EQ(lines[0], "a=candidate:1387637174 1 udp 2122260223 192.0.2.1 61764 typ host generation 0");
    EXPECT_EQ(lines[1], "a=candidate:3471623853 1 udp 2122194687 198.51.100.2 61765 typ host generation 0");
    EXPECT_EQ(lines[2], "");
    EXPECT_TRUE(trickle_candidates("").empty());
    EXPECT_TRUE(trickle_candidates("\r\n\r\n garbage").empty());
}

TEST(WhepText, SessionIdsAreHexAndDistinct) {
    std::set<std::string> ids;
    for (int i = 0; i < 100; ++i) {
        auto id = new_session_id();
        EXPECT_TRUE(is_session_id(id)) << id;
        ids.insert(id);
    }
    EXPECT_EQ(ids.size(), 100u);
    EXPECT_FALSE(is_session_id("0123456789ABCDEF"));
    EXPECT_FALSE(is_session_id("0123"));
    EXPECT_FALSE(is_session_id("../../etc/passwd"));
}

TEST(WhepText, RandomHexHasTheAskedLengthAndDiffers) {
    const auto a = random_hex(16), b = random_hex(16);
    EXPECT_EQ(a.size(), 32u);
    EXPECT_EQ(a.find_first_not_of("0123456789abcdef"), std::string::npos) << a;
    EXPECT_NE(a, b);
    EXPECT_EQ(random_hex(3).size(), 6u);
}
