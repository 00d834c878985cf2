/// \file udp_batch.hpp
/// \brief Sends a batch of datagrams to one peer in one sendmmsg(), each run of equal-size
/// datagrams as one UDP GSO message (UDP_SEGMENT, Linux 4.18).
///
/// A frame's RTP packets are mostly of one size (a packetizer fills each to the limit,
/// the last takes the rest). Sent one by one, each crosses the stack alone, and the kernel
/// may run the woken receiver between two of them (sendmmsg yields after each datagram),
/// so a frame's last packet leaves a receiver's time slice after its first. As one GSO
/// message the run crosses the stack once and is cut into datagrams at the end: on a real
/// NIC by the NIC or just before it, on loopback at the receiving socket, all at once.
/// The datagrams on the wire are the same as without GSO.
#pragma once

#include <sys/socket.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace switchboard::rtc {

/// Datagrams [first, first + count) sent as one message, cut every segment_size bytes.
struct SegmentRun {
    std::size_t first = 0;
    std::size_t count = 0;
    std::size_t segment_size = 0;
    bool operator==(const SegmentRun&) const = default;
};

/// Splits `datagrams` into runs in order: in each, every datagram but the last has the
/// run's size and the last no more (the kernel cuts at segment_size and the rest is the
/// last datagram); at most max_segments datagrams and max_bytes in all. An empty datagram
/// is a run of its own.
std::vector<SegmentRun> segment_runs(std::span<const std::span<const std::uint8_t>> datagrams,
                                     std::size_t max_segments = 64, std::size_t max_bytes = 65000);

/// One per socket. Thread-safe as sendmmsg() is; GSO turns off for good, and the batch goes
/// out without it, the first time the kernel refuses it (EIO: a device that cannot
/// checksum; EINVAL: no UDP_SEGMENT).
class UdpBatchSender {
public:
    /// How many of `datagrams` went out, in order; stops at the first the socket refuses
    /// (a full send buffer: it never blocks).
    std::size_t send(int fd, const sockaddr* peer, socklen_t peer_len,
                     std::span<const std::span<const std::uint8_t>> datagrams);
    bool uses_gso() const noexcept { return m_gso.load(std::memory_order_relaxed); }

private:
    std::size_t send_plain(int fd, const sockaddr* peer, socklen_t peer_len,
                           std::span<const std::span<const std::uint8_t>> datagrams);
    std::atomic<bool> m_gso{true};
};

}  // namespace switchboard::rtc
