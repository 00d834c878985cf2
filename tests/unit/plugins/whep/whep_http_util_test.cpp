// whep header and body helpers: media types, bearer tokens, token compare, sdpfrag, ids.
#include <gtest/gtest.h>

#include <set>

#include "whep/http_util.hpp"

using namespace switchboard::whep;

TEST(HttpUtil, MediaTypeIgnoresCaseAndParameters) {
    EXPECT_TRUE(media_type_is("application/sdp", "application/sdp"));
    EXPECT_TRUE(media_type_is("Application/SDP; charset=utf-8", "application/sdp"));
    EXPECT_TRUE(media_type_is("  application/sdp  ", "application/sdp"));
    EXPECT_FALSE(media_type_is("application/sdpx", "application/sdp"));
    EXPECT_FALSE(media_type_is("text/plain", "application/sdp"));
    EXPECT_FALSE(media_type_is("", "application/sdp"));
}

TEST(HttpUtil, BearerToken) {
    EXPECT_EQ(bearer_token("Bearer abc"), std::optional<std::string_view>("abc"));
    EXPECT_EQ(bearer_token("bearer  abc "), std::optional<std::string_view>("abc"));
    EXPECT_EQ(bearer_token("Basic YWJj"), std::nullopt);
    EXPECT_EQ(bearer_token("Bearer"), std::nullopt);
    EXPECT_EQ(bearer_token("Bearer "), std::nullopt);
    EXPECT_EQ(bearer_token("Bearerabc"), std::nullopt);
    EXPECT_EQ(bearer_token(""), std::nullopt);
}

TEST(HttpUtil, ConstantTimeEqual) {
    EXPECT_TRUE(constant_time_equal("secret", "secret"));
    EXPECT_TRUE(constant_time_equal("", ""));
    EXPECT_FALSE(constant_time_equal("secret", "secreT"));
    EXPECT_FALSE(constant_time_equal("secret", "secret2"));
    EXPECT_FALSE(constant_time_equal("secret2", "secret"));
    EXPECT_FALSE(constant_time_equal("", "secret"));
    EXPECT_FALSE(constant_time_equal("secret", ""));
    // A repeated prefix must not pass for the whole (the walk wraps around a).
    EXPECT_FALSE(constant_time_equal("ab", "abab"));
}

TEST(HttpUtil, TrickleCandidatesInOrderWithEndOfCandidates) {
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

TEST(HttpUtil, SessionIdsAreHexAndDistinct) {
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
