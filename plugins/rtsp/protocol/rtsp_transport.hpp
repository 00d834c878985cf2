/// \file rtsp_transport.hpp
/// \brief The Transport and Session headers of SETUP (RFC 2326 §12.39, §12.37): what we
/// ask for (RTP over the RTSP connection, or UDP to our ports) and what the camera grants
/// (its channels or ports, its SSRC), and the session id with its timeout, which sets
/// how often the session must be kept alive.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <switchboard/errors.hpp>

namespace switchboard::rtsp {

/// A transport asked for or granted.
struct TransportSpec {
    enum class Lower { tcp, udp };
    Lower lower = Lower::tcp;
    /// TCP: the interleaved channels for RTP and RTCP.
    std::uint8_t rtp_channel = 0;
    std::uint8_t rtcp_channel = 1;
    /// UDP: our ports (client_port) and the camera's (server_port).
    std::uint16_t client_rtp_port = 0;
    std::uint16_t client_rtcp_port = 0;
    std::uint16_t server_rtp_port = 0;
    std::uint16_t server_rtcp_port = 0;
    std::optional<std::uint32_t> ssrc;  ///< the camera's, when it says

    /// The header value of a request: "RTP/AVP/TCP;unicast;interleaved=0-1" or
    /// "RTP/AVP;unicast;client_port=5000-5001".
    std::string request_header() const;
};

/// Reads the Transport header of a SETUP answer. Error::invalid when it is not unicast
/// RTP/AVP, or lacks the channels (TCP) or server ports (UDP).
Result<TransportSpec> parse_transport(std::string_view header);

struct SessionHeader {
    std::string id;
    /// How long the camera keeps a silent session (60 s when it does not say).
    std::chrono::seconds timeout{60};
};

/// Reads "12345678;timeout=30". Error::invalid for an empty id.
Result<SessionHeader> parse_session(std::string_view header);

}  // namespace switchboard::rtsp
