#include "rtc/ice/udp_batch.hpp"

#include <netinet/in.h>
#include <netinet/udp.h>

#include <cerrno>
#include <cstring>

namespace switchboard::rtc {

std::vector<SegmentRun> segment_runs(std::span<const std::span<const std::uint8_t>> datagrams, std::size_t max_segments,
                                     std::size_t max_bytes) {
    std::vector<SegmentRun> runs;
    std::size_t bytes = 0;
    bool closed = true;  // the current run takes no more (its last is shorter, or none yet)
    for (std::size_t i = 0; i < datagrams.size(); ++i) {
        const std::size_t size = datagrams[i].size();
        if (!closed) {
            auto& run = runs.back();
            if (size != 0 && size <= run.segment_size && run.count < max_segments && bytes + size <= max_bytes) {
                ++run.count;
                bytes += size;
                closed = size < run.segment_size;
                continue;
            }
        }
        runs.push_back({i, 1, size});
        bytes = size;
        closed = size == 0;
    }
    return runs;
}

namespace {

/// Room for one UDP_SEGMENT control message.
union SegmentControl {
    char buf[CMSG_SPACE(sizeof(std::uint16_t))];
    cmsghdr align;
};

}  // namespace

std::size_t UdpBatchSender::send(int fd, const sockaddr* peer, socklen_t peer_len,
                                 std::span<const std::span<const std::uint8_t>> datagrams) {
    if (!m_gso.load(std::memory_order_relaxed)) return send_plain(fd, peer, peer_len, datagrams);
    const auto runs = segment_runs(datagrams);
    if (runs.size() == datagrams.size()) return send_plain(fd, peer, peer_len, datagrams);
    std::vector<iovec> iov(datagrams.size());
    std::vector<mmsghdr> msgs(runs.size());
    std::vector<SegmentControl> controls(runs.size());
    for (std::size_t i = 0; i < datagrams.size(); ++i)
        iov[i] = {const_cast<std::uint8_t*>(datagrams[i].data()), datagrams[i].size()};
    for (std::size_t r = 0; r < runs.size(); ++r) {
        auto& h = msgs[r].msg_hdr;
        h = {};
        h.msg_name = const_cast<sockaddr*>(peer);
        h.msg_namelen = peer_len;
        h.msg_iov = &iov[runs[r].first];
        h.msg_iovlen = runs[r].count;
        if (runs[r].count < 2) continue;
        h.msg_control = controls[r].buf;
        h.msg_controllen = sizeof(controls[r].buf);
        cmsghdr* c = CMSG_FIRSTHDR(&h);
        c->cmsg_level = SOL_UDP;
        c->cmsg_type = UDP_SEGMENT;
        c->cmsg_len = CMSG_LEN(sizeof(std::uint16_t));
        const auto segment = std::uint16_t(runs[r].segment_size);
        std::memcpy(CMSG_DATA(c), &segment, sizeof(segment));
    }
    std::size_t messages = 0;
    std::size_t sent = 0;
    while (messages < msgs.size()) {
        const int n = ::sendmmsg(fd, msgs.data() + messages, unsigned(msgs.size() - messages), MSG_DONTWAIT);
        if (n > 0) {
            for (int k = 0; k < n; ++k) sent += runs[messages + std::size_t(k)].count;
            messages += std::size_t(n);
            continue;
        }
        if (errno == EIO || errno == EINVAL || errno == EOPNOTSUPP) {
            // Refused at the first unsent message: the rest goes out plain, and all later.
            m_gso.store(false, std::memory_order_relaxed);
            return sent + send_plain(fd, peer, peer_len, datagrams.subspan(sent));
        }
        break;
    }
    return sent;
}

std::size_t UdpBatchSender::send_plain(int fd, const sockaddr* peer, socklen_t peer_len,
                                       std::span<const std::span<const std::uint8_t>> datagrams) {
    std::vector<iovec> iov(datagrams.size());
    std::vector<mmsghdr> msgs(datagrams.size());
    for (std::size_t i = 0; i < datagrams.size(); ++i) {
        iov[i] = {const_cast<std::uint8_t*>(datagrams[i].data()), datagrams[i].size()};
        msgs[i].msg_hdr = {};
        msgs[i].msg_hdr.msg_name = const_cast<sockaddr*>(peer);
        msgs[i].msg_hdr.msg_namelen = peer_len;
        msgs[i].msg_hdr.msg_iov = &iov[i];
        msgs[i].msg_hdr.msg_iovlen = 1;
    }
    std::size_t sent = 0;
    while (sent < msgs.size()) {
        const int n = ::sendmmsg(fd, msgs.data() + sent, unsigned(msgs.size() - sent), MSG_DONTWAIT);
        if (n <= 0) break;
        sent += std::size_t(n);
    }
    return sent;
}

}  // namespace switchboard::rtc
