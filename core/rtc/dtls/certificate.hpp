/// \file certificate.hpp
/// \brief The DTLS identity of a peer connection: an ECDSA P-256 key with a self-signed
/// certificate, and its SHA-256 fingerprint as SDP's a=fingerprint carries it.
///
/// WebRTC authenticates DTLS by the fingerprint exchanged over signalling (RFC 8122,
/// RFC 8827 §6.5), not by a CA, so the certificate only has to be stable for as long as
/// the signalling says so. It is generated once and kept in the state directory, so a
/// restart keeps the identity (PEM, key file written 0600, atomically).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <switchboard/errors.hpp>

#include "rtc/sdp/fingerprint.hpp"

typedef struct x509_st X509;
typedef struct evp_pkey_st EVP_PKEY;

namespace switchboard::rtc {

/// The certificate's fingerprint with `algorithm` as a=fingerprint names it ("sha-256",
/// "sha-1", "sha-384", "sha-512"); nullopt for a hash we do not know.
std::optional<sdp::Fingerprint> fingerprint_of(X509* cert, std::string_view algorithm);

class Certificate {
public:
    /// A new key pair and a self-signed certificate valid for 30 days.
    static Result<std::shared_ptr<const Certificate>> generate();
    /// The certificate kept in `dir` (certificate.pem, key.pem), made there first if
    /// missing or expiring within a day.
    static Result<std::shared_ptr<const Certificate>> load_or_create(const std::filesystem::path& dir);

    ~Certificate();
    Certificate(const Certificate&) = delete;
    Certificate& operator=(const Certificate&) = delete;

    X509* x509() const noexcept { return m_cert; }
    EVP_PKEY* key() const noexcept { return m_key; }
    /// Our a=fingerprint: SHA-256, as every browser expects.
    const sdp::Fingerprint& fingerprint() const noexcept { return m_fingerprint; }

    Certificate(X509* cert, EVP_PKEY* key);  ///< takes ownership of both

private:
    X509* m_cert;
    EVP_PKEY* m_key;
    sdp::Fingerprint m_fingerprint;
};

}  // namespace switchboard::rtc
