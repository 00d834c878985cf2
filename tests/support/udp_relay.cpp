#include "support/udp_relay.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <sstream>
#include <stdexcept>

#include "rtc/rtp/packet_demux.hpp"
#include "rtc/rtp/rtp_packet.hpp"
#include "rtc/rtp/vp8_payload_descriptor.hpp"
#include "rtc/srtp/srtp_key_log.hpp"
#include "rtc/srtp/srtp_session.hpp"

namespace switchboard::test {

namespace {

int bind_loopback(std::uint16_t& port) {
    const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) throw std::runtime_error(std::string("udp relay: socket: ") + std::strerror(errno));
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
        const std::string err = std::strerror(errno);
        ::close(fd);
        throw std::runtime_error("udp relay: bind 127.0.0.1: " + err);
    }
    // Room for a burst of video while the thread is scheduled out.
    const int size = 4 << 20;
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
    port = ntohs(a.sin_port);
    return fd;
}

void send_to(int fd, std::uint16_t port, const std::vector<std::uint8_t>& d) {
    if (!port) return;
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(port);
    ::sendto(fd, d.data(), d.size(), 0, reinterpret_cast<sockaddr*>(&a), sizeof a);
}

}  // namespace

UdpRelay::UdpRelay() {
    m_peer_fd = bind_loopback(m_peer_port);
    m_gateway_fd = bind_loopback(m_gateway_port);
    if (::pipe2(m_wake, O_CLOEXEC | O_NONBLOCK) != 0) throw std::runtime_error("udp relay: pipe failed");
    m_thread = std::thread([this] { run(); });
}

UdpRelay::~UdpRelay() {
    m_stop = true;
    const char c = 0;
    (void)!::write(m_wake[1], &c, 1);
    if (m_thread.joinable()) m_thread.join();
    for (int fd : {m_peer_fd, m_gateway_fd, m_wake[0], m_wake[1]})
        if (fd >= 0) ::close(fd);
}

std::string UdpRelay::rewrite_candidates(const std::string& sdp, bool from_gateway) {
    std::istringstream in(sdp);
    std::string out;
    bool replaced = false;
    for (std::string line; std::getline(in, line);) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.starts_with("a=candidate:")) {
            // a=candidate:<foundation> <component> <transport> <priority> <address> <port> typ <type>
            std::istringstream f(line);
            std::string foundation, component, transport, priority, address, port, typ, type;
            f >> foundation >> component >> transport >> priority >> address >> port >> typ >> type;
            const bool usable = (transport == "udp" || transport == "UDP") && address == "127.0.0.1" && type == "host";
            if (!usable || replaced) continue;
            {
                std::lock_guard lock(m_mutex);
                (from_gateway ? m_real_gateway_port : m_real_peer_port) = std::uint16_t(std::stoi(port));
            }
            const std::uint16_t relay = from_gateway ? m_peer_port : m_gateway_port;
            line = foundation + " " + component + " " + transport + " " + priority + " 127.0.0.1 " +
                   std::to_string(relay) + " typ host";
            replaced = true;
        }
        out += line + "\r\n";
    }
    return out;
}

void UdpRelay::set_loss_percent(double percent) {
    std::lock_guard lock(m_mutex);
    m_loss_percent = percent;
}

bool UdpRelay::drop_next_keyframe(const std::string& srtp_key_log_path) {
    auto entry = rtc::read_last_srtp_key_log_entry(srtp_key_log_path);
    if (!entry) return false;
    // We read what the gateway protected: its tx key is our "remote" key.
    auto srtp = rtc::SrtpSession::create({entry->keys.profile, entry->keys.remote, entry->keys.local});
    if (!srtp) return false;
    std::lock_guard lock(m_mutex);
    m_srtp = std::move(srtp.value());
    m_keyframe_armed = true;
    return true;
}

std::optional<std::chrono::steady_clock::time_point> UdpRelay::keyframe_dropped_at() const {
    std::lock_guard lock(m_mutex);
    return m_keyframe_dropped_at;
}

void UdpRelay::set_bandwidth(std::uint64_t bps, std::chrono::milliseconds max_queue_delay) {
    std::lock_guard lock(m_mutex);
    m_bps = bps;
    m_max_queue_delay = max_queue_delay;
}

UdpRelay::Counters UdpRelay::counters() const {
    std::lock_guard lock(m_mutex);
    return m_counters;
}

