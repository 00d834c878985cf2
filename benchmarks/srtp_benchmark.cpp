/// SRTP through our path (rtc::SrtpSession) beside a bare libsrtp2 loop with the same
/// policy, for AES-CM-128/HMAC-SHA1-80 and AEAD-AES-128-GCM, on 1200-byte payloads (a
/// full video packet). The goal is our path at >= 90 % of the bare loop's packets/s.
///
///  BM_Protect<ours|bare>/profile      protect only (what a sender pays per packet)
///  BM_RoundTrip<ours|bare>/profile    protect, then unprotect on the peer's session
#include <benchmark/benchmark.h>

#include <cstring>
#include <random>
#include <vector>

#include <srtp2/srtp.h>

#include "rtc/srtp/srtp_session.hpp"

using namespace switchboard::rtc;

namespace {

constexpr std::size_t payload_size = 1200;

SrtpProfile profile_of(const benchmark::State& state) {
    return state.range(0) ? SrtpProfile::aead_aes_128_gcm : SrtpProfile::aes128_cm_sha1_80;
}

SrtpKeys keys_for(SrtpProfile profile, bool flip) {
    std::mt19937 rng(42);
    SrtpKeys k;
    k.profile = profile;
    k.local.resize(srtp_key_length(profile) + srtp_salt_length(profile));
    k.remote.resize(k.local.size());
    for (auto& b : k.local) b = std::uint8_t(rng());
    for (auto& b : k.remote) b = std::uint8_t(rng());
    if (flip) std::swap(k.local, k.remote);
    return k;
}

/// Writes an RTP header with `seq` and a fixed payload into `buf`; returns its length.
std::size_t make_packet(std::vector<std::uint8_t>& buf, std::uint16_t seq) {
    const std::uint8_t header[12] = {0x80, 96,  std::uint8_t(seq >> 8), std::uint8_t(seq), 0, 0, 0x10, 0x00, 0x11, 0x22,
                                     0x33, 0x44};
    std::memcpy(buf.data(), header, sizeof header);
    std::memset(buf.data() + sizeof header, 0x5a, payload_size);
    return sizeof header + payload_size;
}

/// A bare libsrtp session with the policy SrtpSession uses.
srtp_t bare_session(SrtpProfile profile, const std::vector<std::uint8_t>& key, bool inbound) {
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
    policy.window_size = 1024;
    policy.allow_repeat_tx = 1;
    srtp_t s = nullptr;
    srtp_create(&s, &policy);
    return s;
}

void BM_ProtectOurs(benchmark::State& state) {
    auto session = SrtpSession::create(keys_for(profile_of(state), false)).value();
    std::vector<std::uint8_t> buf(12 + payload_size + srtp_max_trailer);
    std::uint16_t seq = 0;
    for (auto _ : state) {
        auto len = make_packet(buf, seq++);
        auto r = session->protect_rtp(buf, len);
        benchmark::DoNotOptimize(r);
    }
    state.SetItemsProcessed(state.iterations());
    state.SetLabel(std::string(to_string(profile_of(state))));
}

void BM_ProtectBare(benchmark::State& state) {
    (void)SrtpSession::create(keys_for(profile_of(state), false));  // srtp_init, once
    const auto keys = keys_for(profile_of(state), false);
    srtp_t session = bare_session(keys.profile, keys.local, false);
    std::vector<std::uint8_t> buf(12 + payload_size + SRTP_MAX_TRAILER_LEN);
    std::uint16_t seq = 0;
    for (auto _ : state) {
        int len = int(make_packet(buf, seq++));
        benchmark::DoNotOptimize(srtp_protect(session, buf.data(), &len));
    }
    srtp_dealloc(session);
    state.SetItemsProcessed(state.iterations());
    state.SetLabel(std::string(to_string(profile_of(state))));
}

void BM_RoundTripOurs(benchmark::State& state) {
    auto sender = SrtpSession::create(keys_for(profile_of(state), false)).value();
    auto receiver = SrtpSession::create(keys_for(profile_of(state), true)).value();
    std::vector<std::uint8_t> buf(12 + payload_size + srtp_max_trailer);
    std::uint16_t seq = 0;
    for (auto _ : state) {
        auto len = make_packet(buf, seq++);
        auto p = sender->protect_rtp(buf, len);
        auto u = receiver->unprotect_rtp(buf, p.value());
        if (!u) state.SkipWithError(u.error().message.c_str());
    }
    state.SetItemsProcessed(state.iterations());
    state.SetLabel(std::string(to_string(profile_of(state))));
}

void BM_RoundTripBare(benchmark::State& state) {
    (void)SrtpSession::create(keys_for(profile_of(state), false));
    const auto keys = keys_for(profile_of(state), false);
    srtp_t sender = bare_session(keys.profile, keys.local, false);
    srtp_t receiver = bare_session(keys.profile, keys.local, true);
    std::vector<std::uint8_t> buf(12 + payload_size + SRTP_MAX_TRAILER_LEN);
    std::uint16_t seq = 0;
    for (auto _ : state) {
        int len = int(make_packet(buf, seq++));
        srtp_protect(sender, buf.data(), &len);
        if (srtp_unprotect(receiver, buf.data(), &len) != srtp_err_status_ok) state.SkipWithError("unprotect failed");
    }
    srtp_dealloc(sender);
    srtp_dealloc(receiver);
    state.SetItemsProcessed(state.iterations());
    state.SetLabel(std::string(to_string(profile_of(state))));
}

}  // namespace

// Arg: 0 = AES-CM-128/HMAC-SHA1-80, 1 = AEAD-AES-128-GCM.
BENCHMARK(BM_ProtectOurs)->Arg(0)->Arg(1);
BENCHMARK(BM_ProtectBare)->Arg(0)->Arg(1);
BENCHMARK(BM_RoundTripOurs)->Arg(0)->Arg(1);
BENCHMARK(BM_RoundTripBare)->Arg(0)->Arg(1);

BENCHMARK_MAIN();
