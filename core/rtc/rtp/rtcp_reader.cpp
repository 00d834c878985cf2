#include "rtc/rtp/rtcp_reader.hpp"

#include "rtc/rtp/byte_io.hpp"

namespace switchboard::rtc::rtp {

std::string_view to_string(RtcpParseError e) noexcept {
    switch (e) {
        case RtcpParseError::none:
            return "none";
        case RtcpParseError::too_short:
            return "shorter than an RTCP header";
        case RtcpParseError::bad_version:
            return "RTCP version is not 2";
        case RtcpParseError::truncated:
            return "RTCP length overruns the datagram";
        case RtcpParseError::bad_padding:
            return "invalid RTCP padding count";
    }
    return "?";
}

std::optional<RtcpPacketView> RtcpReader::next() noexcept {
    if (m_rest.empty() || m_error != RtcpParseError::none) return std::nullopt;
    const auto fail = [this](RtcpParseError e) {
        m_error = e;
        m_rest = {};
        return std::nullopt;
    };
    if (m_rest.size() < 4) return fail(RtcpParseError::too_short);
    const std::uint8_t* p = m_rest.data();
    if ((p[0] >> 6) != 2) return fail(RtcpParseError::bad_version);
    const std::size_t total = 4 * (std::size_t(load_be16(p + 2)) + 1);
    if (total > m_rest.size()) return fail(RtcpParseError::truncated);
    std::size_t body_end = total;
    if (p[0] & 0x20) {  // padding: the last octet counts it (RFC 3550 §6.4.1)
        const std::uint8_t pad = p[total - 1];
        if (pad == 0 || pad > total - 4) return fail(RtcpParseError::bad_padding);
        body_end -= pad;
    }
    RtcpPacketView v;
    v.count = p[0] & 0x1f;
    v.type = p[1];
    v.body = m_rest.subspan(4, body_end - 4);
    v.bytes = m_rest.first(total);
    m_rest = m_rest.subspan(total);
    return v;
}

std::optional<std::vector<RtcpPacketView>> RtcpReader::read_all(std::span<const std::uint8_t> datagram) {
    RtcpReader r(datagram);
    std::vector<RtcpPacketView> out;
    while (auto v = r.next()) out.push_back(*v);
    if (r.error() != RtcpParseError::none || out.empty()) return std::nullopt;
    return out;
}

void write_rtcp_header(std::vector<std::uint8_t>& out, std::uint8_t count, std::uint8_t type, std::size_t body_size) {
    const std::size_t at = out.size();
    out.resize(at + 4);
    out[at] = std::uint8_t(0x80 | (count & 0x1f));
    out[at + 1] = type;
    store_be16(out.data() + at + 2, std::uint16_t(body_size / 4));  // (4 + body) / 4 - 1
}

}  // namespace switchboard::rtc::rtp
