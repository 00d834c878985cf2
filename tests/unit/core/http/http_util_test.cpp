// The HTTP header helpers: media types, bearer tokens, token compare.
#include <gtest/gtest.h>

#include "http/http_util.hpp"

using namespace switchboard::http;

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

TEST(HttpUtil, PercentDecode) {
    EXPECT_EQ(percent_decode("plain"), std::optional<std::string>("plain"));
    EXPECT_EQ(percent_decode("%21abc%3Adef%2f"), std::optional<std::string>("!abc:def/"));
    EXPECT_EQ(percent_decode("a+b"), std::optional<std::string>("a+b"));
    EXPECT_EQ(percent_decode(""), std::optional<std::string>(""));
    EXPECT_EQ(percent_decode("%"), std::nullopt);
    EXPECT_EQ(percent_decode("%4"), std::nullopt);
    EXPECT_EQ(percent_decode("ab%zz"), std::nullopt);
    EXPECT_EQ(percent_decode("%00"), std::nullopt);
}
