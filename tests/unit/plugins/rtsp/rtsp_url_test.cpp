// rtsp:// URLs: ports, IPv6, credentials taken out (and never echoed in errors).
#include <gtest/gtest.h>

#include "rtsp/protocol/rtsp_url.hpp"

using namespace switchboard::rtsp;

TEST(RtspUrl, ReadsHostPortPathAndCredentials) {
    auto u = parse_rtsp_url("rtsp://admin:p%40ss@192.168.1.20:8554/stream1?ch=2");
    ASSERT_TRUE(u.ok()) << u.error().message;
    EXPECT_FALSE(u.value().tls);
    EXPECT_EQ(u.value().host, "192.168.1.20");
    EXPECT_EQ(u.value().port, 8554);
    EXPECT_EQ(u.value().path, "/stream1?ch=2");
    EXPECT_EQ(u.value().user, "admin");
    EXPECT_EQ(u.value().password, "p@ss");
    EXPECT_EQ(u.value().to_string(), "rtsp://192.168.1.20:8554/stream1?ch=2");
}

TEST(RtspUrl, DefaultsAndIpv6) {
    auto plain = parse_rtsp_url("rtsp://cam.local");
    ASSERT_TRUE(plain.ok());
    EXPECT_EQ(plain.value().port, 554);
    EXPECT_EQ(plain.value().path, "/");
    auto tls = parse_rtsp_url("rtsps://[::1]/cam");
    ASSERT_TRUE(tls.ok());
    EXPECT_TRUE(tls.value().tls);
    EXPECT_EQ(tls.value().host, "::1");
    EXPECT_EQ(tls.value().port, 322);
    EXPECT_EQ(tls.value().to_string(), "rtsps://[::1]:322/cam");
}

TEST(RtspUrl, RefusesWithTheReasonAndWithoutThePassword) {
    for (const char* bad : {"http://cam/", "rtsp://", "rtsp://cam:0/", "rtsp://cam:99999/", "rtsp://cam:x/",
                            "rtsp://[::1/", "rtsp://u:%zz@cam/"}) {
        auto r = parse_rtsp_url(bad);
        EXPECT_FALSE(r.ok()) << bad;
    }
    auto r = parse_rtsp_url("rtsp://u:topsecret@cam:badport/");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().message.find("topsecret"), std::string::npos);
}
