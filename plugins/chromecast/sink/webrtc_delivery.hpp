/// \file webrtc_delivery.hpp
/// \brief The webrtc mode's server: the TV page at /tv and WHEP at /whep, on one HTTP
/// listener the TV reaches, admitting only the token of the call being shown.
///
/// A call gets a fresh 128-bit token when it starts (open_call); the TV page's URL carries
/// it, the page sends it as its WHEP bearer token, and it stops working when the call
/// ends (close_call ends the WHEP sessions too). Without a call nothing is admitted.
/// The WHEP sessions send what feeds the sink's inputs (the station's far side).
///
/// Runs on the io executor only (SessionService and core/http require it).
#pragma once

#include <memory>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <switchboard/call.hpp>
#include <switchboard/log.hpp>

namespace switchboard::http {
class HttpServer;
}  // namespace switchboard::http

namespace switchboard::whep {
class SessionService;
}  // namespace switchboard::whep

namespace switchboard::chromecast {

class WebrtcDelivery {
public:
    WebrtcDelivery(boost::asio::any_io_executor io, CallHost& calls, CallMedia media, std::shared_ptr<Logger> log);
    ~WebrtcDelivery();
    WebrtcDelivery(const WebrtcDelivery&) = delete;
    WebrtcDelivery& operator=(const WebrtcDelivery&) = delete;

    /// Binds and listens; the bound endpoint (port 0 picks one).
    Result<boost::asio::ip::tcp::endpoint> listen(const boost::asio::ip::tcp::endpoint& endpoint);
    /// Admits a new token for `call_id` (the previous call's ends) and returns the TV
    /// page's path and query: "/tv?token=<hex>".
    std::string open_call(const std::string& call_id);
    /// The token stops working; the TV's sessions end.
    void close_call();
    void close() noexcept;

private:
    struct Admission;
    boost::asio::any_io_executor m_io;
    std::shared_ptr<Logger> m_log;
    std::shared_ptr<Admission> m_admission;
    std::shared_ptr<whep::SessionService> m_service;
    std::shared_ptr<http::HttpServer> m_server;
};

}  // namespace switchboard::chromecast
