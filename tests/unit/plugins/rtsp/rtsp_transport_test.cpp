// SETUP's Transport and Session headers, as cameras write them.
#include <gtest/gtest.h>

#include "rtsp/protocol/rtsp_transport.hpp"

using namespace switchboard::rtsp;

TEST(RtspTransport, AsksForTcpOrUdp) {
    TransportSpec tcp;
    tcp.rtp_channel = 2;
    tcp.rtcp_channel = 3;
    EXPECT_EQ(tcp.request_header(), "RTP/AVP/TCP;unicast;interleaved=2-3");
    TransportSpec udp;
    udp.lower = TransportSpec::Lower::udp;
    udp.client_rtp_port = 5000;
    udp.client_rtcp_port = 5001;
    EXPECT_EQ(udp.request_header(), "RTP/AVP;unicast;client_port=5000-5001");
}

TEST(RtspTransport, ReadsWhatTheCameraGranted) {
    auto tcp = parse_transport("RTP/AVP/TCP;unicast;interleaved=0-1;ssrc=1A2B3C4D;mode=\"PLAY\"");
    ASSERT_TRUE(tcp.ok()) << tcp.error().message;
    EXPECT_EQ(tcp.value().lower, TransportSpec::Lower::tcp);
    EXPECT_EQ(tcp.value().rtp_channel, 0);
    EXPECT_EQ(tcp.value().rtcp_channel, 1);
    EXPECT_EQ(tcp.value().ssrc, 0x1A2B3C4Du);
    auto udp = parse_transport("RTP/AVP;unicast;client_port=5000-5001;server_port=6970-6971;source=192.168.1.20");
    ASSERT_TRUE(udp.ok()) << udp.error().message;
    EXPECT_EQ(udp.value().lower, TransportSpec::Lower::udp);
    EXPECT_EQ(udp.value().server_rtp_port, 6970);
    EXPECT_EQ(udp.value().server_rtcp_port, 6971);
    EXPECT_EQ(udp.value().client_rtp_port, 5000);
}

TEST(RtspTransport, RefusesWhatItCannotUse) {
    for (const char* bad : {"RAW/RAW/UDP;unicast", "RTP/AVP/TCP;unicast", "RTP/AVP;unicast;client_port=1-2",
                            "RTP/AVP;multicast;destination=232.0.0.1", "RTP/AVP/TCP;interleaved=x-y"})
        EXPECT_FALSE(parse_transport(bad).ok()) << bad;
}

TEST(RtspSession, ReadsTheIdAndTimeout) {
    auto s = parse_session("47112344;timeout=30");
    ASSERT_TRUE(s.ok());
    EXPECT_EQ(s.value().id, "47112344");
    EXPECT_EQ(s.value().timeout, std::chrono::seconds(30));
    auto plain = parse_session("ABCDEF");
    ASSERT_TRUE(plain.ok());
    EXPECT_EQ(plain.value().timeout, std::chrono::seconds(60));
    EXPECT_FALSE(parse_session("").ok());
}
