#include "chromecast/cast/cast_frame.hpp"

#include <algorithm>

#include "chromecast/cast/cast_channel.pb.h"

namespace switchboard::chromecast {

namespace wire = switchboard::castv2::wire;

namespace {

constexpr std::size_t prefix_bytes = 4;

std::uint32_t read_be32(const std::uint8_t* p) {
    return std::uint32_t(p[0]) << 24 | std::uint32_t(p[1]) << 16 | std::uint32_t(p[2]) << 8 | std::uint32_t(p[3]);
}

}  // namespace

Result<std::string> encode_frame(const CastMessage& message) {
    wire::CastMessage m;
    m.set_protocol_version(wire::CastMessage::CASTV2_1_0);
    m.set_source_id(message.source_id);
    m.set_destination_id(message.destination_id);
    m.set_namespace_(message.name_space);
    if (const auto* text = std::get_if<std::string>(&message.payload)) {
        m.set_payload_type(wire::CastMessage::STRING);
        m.set_payload_utf8(*text);
    } else {
        const auto& binary = std::get<CastMessage::Binary>(message.payload);
        m.set_payload_type(wire::CastMessage::BINARY);
        m.set_payload_binary(binary.data(), binary.size());
    }
    const std::size_t size = m.ByteSizeLong();
    if (size > max_cast_message_bytes)
        return Error::invalid("CASTV2 message on " + message.name_space + " is " + std::to_string(size) +
                              " bytes, over the " + std::to_string(max_cast_message_bytes) + "-byte limit");
    std::string frame(prefix_bytes + size, '\0');
    frame[0] = char(size >> 24);
    frame[1] = char(size >> 16);
    frame[2] = char(size >> 8);
    frame[3] = char(size);
    if (!m.SerializeToArray(frame.data() + prefix_bytes, int(size)))
        return Error::runtime("CASTV2 message on " + message.name_space + " could not be serialized");
    return frame;
}

Result<CastMessage> decode_cast_message(std::span<const std::uint8_t> body) {
    if (body.size() > max_cast_message_bytes)
        return Error::invalid("CASTV2 message of " + std::to_string(body.size()) + " bytes is over the limit");
    wire::CastMessage m;
    // Partial, then IsInitialized(): the same check as ParseFromArray without the line
    // protobuf would log for a missing required field (the receiver's input is not ours
    // to print). Lite messages cannot say which field, so the error names both causes.
    if (!m.ParsePartialFromArray(body.data(), int(body.size())) || !m.IsInitialized())
        return Error::invalid("CASTV2 frame of " + std::to_string(body.size()) +
                              " bytes is not a CastMessage (bad protobuf or a required field missing)");
    if (m.protocol_version() != wire::CastMessage::CASTV2_1_0)
        return Error::invalid("CASTV2 message on " + m.namespace_() + ": unknown protocol version " +
                              std::to_string(int(m.protocol_version())));
    CastMessage out;
    out.source_id = m.source_id();
    out.destination_id = m.destination_id();
    out.name_space = m.namespace_();
    if (m.payload_type() == wire::CastMessage::STRING) {
        if (!m.has_payload_utf8())
            return Error::invalid("CASTV2 message on " + out.name_space + ": payload_type STRING without payload_utf8");
        out.payload = m.payload_utf8();
    } else {
        if (!m.has_payload_binary())
            return Error::invalid("CASTV2 message on " + out.name_space +
                                  ": payload_type BINARY without payload_binary");
        const auto& b = m.payload_binary();
        out.payload = CastMessage::Binary(b.begin(), b.end());
    }
    return out;
}

Result<void> CastFrameReader::feed(std::span<const std::uint8_t> bytes, std::vector<CastMessage>& out) {
    if (m_failure) return *m_failure;
    m_buffer.insert(m_buffer.end(), bytes.begin(), bytes.end());
    std::size_t at = 0;
    Result<void> result;
    while (m_buffer.size() - at >= prefix_bytes) {
        const std::uint32_t length = read_be32(m_buffer.data() + at);
        // Refused on the prefix alone: a hostile length must not make us wait for (and
        // buffer) gigabytes.
        if (length > max_cast_message_bytes) {
            result =
                Error::invalid("CASTV2 frame " + std::to_string(m_frames + 1) + " announces " + std::to_string(length) +
                               " bytes, over the " + std::to_string(max_cast_message_bytes) + "-byte limit");
            break;
        }
        if (m_buffer.size() - at - prefix_bytes < length) break;
        auto message = decode_cast_message({m_buffer.data() + at + prefix_bytes, length});
        if (!message) {
            result = Error::invalid("CASTV2 frame " + std::to_string(m_frames + 1) + ": " + message.error().message);
            break;
        }
        out.push_back(std::move(message).value());
        ++m_frames;
        at += prefix_bytes + length;
    }
    if (!result) {
        m_failure = result.error();
        m_buffer.clear();
        return result;
    }
    m_buffer.erase(m_buffer.begin(), m_buffer.begin() + std::ptrdiff_t(at));
    return result;
}

Result<void> CastFrameReader::finish() const {
    if (m_failure) return *m_failure;
    if (m_buffer.empty()) return {};
    if (m_buffer.size() < prefix_bytes)
        return Error::invalid("CASTV2 stream ended inside frame " + std::to_string(m_frames + 1) + "'s length (" +
                              std::to_string(m_buffer.size()) + " of 4 bytes)");
    return Error::invalid("CASTV2 stream ended inside frame " + std::to_string(m_frames + 1) + " (" +
                          std::to_string(m_buffer.size() - prefix_bytes) + " of " +
                          std::to_string(read_be32(m_buffer.data())) + " bytes)");
}

}  // namespace switchboard::chromecast
