/// \file srtp_keys.hpp
/// \brief SRTP protection profiles and the keys DTLS-SRTP exports for them (RFC 5764
/// §4.1.2, RFC 7714 §14.2).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace switchboard::rtc {

enum class SrtpProfile {
    aes128_cm_sha1_80,  ///< SRTP_AES128_CM_HMAC_SHA1_80: every WebRTC peer has it
    aead_aes_128_gcm,   ///< SRTP_AEAD_AES_128_GCM: cheaper with OpenSSL's AES-NI GCM
};

/// Master key and salt lengths in bytes.
inline constexpr std::size_t srtp_key_length(SrtpProfile) noexcept {
    return 16;
}
inline constexpr std::size_t srtp_salt_length(SrtpProfile p) noexcept {
    return p == SrtpProfile::aead_aes_128_gcm ? 12 : 14;
}

inline constexpr std::string_view to_string(SrtpProfile p) noexcept {
    return p == SrtpProfile::aead_aes_128_gcm ? "SRTP_AEAD_AES_128_GCM" : "SRTP_AES128_CM_SHA1_80";
}

/// What one side uses: its own key+salt to protect what it sends, the peer's to
/// unprotect what it receives. Each is key || salt.
struct SrtpKeys {
    SrtpProfile profile = SrtpProfile::aes128_cm_sha1_80;
    std::vector<std::uint8_t> local;
    std::vector<std::uint8_t> remote;
};

}  // namespace switchboard::rtc
