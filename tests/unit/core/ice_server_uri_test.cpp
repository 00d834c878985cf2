// STUN/TURN URIs as signalling hands them out (RFC 7064/7065).
#include "call/ice_server_uri.hpp"

#include <gtest/gtest.h>

namespace switchboard::core {
namespace {

TEST(IceServerUri, ReadsTurnWithPortAndTransport) {
    auto uri = parse_ice_server_uri("turn:turn.example.org:3479?transport=tcp");
    ASSERT_TRUE(uri);
    EXPECT_EQ(uri->scheme, IceServerUri::Scheme::turn);
    EXPECT_EQ(uri->host, "turn.example.org");
    EXPECT_EQ(uri->port, 3479);
    EXPECT_EQ(uri->transport, IceServerUri::Transport::tcp);
}

TEST(IceServerUri, DefaultsToPort3478OverUdp) {
    auto uri = parse_ice_server_uri("turn:127.0.0.1");
    ASSERT_TRUE(uri);
    EXPECT_EQ(uri->port, 3478);
    EXPECT_EQ(uri->transport, IceServerUri::Transport::udp);
    auto stun = parse_ice_server_uri("stun:[::1]:19302");
    ASSERT_TRUE(stun);
    EXPECT_EQ(stun->scheme, IceServerUri::Scheme::stun);
    EXPECT_EQ(stun->host, "::1");
    EXPECT_EQ(stun->port, 19302);
}

TEST(IceServerUri, RefusesWhatIceCannotUse) {
    for (const char* bad :
         {"turns:turn.example.org:5349", "http://x", "turn:", "turn:host:0", "turn:host:99999", "turn:host:12ab",
          "turn:host?transport=sctp", "stun:host?transport=udp", "turn:[::1", "nonsense"})
        EXPECT_FALSE(parse_ice_server_uri(bad)) << bad;
}

}  // namespace
}  // namespace switchboard::core
