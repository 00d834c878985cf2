#include "rtc/ice/udp_batch.hpp"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <unistd.h>

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

using switchboard::rtc::segment_runs;
using switchboard::rtc::SegmentRun;
using switchboard::rtc::UdpBatchSender;

namespace {

using Bytes = std::vector<std::uint8_t>;

std::vector<std::span<const std::uint8_t>> spans(const std::vector<Bytes>& v) {
    return {v.begin(), v.end()};
}

std::vector<Bytes> of_sizes(std::initializer_list<std::size_t> sizes) {
    std::vector<Bytes> out;
    std::uint8_t fill = 1;
    for (auto s : sizes) out.emplace_back(s, fill++);
    return out;
}

TEST(SegmentRuns, EqualSizesWithAShorterLastAreOneRun) {
    const auto d = of_sizes({1200, 1200, 1200, 700});
    EXPECT_EQ(segment_runs(spans(d)), (std::vector<SegmentRun>{{0, 4, 1200}}));
}

TEST(SegmentRuns, AShorterDatagramEndsItsRunAndALongerOneStartsANewOne) {
    // A keyframe: parameter sets, then a fragmented slice; then a small frame.
    const auto d = of_sizes({40, 1200, 1200, 300, 300, 1200, 0, 5});
    EXPECT_EQ(segment_runs(spans(d)),
              (std::vector<SegmentRun>{{0, 1, 40}, {1, 3, 1200}, {4, 1, 300}, {5, 1, 1200}, {6, 1, 0}, {7, 1, 5}}));
}

TEST(SegmentRuns, RunsStayWithinTheSegmentAndByteLimits) {
    std::vector<Bytes> d(10, Bytes(1000, 7));
    EXPECT_EQ(segment_runs(spans(d), 4), (std::vector<SegmentRun>{{0, 4, 1000}, {4, 4, 1000}, {8, 2, 1000}}));
    EXPECT_EQ(segment_runs(spans(d), 64, 3000),
              (std::vector<SegmentRun>{{0, 3, 1000}, {3, 3, 1000}, {6, 3, 1000}, {9, 1, 1000}}));
    EXPECT_TRUE(segment_runs({}).empty());
}

/// A UDP socket on 127.0.0.1 and its address.
struct Loopback {
    int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in addr{};
    Loopback() {
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
        socklen_t len = sizeof(addr);
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    }
    ~Loopback() { ::close(fd); }
    /// The next datagram, waiting at most `wait_ms`.
    std::optional<Bytes> receive(int wait_ms = 1000) const {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, wait_ms) != 1) return std::nullopt;
        Bytes b(65536);
        const auto n = ::recv(fd, b.data(), b.size(), 0);
        if (n < 0) return std::nullopt;
        b.resize(std::size_t(n));
        return b;
    }
};

TEST(UdpBatchSender, TheReceiverGetsEachDatagramAsSent) {
    Loopback from, to;
    ASSERT_GE(from.fd, 0);
    UdpBatchSender sender;
    const auto d = of_sizes({40, 1200, 1200, 1200, 333, 900, 900, 17});
    EXPECT_EQ(sender.send(from.fd, reinterpret_cast<const sockaddr*>(&to.addr), sizeof(to.addr), spans(d)), d.size());
    for (const auto& want : d) {
        const auto got = to.receive();
        ASSERT_TRUE(got);
        EXPECT_EQ(*got, want);
    }
    EXPECT_FALSE(to.receive(50)) << "one datagram too many";
    // Linux 6.1 (Debian 12) segments UDP on loopback: GSO stays on.
    EXPECT_TRUE(sender.uses_gso());
}

TEST(UdpBatchSender, ARefusedGsoSendFallsBackToPlainDatagrams) {
    Loopback from, to;
    UdpBatchSender sender;
    // A socket that sends without UDP checksums cannot offload segmentation (EINVAL)...
    const int no_check = 1;
    ASSERT_EQ(::setsockopt(from.fd, SOL_SOCKET, SO_NO_CHECK, &no_check, sizeof(no_check)), 0);
    const auto d = of_sizes({1000, 1000, 500, 20});
    EXPECT_EQ(sender.send(from.fd, reinterpret_cast<const sockaddr*>(&to.addr), sizeof(to.addr), spans(d)), 4u);
    // ...so the batch goes out one datagram at a time.
    for (const auto& want : d) {
        const auto got = to.receive();
        ASSERT_TRUE(got);
        EXPECT_EQ(*got, want);
    }
    EXPECT_FALSE(sender.uses_gso());
}

}  // namespace
