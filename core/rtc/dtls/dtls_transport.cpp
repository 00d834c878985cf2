#include "rtc/dtls/dtls_transport.hpp"

#include <algorithm>

#include <openssl/err.h>
#include <openssl/srtp.h>
#include <openssl/ssl.h>

namespace switchboard::rtc {

namespace {

/// The SRTP payload budget leaves room in a 1280-byte IPv6 minimum MTU for IP, UDP
/// and TURN overhead; handshake flights are fragmented to it.
constexpr long dtls_mtu = 1200;

std::string last_ssl_error() {
    std::string out;
    while (unsigned long e = ERR_get_error()) {
        char buf[256];
        ERR_error_string_n(e, buf, sizeof buf);
        out += (out.empty() ? "" : "; ") + std::string(buf);
    }
    return out.empty() ? "unknown error" : out;
}

const char* openssl_profile_name(SrtpProfile p) {
    return p == SrtpProfile::aead_aes_128_gcm ? "SRTP_AEAD_AES_128_GCM" : "SRTP_AES128_CM_SHA1_80";
}

/// The outgoing BIO: every write OpenSSL makes is one datagram (it fragments to the
/// MTU we report), handed straight to the transport's send callback.
BIO_METHOD* wire_method() {
    static BIO_METHOD* method = [] {
        BIO_METHOD* m = BIO_meth_new(BIO_TYPE_SOURCE_SINK | BIO_get_new_index(), "switchboard-dtls-wire");
        BIO_meth_set_write(m,
                           [](BIO* b, const char* d, int n) { return DtlsTransport::write_to_wire_for_bio(b, d, n); });
        BIO_meth_set_ctrl(
            m, [](BIO* b, int cmd, long num, void* ptr) { return DtlsTransport::ctrl_for_bio(b, cmd, num, ptr); });
        BIO_meth_set_create(m, [](BIO* b) {
            BIO_set_init(b, 1);
            return 1;
        });
        return m;
    }();
    return method;
}

}  // namespace

DtlsTransport::DtlsTransport(DtlsRole role, std::shared_ptr<const Certificate> certificate,
                             sdp::Fingerprint remote_fingerprint, Options options, Callbacks callbacks)
    : m_role(role),
      m_certificate(std::move(certificate)),
      m_remote_fingerprint(remote_fingerprint),
      m_options(std::move(options)),
      m_callbacks(std::move(callbacks)) {}

DtlsTransport::~DtlsTransport() {
    if (m_ssl) SSL_free(m_ssl);  // frees both BIOs
    if (m_ctx) SSL_CTX_free(m_ctx);
}

void DtlsTransport::start() {
    if (m_state != State::idle) return;
    m_state = State::connecting;
    m_ctx = SSL_CTX_new(DTLS_method());
    if (!m_ctx) return fail("cannot create the DTLS context: " + last_ssl_error());
    SSL_CTX_set_min_proto_version(m_ctx, DTLS1_2_VERSION);
    SSL_CTX_set_max_proto_version(m_ctx, DTLS1_2_VERSION);
    if (SSL_CTX_use_certificate(m_ctx, m_certificate->x509()) != 1 ||
        SSL_CTX_use_PrivateKey(m_ctx, m_certificate->key()) != 1)
        return fail("cannot use our certificate: " + last_ssl_error());
    // Self-signed on both sides: accept at the TLS layer, then check the fingerprint.
    SSL_CTX_set_verify(m_ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT,
                       [](int, X509_STORE_CTX*) { return 1; });
    std::string profiles;
    for (auto p : m_options.profiles) profiles += (profiles.empty() ? "" : ":") + std::string(openssl_profile_name(p));
    if (SSL_CTX_set_tlsext_use_srtp(m_ctx, profiles.c_str()) != 0)  // 0 is success here
        return fail("cannot offer SRTP profiles " + profiles + ": " + last_ssl_error());

    m_ssl = SSL_new(m_ctx);
    if (!m_ssl) return fail("cannot create the DTLS session: " + last_ssl_error());
    m_in = BIO_new(BIO_s_mem());
    BIO_set_mem_eof_return(m_in, -1);  // empty means "no datagram yet", not EOF
    BIO* out = BIO_new(wire_method());
    BIO_set_data(out, this);
    SSL_set_bio(m_ssl, m_in, out);
    SSL_set_app_data(m_ssl, this);
    DTLS_set_timer_cb(m_ssl, &DtlsTransport::next_retransmit_us);
    SSL_set_options(m_ssl, SSL_OP_NO_QUERY_MTU);
    SSL_set_mtu(m_ssl, dtls_mtu);
    DTLS_set_link_mtu(m_ssl, dtls_mtu);
    if (m_role == DtlsRole::client)
        SSL_set_connect_state(m_ssl);
    else
        SSL_set_accept_state(m_ssl);
    drive_handshake();
}

int DtlsTransport::write_to_wire_for_bio(BIO* bio, const char* data, int len) {
    auto* self = static_cast<DtlsTransport*>(BIO_get_data(bio));
    if (len <= 0 || !self) return 0;
    if (self->m_callbacks.send)
        self->m_callbacks.send(std::span(reinterpret_cast<const std::uint8_t*>(data), std::size_t(len)));
    return len;
}

unsigned int DtlsTransport::next_retransmit_us(SSL* ssl, unsigned int previous_us) {
    const auto* self = static_cast<const DtlsTransport*>(SSL_get_app_data(ssl));
    if (previous_us == 0) return unsigned(std::chrono::microseconds(self->m_options.initial_retransmit).count());
    return std::min(previous_us * 2, 60'000'000u);
}

long DtlsTransport::ctrl_for_bio(BIO*, int cmd, long, void*) {
    switch (cmd) {
        case BIO_CTRL_FLUSH:
            return 1;
        case BIO_CTRL_DGRAM_QUERY_MTU:
        case BIO_CTRL_DGRAM_GET_FALLBACK_MTU:
            return dtls_mtu;
        case BIO_CTRL_WPENDING:
        case BIO_CTRL_PENDING:
            return 0;
        default:
            return 0;
    }
}

void DtlsTransport::drive_handshake() {
    if (m_state != State::connecting) return;
    ERR_clear_error();
    const int r = SSL_do_handshake(m_ssl);
    if (r == 1) return on_handshake_done();
    const int err = SSL_get_error(m_ssl, r);
    if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) return;
    fail("DTLS handshake failed: " + last_ssl_error());
}

