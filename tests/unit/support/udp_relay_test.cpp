#include "support/udp_relay.hpp"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "rtc/srtp/srtp_key_log.hpp"
#include "rtc/srtp/srtp_session.hpp"

namespace switchboard::test {
namespace {

/// A UDP socket on 127.0.0.1 standing in for one side of a call.
class Endpoint {
public:
    Endpoint() {
        m_fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof a;
        ::bind(m_fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
        ::getsockname(m_fd, reinterpret_cast<sockaddr*>(&a), &len);
        m_port = ntohs(a.sin_port);
    }
    ~Endpoint() { ::close(m_fd); }
    std::uint16_t port() const { return m_port; }
    void send(std::uint16_t to, const std::vector<std::uint8_t>& d) const {
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        a.sin_port = htons(to);
        ::sendto(m_fd, d.data(), d.size(), 0, reinterpret_cast<sockaddr*>(&a), sizeof a);
    }
    /// Everything that arrives until nothing has for `quiet_ms`.
    std::vector<std::vector<std::uint8_t>> receive_all(int quiet_ms = 300) const {
        std::vector<std::vector<std::uint8_t>> out;
        pollfd p{m_fd, POLLIN, 0};
        while (::poll(&p, 1, quiet_ms) == 1) {
            std::vector<std::uint8_t> b(2048);
            const auto n = ::recv(m_fd, b.data(), b.size(), 0);
            if (n < 0) break;
            b.resize(std::size_t(n));
            out.push_back(std::move(b));
        }
        return out;
    }

private:
    int m_fd = -1;
    std::uint16_t m_port = 0;
};

std::string sdp_with_candidate(std::uint16_t port) {
    return "v=0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=candidate:1 1 udp 2130706431 127.0.0.1 " + std::to_string(port) +
           " typ host\r\na=candidate:2 1 tcp 1 127.0.0.1 9 typ host tcptype active\r\n";
}

std::vector<std::uint8_t> rtp(std::uint8_t pt, std::uint16_t seq, std::uint32_t ts, std::size_t size = 100) {
    std::vector<std::uint8_t> p = {0x80,
                                   pt,
                                   std::uint8_t(seq >> 8),
                                   std::uint8_t(seq),
                                   std::uint8_t(ts >> 24),
                                   std::uint8_t(ts >> 16),
                                   std::uint8_t(ts >> 8),
                                   std::uint8_t(ts),
                                   0,
                                   0,
                                   0,
                                   7};
    p.resize(size, 0x42);
    return p;
}

struct Wired {
    UdpRelay relay;
    Endpoint gateway, peer;
    Wired() {
        const auto to_peer = relay.rewrite_candidates(sdp_with_candidate(gateway.port()), true);
        relay.rewrite_candidates(sdp_with_candidate(peer.port()), false);
        // The peer is told only about the relay, over UDP.
        EXPECT_NE(to_peer.find("127.0.0.1 " + std::to_string(relay.peer_port()) + " typ host"), std::string::npos);
        EXPECT_EQ(to_peer.find(" tcp "), std::string::npos);
    }
};

TEST(UdpRelay, ForwardsBothWaysAndDropsOnlyMediaOnLoss) {
    Wired w;
    w.peer.send(w.relay.peer_port(), {0x00, 0x01, 0, 0});  // STUN from the peer
    ASSERT_EQ(w.gateway.receive_all().size(), 1u);
    w.relay.set_loss_percent(50);
    for (int i = 0; i < 200; ++i) w.gateway.send(w.relay.gateway_port(), rtp(96, std::uint16_t(i), 0));
    for (int i = 0; i < 50; ++i) w.gateway.send(w.relay.gateway_port(), {0x00, 0x01, 0, 0});   // STUN
    for (int i = 0; i < 50; ++i) w.gateway.send(w.relay.gateway_port(), {22, 0xfe, 0xfd, 0});  // DTLS
    const auto got = w.peer.receive_all();
    std::size_t media = 0, other = 0;
    for (const auto& d : got) (d[0] >= 128 ? media : other) += 1;
    const auto c = w.relay.counters();
    EXPECT_EQ(other, 100u);  // STUN and DTLS always pass
    EXPECT_EQ(media + c.loss_dropped, 200u);
    EXPECT_GT(c.loss_dropped, 60u);
    EXPECT_LT(c.loss_dropped, 140u);
}

TEST(UdpRelay, ABandwidthCapQueuesThenDrops) {
    Wired w;
    w.relay.set_bandwidth(800'000, std::chrono::milliseconds(50));  // 100 kB/s, 5 kB of queue
    for (int i = 0; i < 100; ++i) w.gateway.send(w.relay.gateway_port(), rtp(96, std::uint16_t(i), 0, 1000));
    const auto got = w.peer.receive_all();
    const auto c = w.relay.counters();
    EXPECT_GT(c.bandwidth_dropped, 50u);
    EXPECT_EQ(got.size() + c.bandwidth_dropped, 100u);
    EXPECT_GT(c.bandwidth_max_queue_bytes, 0u);
}

TEST(UdpRelay, DropsTheChosenKeyframeAndEveryResendOfIt) {
    const auto log =
        (std::filesystem::temp_directory_path() / ("udp_relay_test." + std::to_string(::getpid()))).string();
    std::filesystem::remove(log);
    rtc::SrtpKeyLogEntry e;
    e.connection = "gw";
    e.keys.local.assign(30, 0x11);
    e.keys.remote.assign(30, 0x22);
    ASSERT_TRUE(rtc::append_srtp_key_log(log, e).ok());
    auto gateway_srtp = rtc::SrtpSession::create(e.keys);
    ASSERT_TRUE(gateway_srtp.ok());
    auto protect = [&](std::vector<std::uint8_t> p) {
        const auto n = p.size();
        p.resize(n + rtc::srtp_max_trailer);
        p.resize(gateway_srtp.value()->protect_rtp(p, n).value());
        return p;
    };
    auto vp8 = [](std::uint8_t pt, std::uint16_t seq, std::uint32_t ts, bool key) {
        auto p = rtp(pt, seq, ts, 12);
        // Descriptor: S=1, PID 0; then a VP8 key frame header (P=0, start code 9d 01 2a, 320x240).
        const std::vector<std::uint8_t> body = {
            0x10, std::uint8_t(key ? 0x00 : 0x01), 0, 0, 0x9d, 0x01, 0x2a, 0x40, 0x01, 0xf0, 0x00};
        p.insert(p.end(), body.begin(), body.end());
        return p;
    };

    Wired w;
    w.gateway.send(w.relay.gateway_port(), protect(vp8(96, 1, 1000, false)));  // a delta frame first
    ASSERT_TRUE(w.relay.drop_next_keyframe(log));
    w.gateway.send(w.relay.gateway_port(), protect(vp8(96, 2, 4000, true)));   // the keyframe: dropped
    w.gateway.send(w.relay.gateway_port(), protect(rtp(96, 3, 4000)));         // its next packet: dropped
    w.gateway.send(w.relay.gateway_port(), protect(rtp(97, 50, 4000)));        // an RTX resend: dropped
    w.gateway.send(w.relay.gateway_port(), protect(vp8(96, 4, 7000, false)));  // the next frame passes
    w.gateway.send(w.relay.gateway_port(), protect(vp8(96, 5, 10000, true)));  // a later keyframe passes
    const auto got = w.peer.receive_all();
    const auto c = w.relay.counters();
    EXPECT_EQ(got.size(), 3u);
    EXPECT_EQ(c.keyframes_dropped, 1u);
    EXPECT_EQ(c.keyframe_dropped, 3u);
    EXPECT_TRUE(w.relay.keyframe_dropped_at());
    std::filesystem::remove(log);
}

}  // namespace
}  // namespace switchboard::test