void UdpRelay::run() {
    std::vector<std::uint8_t> buf(65536);
    while (!m_stop) {
        int timeout_ms = 100;
        {
            std::lock_guard lock(m_mutex);
            const auto now = std::chrono::steady_clock::now();
            while (!m_queue.empty() && m_queue.front().departure <= now) {
                send_to_peer(m_queue.front().bytes);
                m_queue.erase(m_queue.begin());
            }
            if (!m_queue.empty())
                timeout_ms = int(std::chrono::duration_cast<std::chrono::milliseconds>(m_queue.front().departure - now)
                                     .count()) +
                             1;
        }
        pollfd fds[3] = {{m_peer_fd, POLLIN, 0}, {m_gateway_fd, POLLIN, 0}, {m_wake[0], POLLIN, 0}};
        if (::poll(fds, 3, timeout_ms) < 0 && errno != EINTR) return;
        for (int i = 0; i < 2; ++i) {
            if (!(fds[i].revents & POLLIN)) continue;
            for (;;) {
                sockaddr_in from{};
                socklen_t len = sizeof from;
                const auto n =
                    ::recvfrom(fds[i].fd, buf.data(), buf.size(), 0, reinterpret_cast<sockaddr*>(&from), &len);
                if (n < 0) break;
                std::vector<std::uint8_t> d(buf.begin(), buf.begin() + n);
                std::lock_guard lock(m_mutex);
                if (i == 0) {
                    // A NAT learns the inside address from what comes out of it.
                    m_real_peer_port = ntohs(from.sin_port);
                    send_to_gateway(d);
                } else {
                    from_gateway(std::move(d));
                }
            }
        }
    }
}

void UdpRelay::send_to_peer(const std::vector<std::uint8_t>& d) {
    send_to(m_peer_fd, m_real_peer_port, d);
    ++m_counters.to_peer;
}

void UdpRelay::send_to_gateway(const std::vector<std::uint8_t>& d) {
    send_to(m_gateway_fd, m_real_gateway_port, d);
    ++m_counters.to_gateway;
}

bool UdpRelay::is_chosen_keyframe(const std::vector<std::uint8_t>& d) {
    // The RTP header is in the clear (RFC 3711 §3.1): timestamp and payload type need no key.
    auto header = rtc::rtp::RtpPacket::parse(std::span<const std::uint8_t>(d));
    if (!header) return false;
    // The first RTP the gateway sends is media; RTX comes only after a NACK.
    if (!m_media_payload_type) m_media_payload_type = header.packet->payload_type();
    if (m_dropped_timestamps.count(header.packet->timestamp())) return true;
    if (!m_keyframe_armed || !m_srtp || header.packet->payload_type() != *m_media_payload_type) return false;
    std::vector<std::uint8_t> copy(d);
    auto n = m_srtp->unprotect_rtp(copy, copy.size());
    if (!n) return false;
    auto plain = rtc::rtp::RtpPacket::parse(std::span<const std::uint8_t>(copy.data(), n.value()));
    if (!plain) return false;
    const auto payload = plain.packet->payload();
    auto descriptor = rtc::rtp::Vp8PayloadDescriptor::parse(payload);
    if (!descriptor || !descriptor->start_of_partition || descriptor->partition_index != 0) return false;
    if (!rtc::rtp::Vp8PayloadDescriptor::is_keyframe(payload.subspan(descriptor->size))) return false;
    m_keyframe_armed = false;
    m_dropped_timestamps.insert(plain.packet->timestamp());
    m_keyframe_dropped_at = std::chrono::steady_clock::now();
    ++m_counters.keyframes_dropped;
    return true;
}

void UdpRelay::from_gateway(std::vector<std::uint8_t> d) {
    const auto kind = rtc::rtp::classify(d);
    const bool media = kind == rtc::rtp::PacketKind::rtp || kind == rtc::rtp::PacketKind::rtcp;
    if (!media) {
        send_to_peer(d);
        return;
    }
    if (kind == rtc::rtp::PacketKind::rtp && is_chosen_keyframe(d)) {
        ++m_counters.keyframe_dropped;
        return;
    }
    if (m_loss_percent > 0) {
        // xorshift64: cheap, and the same sequence every run.
        m_rng ^= m_rng << 13;
        m_rng ^= m_rng >> 7;
        m_rng ^= m_rng << 17;
        if (double(m_rng % 1000000) / 10000.0 < m_loss_percent) {
            ++m_counters.loss_dropped;
            return;
        }
    }
    if (m_bps == 0) {
        send_to_peer(d);
        return;
    }
    // The bottleneck serializes packets at m_bps; a packet that would wait longer than
    // the queue holds is dropped (tail drop).
    const auto now = std::chrono::steady_clock::now();
    const auto start = std::max(now, m_link_free);
    if (start - now > m_max_queue_delay) {
        ++m_counters.bandwidth_dropped;
        return;
    }
    const auto serialize = std::chrono::nanoseconds(std::int64_t(d.size() * 8 * 1'000'000'000ull / m_bps));
    m_link_free = start + serialize;
    std::uint64_t queued = d.size();
    for (const auto& q : m_queue) queued += q.bytes.size();
    m_counters.bandwidth_max_queue_bytes = std::max(m_counters.bandwidth_max_queue_bytes, queued);
    m_queue.push_back({m_link_free, std::move(d)});
}

}  // namespace switchboard::test
