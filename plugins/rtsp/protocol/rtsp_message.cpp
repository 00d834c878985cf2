// RTSP messages and interleaved packets; see rtsp_message.hpp.
#include "rtsp/protocol/rtsp_message.hpp"

#include <algorithm>

#include "rtsp/protocol/header_text.hpp"

namespace switchboard::rtsp {

namespace {

bool printable(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u >= 0x20 || c == '\t';
    });
}

Error bad(const std::string& what) {
    return Error::invalid("RTSP: " + what);
}

}  // namespace

std::optional<std::string> find_header(const Headers& headers, std::string_view name) {
    for (const auto& [key, value] : headers)
        if (iequals(key, name)) return std::string(trim(value));
    return std::nullopt;
}

std::vector<std::string> find_headers(const Headers& headers, std::string_view name) {
    std::vector<std::string> out;
    for (const auto& [key, value] : headers)
        if (iequals(key, name)) out.emplace_back(trim(value));
    return out;
}

std::string RtspRequest::serialize() const {
    std::string out = method + " " + uri + " RTSP/1.0\r\n";
    for (const auto& [key, value] : headers)
        if (!iequals(key, "Content-Length")) out += key + ": " + value + "\r\n";
    if (!body.empty()) out += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    out += "\r\n";
    out += body;
    return out;
}

std::optional<std::uint32_t> RtspResponse::cseq() const {
    auto value = header("CSeq");
    if (!value) return std::nullopt;
    return number<std::uint32_t>(*value);
}

Result<void> RtspStreamParser::feed(std::span<const std::uint8_t> bytes, std::vector<RtspItem>& out) {
    if (m_failed) return bad("the connection already sent something unreadable");
    // Keep the buffer from growing by what was already consumed.
    if (m_offset > 0 && m_offset >= m_buffer.size() / 2) {
        m_buffer.erase(0, m_offset);
        m_offset = 0;
    }
    m_buffer.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    for (;;) {
        auto more = next(out);
        if (!more) {
            m_failed = true;
            return more.error();
        }
        if (!more.value()) return {};
    }
}

Result<bool> RtspStreamParser::next(std::vector<RtspItem>& out) {
    const std::string_view data = std::string_view(m_buffer).substr(m_offset);
    if (data.empty()) return false;

    // §10.12: '$', a one-byte channel, a two-byte length, then the packet.
    if (data.front() == '$') {
        if (data.size() < 4) return false;
        const std::size_t length =
            (std::size_t(static_cast<unsigned char>(data[2])) << 8) | static_cast<unsigned char>(data[3]);
        if (data.size() < 4 + length) return false;
        InterleavedPacket packet;
        packet.channel = static_cast<std::uint8_t>(data[1]);
        packet.data.assign(data.begin() + 4, data.begin() + 4 + std::ptrdiff_t(length));
        out.emplace_back(std::move(packet));
        m_offset += 4 + length;
        return true;
    }

    const auto head_end = data.find("\r\n\r\n");
    if (head_end == std::string_view::npos) {
        // A start line is text: bytes that cannot begin one are refused now, not after
        // max_head_bytes more of them. The line as the full parse will see it: up to its
        // "\r\n", or what came so far less a last '\r' whose '\n' is still to come.
        const auto first_end = data.find("\r\n");
        std::string_view first = data.substr(0, first_end);
        if (first_end == std::string_view::npos && !first.empty() && first.back() == '\r') first.remove_suffix(1);
        if (!printable(first)) return bad("a start line with control characters");
        if (data.size() > m_limits.max_head_bytes)
            return bad("a message head longer than " + std::to_string(m_limits.max_head_bytes) + " bytes");
        return false;
    }
    if (head_end > m_limits.max_head_bytes)
        return bad("a message head longer than " + std::to_string(m_limits.max_head_bytes) + " bytes");
    const std::string_view head = data.substr(0, head_end);
    const auto line_end = head.find("\r\n");
    const std::string_view start = head.substr(0, line_end);
    if (!printable(start)) return bad("a start line with control characters");

    Headers headers;
    std::size_t content_length = 0;
    if (line_end != std::string_view::npos) {
        std::string_view rest = head.substr(line_end + 2);
        while (!rest.empty()) {
            const auto eol = rest.find("\r\n");
            const std::string_view line = rest.substr(0, eol);
            rest = eol == std::string_view::npos ? std::string_view() : rest.substr(eol + 2);
            if (line.empty()) continue;
            if (!printable(line)) return bad("a header with control characters");
            const auto colon = line.find(':');
            if (colon == std::string_view::npos || colon == 0)
                return bad("a header line without a name: \"" + std::string(line.substr(0, 80)) + "\"");
            if (headers.size() == m_limits.max_headers)
                return bad("more than " + std::to_string(m_limits.max_headers) + " headers");
            headers.emplace_back(std::string(trim(line.substr(0, colon))), std::string(trim(line.substr(colon + 1))));
        }
        if (auto length = find_header(headers, "Content-Length")) {
            auto n = number<std::size_t>(*length);
            if (!n) return bad("Content-Length \"" + *length + "\" is not a number");
            if (*n > m_limits.max_body_bytes)
                return bad("a body of " + *length + " bytes (at most " + std::to_string(m_limits.max_body_bytes) + ")");
            content_length = *n;
        }
    }
    const std::size_t total = head_end + 4 + content_length;
    if (data.size() < total) return false;
    std::string body(data.substr(head_end + 4, content_length));

    if (start.rfind("RTSP/", 0) == 0) {
        // "RTSP/1.0 200 OK"
        const auto sp1 = start.find(' ');
        if (sp1 == std::string_view::npos) return bad("a status line without a status: \"" + std::string(start) + "\"");
        const auto after = start.substr(sp1 + 1);
        const auto sp2 = after.find(' ');
        auto status = number<int>(after.substr(0, sp2));
        if (!status || *status < 100 || *status > 999)
            return bad("a status line without a status: \"" + std::string(start.substr(0, 80)) + "\"");
        RtspResponse response;
        response.status = *status;
        response.reason = sp2 == std::string_view::npos ? std::string() : std::string(trim(after.substr(sp2 + 1)));
        response.headers = std::move(headers);
        response.body = std::move(body);
        out.emplace_back(std::move(response));
    } else {
        // "SET_PARAMETER rtsp://... RTSP/1.0": a request from the server.
        const auto sp1 = start.find(' ');
        const auto sp2 = sp1 == std::string_view::npos ? sp1 : start.find(' ', sp1 + 1);
        if (sp2 == std::string_view::npos || start.substr(sp2 + 1).rfind("RTSP/", 0) != 0)
            return bad("neither a response nor a request: \"" + std::string(start.substr(0, 80)) + "\"");
        RtspRequest request;
        request.method = std::string(start.substr(0, sp1));
        request.uri = std::string(start.substr(sp1 + 1, sp2 - sp1 - 1));
        request.headers = std::move(headers);
        request.body = std::move(body);
        out.emplace_back(std::move(request));
    }
    m_offset += total;
    return true;
}

}  // namespace switchboard::rtsp