void DtlsTransport::on_handshake_done() {
    X509* peer = SSL_get1_peer_certificate(m_ssl);
    if (!peer) return fail("the peer sent no certificate");
    const auto got = fingerprint_of(peer, m_remote_fingerprint.algorithm);
    X509_free(peer);
    if (!got)
        return fail("the remote description's fingerprint uses an unknown hash \"" + m_remote_fingerprint.algorithm +
                    "\"");
    if (!(*got == m_remote_fingerprint))
        return fail("the peer's certificate fingerprint " + got->to_string() +
                    " does not match the remote description's " + m_remote_fingerprint.to_string());

    const SRTP_PROTECTION_PROFILE* selected = SSL_get_selected_srtp_profile(m_ssl);
    if (!selected) return fail("the peer negotiated no SRTP protection profile");
    SrtpKeys keys;
    if (selected->id == SRTP_AEAD_AES_128_GCM)
        keys.profile = SrtpProfile::aead_aes_128_gcm;
    else if (selected->id == SRTP_AES128_CM_SHA1_80)
        keys.profile = SrtpProfile::aes128_cm_sha1_80;
    else
        return fail("the peer chose an SRTP profile we did not offer: " + std::string(selected->name));

    // RFC 5764 §4.2: client key, server key, client salt, server salt.
    const std::size_t key = srtp_key_length(keys.profile), salt = srtp_salt_length(keys.profile);
    std::vector<std::uint8_t> material(2 * (key + salt));
    static constexpr char label[] = "EXTRACTOR-dtls_srtp";
    if (SSL_export_keying_material(m_ssl, material.data(), material.size(), label, sizeof label - 1, nullptr, 0, 0) !=
        1)
        return fail("cannot export the SRTP keys: " + last_ssl_error());
    auto key_salt = [&](bool client) {
        std::vector<std::uint8_t> out(material.begin() + (client ? 0 : key),
                                      material.begin() + (client ? 0 : key) + key);
        auto s = material.begin() + 2 * key + (client ? 0 : salt);
        out.insert(out.end(), s, s + salt);
        return out;
    };
    const bool client = m_role == DtlsRole::client;
    keys.local = key_salt(client);
    keys.remote = key_salt(!client);
    m_state = State::connected;
    if (m_callbacks.on_connected) m_callbacks.on_connected(keys);
}

void DtlsTransport::receive(std::span<const std::uint8_t> datagram) {
    if (m_state != State::connecting && m_state != State::connected) return;
    if (datagram.empty() || datagram.size() > 65535) return;
    BIO_write(m_in, datagram.data(), int(datagram.size()));
    if (m_state == State::connecting) return drive_handshake();

    // After the handshake: alerts, a retransmitted final flight to answer, or (later)
    // application data for SCTP. Nothing here is media.
    ERR_clear_error();
    std::uint8_t buf[2048];
    while (true) {
        const int n = SSL_read(m_ssl, buf, sizeof buf);
        if (n > 0) continue;  // application data: data channels are not wired yet
        const int err = SSL_get_error(m_ssl, n);
        if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) return;
        if (err == SSL_ERROR_ZERO_RETURN) {
            m_state = State::closed;
            if (m_callbacks.on_closed) m_callbacks.on_closed();
            return;
        }
        return fail("DTLS error after the handshake: " + last_ssl_error());
    }
}

std::optional<std::chrono::milliseconds> DtlsTransport::timeout() const {
    if (m_state != State::connecting || !m_ssl) return std::nullopt;
    timeval tv{};
    if (DTLSv1_get_timeout(m_ssl, &tv) != 1) return std::nullopt;
    return std::chrono::milliseconds(tv.tv_sec * 1000 + tv.tv_usec / 1000);
}

void DtlsTransport::on_timeout() {
    if (m_state != State::connecting) return;
    if (DTLSv1_handle_timeout(m_ssl) < 0) fail("DTLS handshake timed out: " + last_ssl_error());
}

void DtlsTransport::close() {
    if (m_state == State::connected) SSL_shutdown(m_ssl);
    if (m_state != State::failed) m_state = State::closed;
}

void DtlsTransport::fail(const std::string& reason) {
    if (m_state == State::failed || m_state == State::closed) return;
    m_state = State::failed;
    if (m_callbacks.on_failed) m_callbacks.on_failed(reason);
}

}  // namespace switchboard::rtc
