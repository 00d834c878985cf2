#include "matrix_client/homeserver_url.hpp"

#include <gtest/gtest.h>

namespace switchboard::matrix {
namespace {

TEST(HomeserverUrl, HttpsWithPortAndPrefix) {
    auto url = HomeserverUrl::parse("https://matrix.example.org:8448/prefix/");
    ASSERT_TRUE(url) << url.error().to_string();
    EXPECT_TRUE(url.value().tls);
    EXPECT_EQ(url.value().host, "matrix.example.org");
    EXPECT_EQ(url.value().port, 8448);
    EXPECT_EQ(url.value().base_path, "/prefix");
    EXPECT_EQ(url.value().host_header(), "matrix.example.org:8448");
}

TEST(HomeserverUrl, HttpsDefaultPort) {
    auto url = HomeserverUrl::parse("https://example.org");
    ASSERT_TRUE(url);
    EXPECT_EQ(url.value().port, 443);
    EXPECT_EQ(url.value().host_header(), "example.org");
}

TEST(HomeserverUrl, PlainHttpToLoopbackIsAllowed) {
    for (const char* text :
         {"http://127.0.0.1:8008", "http://localhost:8008", "http://[::1]:8008", "http://127.3.4.5"}) {
        auto url = HomeserverUrl::parse(text);
        ASSERT_TRUE(url) << text << ": " << url.error().to_string();
        EXPECT_FALSE(url.value().tls);
    }
}

TEST(HomeserverUrl, PlainHttpElsewhereIsRefused) {
    for (const char* text : {"http://matrix.example.org", "http://192.0.2.10:8008", "http://[2001:db8::1]:8008",
                             "http://localhost.example.org"}) {
        auto url = HomeserverUrl::parse(text);
        ASSERT_FALSE(url) << text;
        EXPECT_EQ(url.error().kind, ErrorKind::refused);
        EXPECT_NE(url.error().message.find("plain http is only allowed to a loopback host"), std::string::npos)
            << url.error().to_string();
    }
}

TEST(HomeserverUrl, MalformedIsRefused) {
    for (const char* text : {"ftp://x", "https://", "https://host:0", "https://host:99999", "https://host:12a",
                             "https://user:pw@host", "https://[::1"})
        EXPECT_FALSE(HomeserverUrl::parse(text)) << text;
}

TEST(HomeserverUrl, UrlEncodeKeepsUnreservedOnly) {
    EXPECT_EQ(url_encode("!room:example.org"), "%21room%3Aexample.org");
    EXPECT_EQ(url_encode("a-b_c.d~e"), "a-b_c.d~e");
    EXPECT_EQ(url_encode("{\"a\": 1}"), "%7B%22a%22%3A%201%7D");
}

}  // namespace
}  // namespace switchboard::matrix
