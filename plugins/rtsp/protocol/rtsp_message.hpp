/// \file rtsp_message.hpp
/// \brief RTSP 1.0 messages (RFC 2326) on a TCP connection, and the RTP/RTCP packets
/// interleaved with them (§10.12: '$', channel, 16-bit length, packet).
///
/// The parser reads what a camera sends, so it trusts nothing: every length is bounded,
/// a malformed message is an Error that says what and where, and the caller closes the
/// connection. It never throws.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <switchboard/errors.hpp>

namespace switchboard::rtsp {

using Headers = std::vector<std::pair<std::string, std::string>>;

/// The first value of header `name` (case-insensitive), trimmed; nullopt when absent.
std::optional<std::string> find_header(const Headers& headers, std::string_view name);
/// Every value of header `name`, trimmed, in order (a camera may offer several
/// WWW-Authenticate challenges).
std::vector<std::string> find_headers(const Headers& headers, std::string_view name);

/// A request we send (or, rarely, one a server sends us: ANNOUNCE, SET_PARAMETER).
struct RtspRequest {
    std::string method;  ///< "DESCRIBE"
    std::string uri;     ///< "rtsp://host/path", or "*"
    Headers headers;
    std::string body;

    std::optional<std::string> header(std::string_view name) const { return find_header(headers, name); }
    /// The request as sent: request line, headers (with Content-Length when there is a
    /// body), blank line, body.
    std::string serialize() const;
};

struct RtspResponse {
    int status = 0;
    std::string reason;
    Headers headers;
    std::string body;

    std::optional<std::string> header(std::string_view name) const { return find_header(headers, name); }
    /// The CSeq header as a number; nullopt when absent or not a number.
    std::optional<std::uint32_t> cseq() const;
};

/// One RTP or RTCP packet interleaved on the connection.
struct InterleavedPacket {
    std::uint8_t channel = 0;
    std::vector<std::uint8_t> data;
};

using RtspItem = std::variant<RtspResponse, RtspRequest, InterleavedPacket>;

/// Splits a connection's bytes into responses, server requests and interleaved packets,
/// in order, across reads of any size.
class RtspStreamParser {
public:
    struct Limits {
        std::size_t max_head_bytes = 16 * 1024;  ///< start line plus headers
        std::size_t max_headers = 64;
        std::size_t max_body_bytes = 256 * 1024;  ///< an SDP is a few KiB
    };

    RtspStreamParser() = default;
    explicit RtspStreamParser(Limits limits) : m_limits(limits) {}

    /// Takes the next bytes and appends what they complete to `out`. An Error (the
    /// connection cannot be read any further) leaves `out` with what came before it.
    Result<void> feed(std::span<const std::uint8_t> bytes, std::vector<RtspItem>& out);
    /// Bytes held for an item not yet complete.
    std::size_t buffered() const noexcept { return m_buffer.size() - m_offset; }

private:
    /// Parses one item from the buffer; false when more bytes are needed.
    Result<bool> next(std::vector<RtspItem>& out);

    Limits m_limits;
    std::string m_buffer;
    std::size_t m_offset = 0;
    bool m_failed = false;
};

}  // namespace switchboard::rtsp
