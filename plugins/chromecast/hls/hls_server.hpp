/// \file hls_server.hpp
/// \brief Serves HLS streams over HTTP (core/http's server, as whep does), one per
/// path token: /hls/<token>/index.m3u8, media.m3u8 (with blocking reload), init.mp4,
/// seg<M>.m4s, part<M>.<P>.m4s.
///
/// For a Chromecast: its Default Media Receiver fetches from its own origin, so every
/// answer carries Access-Control-Allow-Origin: * and OPTIONS preflights are answered.
/// An unknown token is a 404, like any path we do not serve: the token is what keeps
/// the rest of the LAN from watching. Playlists are not cached (they change every part);
/// parts, segments and the init segment never change once served, so caches may keep
/// them. A request for the part the preload hint names, or for the segment in progress,
/// waits for it like a blocking playlist reload.
///
/// A plain (not low-latency) stream (PlaylistSettings::low_latency false) is served as
/// ordinary HLS: no parts (404), and _HLS_msn/_HLS_part are ignored, the playlist
/// answered at once: a client may send them only to a server that says
/// CAN-BLOCK-RELOAD=YES (RFC 8216bis §6.2.5.2), so a server without blocking reload
/// answers as a static file server would. Only the first playlist, multivariant or init
/// request waits, for the first segment (so no player sees an empty playlist).
///
/// Runs on the io executor only, which must be serial (as core/http requires).
#pragma once

#include <map>
#include <memory>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <switchboard/errors.hpp>
#include <switchboard/log.hpp>

#include "hls/hls_stream.hpp"
#include "hls/hls_target.hpp"

namespace switchboard::http {
class HttpServer;
}  // namespace switchboard::http

namespace switchboard::hls {

class HlsServer {
public:
    HlsServer(boost::asio::any_io_executor io, std::shared_ptr<Logger> log);
    ~HlsServer();
    HlsServer(const HlsServer&) = delete;
    HlsServer& operator=(const HlsServer&) = delete;

    /// Binds and listens (a port in use is an error now); returns the bound endpoint.
    Result<boost::asio::ip::tcp::endpoint> listen(const boost::asio::ip::tcp::endpoint& endpoint);
    /// Serves `stream` under /hls/<token>/. invalid for a malformed or taken token.
    Result<void> add_stream(const std::string& token, std::shared_ptr<HlsStream> stream);
    /// Stops serving the stream; its waiting requests end with 404.
    void remove_stream(const std::string& token);
    /// Closes the listener, every connection and every stream's waiting requests.
    void close() noexcept;

private:
    struct State;
    std::shared_ptr<State> m_state;
    std::shared_ptr<http::HttpServer> m_server;
};

}  // namespace switchboard::hls
