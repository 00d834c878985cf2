#include "rtc/srtp/srtp_session.hpp"

#include <mutex>
#include <string>

#include <srtp2/srtp.h>

namespace switchboard::rtc {

namespace {

/// libsrtp's global init, once per process; it is never shut down (other threads may
/// still hold sessions at exit).
Result<void> init_libsrtp() {
    static std::once_flag once;
    static srtp_err_status_t status = srtp_err_status_ok;
    std::call_once(once, [] { status = srtp_init(); });
    if (status != srtp_err_status_ok) return Error::runtime("libsrtp2 init failed (" + std::to_string(status) + ")");
    return {};
}

const char* describe(srtp_err_status_t s) {
    switch (s) {
        case srtp_err_status_auth_fail:
            return "authentication failed";
        case srtp_err_status_replay_fail:
            return "replayed packet";
        case srtp_err_status_replay_old:
            return "packet too old for the replay window";
        case srtp_err_status_bad_param:
            return "malformed packet";
        case srtp_err_status_no_ctx:
            return "unknown SSRC";
        case srtp_err_status_cipher_fail:
            return "cipher failure";
        default:
            return "error";
    }
}

/// Video key frames arrive as bursts of hundreds of packets that the network may
/// reorder; libsrtp's default window of 128 would call late ones replays.
constexpr unsigned long replay_window = 1024;

Result<void> make_session(srtp_t* out, SrtpProfile profile, const std::vector<std::uint8_t>& key, bool inbound) {
    if (key.size() != srtp_key_length(profile) + srtp_salt_length(profile))
        return Error::invalid("SRTP key+salt of " + std::to_string(key.size()) + " bytes for " +
                              std::string(to_string(profile)));
    srtp_policy_t policy{};
    if (profile == SrtpProfile::aead_aes_128_gcm) {
        srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtp);
        srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtcp);
    } else {
        srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy.rtp);
        srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy.rtcp);
    }
    policy.ssrc.type = inbound ? ssrc_any_inbound : ssrc_any_outbound;
    policy.key = const_cast<unsigned char*>(key.data());
    policy.window_size = replay_window;
    policy.allow_repeat_tx = 1;
    policy.next = nullptr;
    if (auto status = srtp_create(out, &policy); status != srtp_err_status_ok)
        return Error::runtime(std::string("srtp_create failed: ") + describe(status));
    return {};
}

Result<std::size_t> run(srtp_err_status_t (*op)(srtp_t, void*, int*), srtp_t session, std::span<std::uint8_t> buffer,
                        std::size_t length, bool protecting, const char* what) {
    if (length > buffer.size() || (protecting && buffer.size() - length < srtp_max_trailer))
        return Error::invalid(std::string(what) + ": no room for the SRTP trailer");
    int len = int(length);
    if (auto status = op(session, buffer.data(), &len); status != srtp_err_status_ok)
        return Error::invalid(std::string(what) + ": " + describe(status));
    return std::size_t(len);
}

}  // namespace

struct SrtpSession::Sessions {
    srtp_t outbound = nullptr;
    srtp_t inbound = nullptr;
    ~Sessions() {
        if (outbound) srtp_dealloc(outbound);
        if (inbound) srtp_dealloc(inbound);
    }
};

SrtpSession::SrtpSession(SrtpProfile profile, std::unique_ptr<Sessions> sessions)
    : m_profile(profile), m_sessions(std::move(sessions)) {}

SrtpSession::~SrtpSession() = default;

Result<std::unique_ptr<SrtpSession>> SrtpSession::create(const SrtpKeys& keys) {
    if (auto r = init_libsrtp(); !r) return r.error();
    auto sessions = std::make_unique<Sessions>();
    if (auto r = make_session(&sessions->outbound, keys.profile, keys.local, false); !r) return r.error();
    if (auto r = make_session(&sessions->inbound, keys.profile, keys.remote, true); !r) return r.error();
    return std::unique_ptr<SrtpSession>(new SrtpSession(keys.profile, std::move(sessions)));
}

Result<std::size_t> SrtpSession::protect_rtp(std::span<std::uint8_t> buffer, std::size_t length) {
    return run(srtp_protect, m_sessions->outbound, buffer, length, true, "protect RTP");
}

Result<std::size_t> SrtpSession::protect_rtcp(std::span<std::uint8_t> buffer, std::size_t length) {
    return run(srtp_protect_rtcp, m_sessions->outbound, buffer, length, true, "protect RTCP");
}

Result<std::size_t> SrtpSession::unprotect_rtp(std::span<std::uint8_t> buffer, std::size_t length) {
    return run(srtp_unprotect, m_sessions->inbound, buffer, length, false, "unprotect RTP");
}

Result<std::size_t> SrtpSession::unprotect_rtcp(std::span<std::uint8_t> buffer, std::size_t length) {
    return run(srtp_unprotect_rtcp, m_sessions->inbound, buffer, length, false, "unprotect RTCP");
}

}  // namespace switchboard::rtc
