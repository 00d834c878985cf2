/// \file cast_frame.hpp
/// \brief CASTV2 framing: each message on the TLS stream is a 4-byte big-endian length
/// followed by that many bytes of serialized CastMessage (protobuf), at most 64 KiB.
///
/// The reader takes what a receiver sends, so it trusts nothing: a length over the limit
/// is refused as soon as its 4 bytes arrive (nothing that large is ever buffered), a body
/// that is not a complete CastMessage is refused, and bytes left over when the connection
/// ends are a truncated frame. Every refusal is an Error saying what and where; the
/// reader never throws and, once failed, stays failed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <switchboard/errors.hpp>

#include "chromecast/cast/cast_message.hpp"

namespace switchboard::chromecast {

/// The largest serialized CastMessage a frame may carry (the Cast platform's limit).
inline constexpr std::size_t max_cast_message_bytes = 64 * 1024;

/// The frame for `message`: length prefix and serialized envelope. Invalid when the
/// message would exceed max_cast_message_bytes (a receiver would drop the connection).
Result<std::string> encode_frame(const CastMessage& message);

/// Decodes one frame's body (the bytes after the length prefix); never throws.
Result<CastMessage> decode_cast_message(std::span<const std::uint8_t> body);

/// Splits a connection's bytes into messages, across reads of any size.
class CastFrameReader {
public:
    /// Takes the next bytes and appends every message they complete to `out`. An Error
    /// (the stream cannot be read any further) leaves in `out` what came before it.
    Result<void> feed(std::span<const std::uint8_t> bytes, std::vector<CastMessage>& out);
    /// The connection ended: an Error if a frame was left incomplete.
    Result<void> finish() const;
    /// Bytes held for a frame not yet complete.
    std::size_t buffered() const noexcept { return m_buffer.size(); }

private:
    std::vector<std::uint8_t> m_buffer;
    std::size_t m_frames = 0;        ///< frames read so far, for the errors' context
    std::optional<Error> m_failure;  ///< set once: every later feed() repeats it
};

}  // namespace switchboard::chromecast
