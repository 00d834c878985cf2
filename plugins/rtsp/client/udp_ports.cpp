#include "rtsp/client/udp_ports.hpp"

#include <boost/asio/buffer.hpp>

namespace switchboard::rtsp {

namespace asio = boost::asio;
using asio::ip::udp;

namespace {
constexpr int bind_attempts = 64;
/// Room for a burst of a 1080p keyframe between two reads of a busy worker.
constexpr int receive_buffer_bytes = 2 * 1024 * 1024;
}  // namespace

UdpPorts::UdpPorts(asio::any_io_executor executor) : m_rtp(executor), m_rtcp(executor) {}

UdpPorts::~UdpPorts() {
    close();
}

Result<std::shared_ptr<UdpPorts>> UdpPorts::open(asio::any_io_executor executor, const asio::ip::address& local) {
    std::shared_ptr<UdpPorts> ports(new UdpPorts(executor));
    const auto protocol = local.is_v6() ? udp::v6() : udp::v4();
    boost::system::error_code ec;
    for (int i = 0; i < bind_attempts; ++i) {
        ports->m_rtp.close(ec);
        ports->m_rtcp.close(ec);
        ports->m_rtp.open(protocol, ec);
        if (ec) break;
        // Let the kernel pick, then try its neighbour: an even RTP port with RTCP at +1
        // is what RFC 3550 §11 asks for and some cameras assume.
        ports->m_rtp.bind(udp::endpoint(local, 0), ec);
        if (ec) break;
        const auto port = ports->m_rtp.local_endpoint(ec).port();
        if (ec || port % 2 != 0 || port == 65534) continue;
        ports->m_rtcp.open(protocol, ec);
        if (ec) break;
        ports->m_rtcp.bind(udp::endpoint(local, std::uint16_t(port + 1)), ec);
        if (ec) continue;
        ports->m_rtp_port = port;
        ports->m_rtp.set_option(asio::socket_base::receive_buffer_size(receive_buffer_bytes), ec);
        return ports;
    }
    return Error::unavailable("no free UDP port pair on " + local.to_string() +
                              (ec ? ": " + ec.message() : std::string()));
}

void UdpPorts::start(const asio::ip::address& camera, std::uint16_t camera_rtcp_port, Handler handler) {
    m_camera = camera;
    if (camera_rtcp_port) m_camera_rtcp = udp::endpoint(camera, camera_rtcp_port);
    m_handler = std::move(handler);
    receive(false);
    receive(true);
}

void UdpPorts::receive(bool rtcp) {
    auto& socket = rtcp ? m_rtcp : m_rtp;
    auto& buffer = m_buffers[rtcp];
    socket.async_receive_from(asio::buffer(buffer), m_senders[rtcp],
                              [self = shared_from_this(), rtcp](const boost::system::error_code& ec, std::size_t n) {
                                  if (self->m_closed || ec == asio::error::operation_aborted) return;
                                  // An ICMP port unreachable for our own RTCP shows up as an error
                                  // here; it says nothing about the camera's media, so read on.
                                  if (!ec && self->m_senders[rtcp].address() == self->m_camera && self->m_handler)
                                      self->m_handler(rtcp, {self->m_buffers[rtcp].data(), n});
                                  if (!self->m_closed) self->receive(rtcp);
                              });
}

void UdpPorts::send_rtcp(std::span<const std::uint8_t> packet) {
    if (m_closed || !m_camera_rtcp) return;
    boost::system::error_code ignored;
    // Best effort: a report that cannot leave now is replaced by the next one.
    m_rtcp.send_to(asio::buffer(packet.data(), packet.size()), *m_camera_rtcp, 0, ignored);
}

void UdpPorts::close() noexcept {
    m_closed = true;
    boost::system::error_code ignored;
    m_rtp.close(ignored);
    m_rtcp.close(ignored);
}

}  // namespace switchboard::rtsp
