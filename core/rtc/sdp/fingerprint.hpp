/// \file fingerprint.hpp
/// \brief a=fingerprint (RFC 8122 §5): the hash of the peer's DTLS certificate.
///
/// The DTLS layer compares the bytes with the certificate it sees (a mismatch ends the
/// call), so they are kept as bytes, not text.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace switchboard::rtc::sdp {

struct Fingerprint {
    std::string algorithm;  ///< lower case: "sha-256"
    std::vector<std::uint8_t> bytes;

    /// "sha-256 AB:CD:...": hex pairs (either case) joined by colons, 1 to 64 bytes.
    static std::optional<Fingerprint> parse(std::string_view value);
    /// Upper-case hex, as browsers write it.
    std::string to_string() const;

    friend bool operator==(const Fingerprint&, const Fingerprint&) = default;
};

}  // namespace switchboard::rtc::sdp
