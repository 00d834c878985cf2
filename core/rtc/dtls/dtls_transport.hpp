/// \file dtls_transport.hpp
/// \brief DTLS 1.2 over whatever carries datagrams (the ICE transport), for DTLS-SRTP
/// key agreement (RFC 5764) with the remote fingerprint checked (RFC 8122, RFC 8827).
///
/// The transport is driven, not threaded: the owner feeds received DTLS datagrams to
/// receive(), sends what the `send` callback hands it, and arms a timer for timeout()
/// (handshake retransmission, RFC 6347 §4.2.4) that calls on_timeout(). All calls and
/// callbacks happen on the owner's strand; callbacks may close() the transport.
///
/// The peer's certificate is accepted by OpenSSL whatever signs it, and then compared
/// with the fingerprint from the remote description before any key leaves this class:
/// a mismatch fails the connection with a reason naming both fingerprints.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "rtc/dtls/certificate.hpp"
#include "rtc/srtp/srtp_keys.hpp"

typedef struct ssl_st SSL;
typedef struct ssl_ctx_st SSL_CTX;
typedef struct bio_st BIO;

namespace switchboard::rtc {

/// From a=setup (RFC 5763 §5): "active" is the DTLS client.
enum class DtlsRole { client, server };

class DtlsTransport {
public:
    enum class State { idle, connecting, connected, failed, closed };

    struct Callbacks {
        /// One datagram to put on the wire. Required.
        std::function<void(std::span<const std::uint8_t>)> send;
        /// The handshake finished and the fingerprint matched.
        std::function<void(const SrtpKeys&)> on_connected;
        /// The connection failed (handshake error, fingerprint mismatch, fatal alert).
        std::function<void(const std::string& reason)> on_failed;
        /// The peer closed the connection (close_notify).
        std::function<void()> on_closed;
    };

    struct Options {
        /// SRTP protection profiles we offer or accept, best first.
        std::vector<SrtpProfile> profiles{SrtpProfile::aead_aes_128_gcm, SrtpProfile::aes128_cm_sha1_80};
        /// First handshake retransmission timeout; it doubles on each retry up to 60 s
        /// (RFC 6347 §4.2.4.1). Configurable so tests need not wait a second.
        std::chrono::milliseconds initial_retransmit{1000};
    };

    DtlsTransport(DtlsRole role, std::shared_ptr<const Certificate> certificate, sdp::Fingerprint remote_fingerprint,
                  Options options, Callbacks callbacks);
    ~DtlsTransport();
    DtlsTransport(const DtlsTransport&) = delete;
    DtlsTransport& operator=(const DtlsTransport&) = delete;

    /// Begins the handshake: a client sends its ClientHello, a server waits for one.
    void start();
    /// A DTLS datagram from the peer (the caller demultiplexed it, RFC 7983: 20-63).
    void receive(std::span<const std::uint8_t> datagram);
    /// How long until on_timeout() must be called; nullopt when no timer is needed.
    std::optional<std::chrono::milliseconds> timeout() const;
    /// The retransmission timer fired.
    void on_timeout();
    /// Sends close_notify (when connected) and stops.
    void close();

    State state() const noexcept { return m_state; }
    DtlsRole role() const noexcept { return m_role; }

    /// The outgoing BIO's callbacks (OpenSSL calls them from inside our own calls).
    static int write_to_wire_for_bio(BIO* bio, const char* data, int len);
    static long ctrl_for_bio(BIO* bio, int cmd, long num, void* ptr);
    static unsigned int next_retransmit_us(SSL* ssl, unsigned int previous_us);

private:
    void drive_handshake();
    void fail(const std::string& reason);
    void on_handshake_done();

    const DtlsRole m_role;
    std::shared_ptr<const Certificate> m_certificate;
    const sdp::Fingerprint m_remote_fingerprint;
    Options m_options;
    Callbacks m_callbacks;
    State m_state = State::idle;
    SSL_CTX* m_ctx = nullptr;
    SSL* m_ssl = nullptr;
    BIO* m_in = nullptr;  // owned by m_ssl once attached
};

}  // namespace switchboard::rtc
