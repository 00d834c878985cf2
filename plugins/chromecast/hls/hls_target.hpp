/// \file hls_target.hpp
/// \brief The request targets the HLS server answers, parsed:
///   /hls/<token>/index.m3u8                     multivariant playlist
///   /hls/<token>/media.m3u8[?_HLS_msn=M[&_HLS_part=P]]   media playlist, maybe blocking
///   /hls/<token>/init.mp4 | seg<M>.m4s | part<M>.<P>.m4s
/// The delivery directives are RFC 8216bis §6.2.5: _HLS_part without _HLS_msn is a bad
/// request (§6.2.5.2), as is a value that is not a decimal integer; _HLS_skip is read
/// and checked but the server never skips. Unknown query parameters are ignored (a
/// player may add a cache buster). Bytes from the network: never throws
/// (tests/fuzz/chromecast_hls_target_fuzz.cpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace switchboard::hls {

struct HlsTarget {
    enum class Resource { multivariant, media_playlist, init, segment, part };
    std::string token;
    Resource resource = Resource::multivariant;
    std::uint64_t msn = 0;    ///< segment and part
    std::uint32_t index = 0;  ///< part
    /// Blocking reload (media playlist only): wait for segment block_msn, or for its
    /// part block_part.
    std::optional<std::uint64_t> block_msn;
    std::optional<std::uint32_t> block_part;
};

struct TargetParse {
    enum class Status { ok, not_found, bad_request };
    Status status = Status::not_found;
    HlsTarget target;
    std::string reason;  ///< why not ok, for the response body and the log
};

/// The path prefix every target starts with.
inline constexpr std::string_view hls_path_prefix = "/hls/";

/// Parses an origin-form request target ("/hls/abc/media.m3u8?_HLS_msn=3").
TargetParse parse_hls_target(std::string_view target);

/// True for a token we would mint: 1 to 128 of [A-Za-z0-9_-].
bool valid_token(std::string_view token) noexcept;

}  // namespace switchboard::hls
