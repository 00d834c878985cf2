// "host:port" for listeners.
#include <gtest/gtest.h>

#include "http/listen_address.hpp"

using switchboard::http::parse_listen;

TEST(ListenAddress, Forms) {
    EXPECT_EQ(parse_listen("127.0.0.1:0")->port(), 0);
    EXPECT_EQ(parse_listen("[::1]:8889")->address().to_string(), "::1");
    EXPECT_EQ(parse_listen("localhost:80")->address().to_string(), "127.0.0.1");
    EXPECT_FALSE(parse_listen("127.0.0.1"));
    EXPECT_FALSE(parse_listen("127.0.0.1:"));
    EXPECT_FALSE(parse_listen("127.0.0.1:65536"));
    EXPECT_FALSE(parse_listen("127.0.0.1:80x"));
    EXPECT_FALSE(parse_listen("::1:8889"));  // IPv6 needs brackets
    EXPECT_FALSE(parse_listen("example.org:80"));
}
