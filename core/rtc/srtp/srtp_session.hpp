/// \file srtp_session.hpp
/// \brief SRTP and SRTCP protection for one peer connection (libsrtp2), from the keys
/// DTLS-SRTP exported.
///
/// One libsrtp session protects what we send with our key, another unprotects what we
/// receive with the peer's, for any SSRC. Replay protection is libsrtp's, with a window
/// wide enough for video bursts reordered on the network; resending a packet we already
/// protected (a NACK answered without RTX) is allowed. Protection happens in place: the
/// buffer must have srtp_max_trailer bytes free after the packet.
///
/// Not thread-safe: one session belongs to one connection's strand.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include <switchboard/errors.hpp>

#include "rtc/srtp/srtp_keys.hpp"

namespace switchboard::rtc {

/// Room protection needs after a packet (auth tag, SRTCP index, MKI).
inline constexpr std::size_t srtp_max_trailer = 144;

class SrtpSession {
public:
    static Result<std::unique_ptr<SrtpSession>> create(const SrtpKeys& keys);
    ~SrtpSession();
    SrtpSession(const SrtpSession&) = delete;
    SrtpSession& operator=(const SrtpSession&) = delete;

    /// Protects the RTP packet in `buffer[0, length)`; returns the new length.
    /// `buffer.size()` must be at least length + srtp_max_trailer.
    Result<std::size_t> protect_rtp(std::span<std::uint8_t> buffer, std::size_t length);
    Result<std::size_t> protect_rtcp(std::span<std::uint8_t> buffer, std::size_t length);
    /// Authenticates and decrypts in place; returns the plain length. Fails on a bad
    /// tag, a replay, or garbage, with a reason.
    Result<std::size_t> unprotect_rtp(std::span<std::uint8_t> buffer, std::size_t length);
    Result<std::size_t> unprotect_rtcp(std::span<std::uint8_t> buffer, std::size_t length);

    SrtpProfile profile() const noexcept { return m_profile; }

private:
    struct Sessions;
    SrtpSession(SrtpProfile profile, std::unique_ptr<Sessions> sessions);

    SrtpProfile m_profile;
    std::unique_ptr<Sessions> m_sessions;
};

}  // namespace switchboard::rtc
