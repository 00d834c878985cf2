/// \file udp_ports.hpp
/// \brief RTP over UDP for one track (RFC 2326 §12.39 client_port): an even port for RTP
/// and the next one for RTCP, on the address our RTSP connection uses, so the camera
/// sends to the interface that faces it.
///
/// Only datagrams from the camera's address are taken (anyone on the LAN could aim
/// packets at the ports); our receiver reports go to its RTCP port once SETUP said
/// which. Runs on one serial executor; close() ends the receive loops, after which no
/// handler is called.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/udp.hpp>

#include <switchboard/errors.hpp>

namespace switchboard::rtsp {

class UdpPorts : public std::enable_shared_from_this<UdpPorts> {
public:
    /// A datagram from the camera: `rtcp` false for the RTP port.
    using Handler = std::function<void(bool rtcp, std::span<const std::uint8_t> datagram)>;

    /// Binds a free even/odd pair on `local`; Error::unavailable when none can be had.
    static Result<std::shared_ptr<UdpPorts>> open(boost::asio::any_io_executor executor,
                                                  const boost::asio::ip::address& local);
    ~UdpPorts();
    UdpPorts(const UdpPorts&) = delete;
    UdpPorts& operator=(const UdpPorts&) = delete;

    std::uint16_t rtp_port() const noexcept { return m_rtp_port; }
    std::uint16_t rtcp_port() const noexcept { return std::uint16_t(m_rtp_port + 1); }

    /// Starts receiving from `camera` (the RTSP connection's peer); its RTCP port for
    /// send_rtcp().
    void start(const boost::asio::ip::address& camera, std::uint16_t camera_rtcp_port, Handler handler);
    void send_rtcp(std::span<const std::uint8_t> packet);
    void close() noexcept;

private:
    explicit UdpPorts(boost::asio::any_io_executor executor);
    void receive(bool rtcp);

    boost::asio::ip::udp::socket m_rtp;
    boost::asio::ip::udp::socket m_rtcp;
    std::uint16_t m_rtp_port = 0;
    boost::asio::ip::address m_camera;
    std::optional<boost::asio::ip::udp::endpoint> m_camera_rtcp;
    Handler m_handler;
    std::array<std::array<std::uint8_t, 65536>, 2> m_buffers{};
    std::array<boost::asio::ip::udp::endpoint, 2> m_senders;
    bool m_closed = false;
};

}  // namespace switchboard::rtsp
