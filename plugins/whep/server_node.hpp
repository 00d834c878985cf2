/// \file server_node.hpp
/// \brief whep.server: a signalling node that serves WHEP viewers and WHIP publishers.
///
/// Ports: inputs "video" and "audio" accept anything; a WHEP call sends what feeds them
/// (the host links the call to their upstream, so frames reaching this node itself are
/// ignored). Outputs "video" (VP8, H264 packetization-mode 1) and "audio" (Opus) are
/// negotiated: they carry what WHIP publishers send.
///
/// start() binds the listener (a port in use fails the start) and logs the viewer URL;
/// everything after runs on the io executor. stop() closes the listener and every
/// connection, and ends every session, which hangs up its call.
#pragma once

#include <memory>

#include <boost/asio/ip/tcp.hpp>

#include <switchboard/node.hpp>

#include "server_settings.hpp"

namespace switchboard::http {
class HttpServer;
}  // namespace switchboard::http

namespace switchboard::whep {

class SessionService;

class ServerNode final : public Node {
public:
    /// Input and output port indexes.
    static constexpr PortIndex video = 0;
    static constexpr PortIndex audio = 1;

    ServerNode(NodeContext& context, ServerSettings settings);
    ~ServerNode() override;

    std::vector<PortSpec> input_ports() const noexcept override;
    std::vector<PortSpec> output_ports() const noexcept override;
    Result<void> start() noexcept override;
    void stop() noexcept override;

    /// Where the server listens (the real port when the config asked for 0); valid
    /// after a successful start().
    boost::asio::ip::tcp::endpoint local_endpoint() const noexcept { return m_bound; }
    /// "http://127.0.0.1:8889/"; valid after a successful start().
    std::string viewer_url() const;

private:
    /// Closes the server and the sessions; on the io executor, or while nothing runs it.
    void shut_down() noexcept;

    NodeContext& m_ctx;
    ServerSettings m_settings;
    std::shared_ptr<SessionService> m_service;
    std::shared_ptr<http::HttpServer> m_server;
    boost::asio::ip::tcp::endpoint m_bound;
};

}  // namespace switchboard::whep
