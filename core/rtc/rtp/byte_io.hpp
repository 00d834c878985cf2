/// \file byte_io.hpp
/// \brief Big-endian (network order) loads and stores shared by the RTP/RTCP code.
///
/// Free functions on raw pointers: callers have already checked the bounds, so these stay
/// branch-free and cannot throw.
#pragma once

#include <cstdint>

namespace switchboard::rtc::rtp {

inline std::uint16_t load_be16(const std::uint8_t* p) noexcept {
    return std::uint16_t((p[0] << 8) | p[1]);
}
inline std::uint32_t load_be24(const std::uint8_t* p) noexcept {
    return (std::uint32_t(p[0]) << 16) | (std::uint32_t(p[1]) << 8) | p[2];
}
inline std::uint32_t load_be32(const std::uint8_t* p) noexcept {
    return (std::uint32_t(p[0]) << 24) | (std::uint32_t(p[1]) << 16) | (std::uint32_t(p[2]) << 8) | p[3];
}
inline void store_be16(std::uint8_t* p, std::uint16_t v) noexcept {
    p[0] = std::uint8_t(v >> 8);
    p[1] = std::uint8_t(v);
}
inline void store_be24(std::uint8_t* p, std::uint32_t v) noexcept {
    p[0] = std::uint8_t(v >> 16);
    p[1] = std::uint8_t(v >> 8);
    p[2] = std::uint8_t(v);
}
inline void store_be32(std::uint8_t* p, std::uint32_t v) noexcept {
    p[0] = std::uint8_t(v >> 24);
    p[1] = std::uint8_t(v >> 16);
    p[2] = std::uint8_t(v >> 8);
    p[3] = std::uint8_t(v);
}

}  // namespace switchboard::rtc::rtp
