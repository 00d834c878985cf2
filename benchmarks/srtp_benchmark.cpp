/// SRTP through our path (rtc::SrtpSession) beside a bare libsrtp2 loop with the same
/// policy, for AES-CM-128/HMAC-SHA1-80 and AEAD-AES-128-GCM, on 1200-byte payloads (a
/// full video packet). The goal is our path at >= 90 % of the bare loop's packets/s.
///
///  BM_Protect<ours|bare>/profile      protect only (what a sender pays per packet)
///  BM_RoundTrip<ours|bare>/profile    protect, then unprotect on the peer's session
///  BM_SendFrame/bytes/profile         a whole video frame as PeerConnection sends it, before
///                                     the socket: RtpSendStream (H264 packetizer, timeline,
///                                     abs-send-time, resend history), then SRTP on each
///                                     packet; 6000 bytes is about a 720p camera's delta
///                                     frame, 25000 its keyframe (time_per_packet, packets_per_frame)
#include <benchmark/benchmark.h>

#include <cstring>
#include <random>
#include <vector>

#include <srtp2/srtp.h>

#include "rtc/rtp/h264_packetizer.hpp"
#include "rtc/rtp/rtp_send_stream.hpp"
#include "rtc/srtp/srtp_session.hpp"

using namespace switchboard;
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

/// One access unit: a start code and a slice NAL of `size` bytes of noise (no zero runs).
Frame h264_frame(std::size_t size, std::int64_t pts) {
    std::mt19937 rng(11);
    std::vector<std::uint8_t> au = {0, 0, 0, 1, 0x41};
    while (au.size() < size) au.push_back(std::uint8_t(1 + rng() % 255));
    Frame f;
    f.format =
        Format{.kind = MediaKind::video, .codec = Codec::h264, .width = 1280, .height = 720, .clock_rate = 90000};
    f.buffer = Buffer::copy_of(au.data(), au.size());
    f.pts = pts;
    f.time_base = {1, 90000};
    return f;
}

void BM_SendFrame(benchmark::State& state) {
    const auto bytes = std::size_t(state.range(0));
    const auto profile = state.range(1) ? SrtpProfile::aead_aes_128_gcm : SrtpProfile::aes128_cm_sha1_80;
    rtp::PacketizerConfig pc{.ssrc = 0x1234, .payload_type = 102, .clock_rate = 90000};
    rtp::SendStreamOptions options;
    options.abs_send_time_id = 3;
    rtp::RtpSendStream stream(h264_frame(8, 0).format, std::make_unique<rtp::H264Packetizer>(pc), options);
    auto srtp = SrtpSession::create(keys_for(profile, false)).value();
    std::vector<std::uint8_t> arena;
    std::int64_t pts = 0, now_us = 1'000'000;
    std::size_t packets = 0;
    for (auto _ : state) {
        state.PauseTiming();
        const Frame frame = h264_frame(bytes, pts += 3000);
        state.ResumeTiming();
        const auto out = stream.send(frame, now_us += 33'333);
        std::size_t total = 0;
        for (const Buffer& b : out) total += b.size() + srtp_max_trailer;
        arena.resize(total);
        std::size_t at = 0;
        for (const Buffer& b : out) {
            std::copy_n(b.data(), b.size(), arena.data() + at);
            benchmark::DoNotOptimize(srtp->protect_rtp({arena.data() + at, b.size() + srtp_max_trailer}, b.size()));
            at += b.size() + srtp_max_trailer;
        }
        packets += out.size();
    }
    state.counters["packets_per_frame"] = double(packets) / double(state.iterations());
    state.counters["time_per_packet"] =
        benchmark::Counter(double(packets), benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

}  // namespace

// Arg: 0 = AES-CM-128/HMAC-SHA1-80, 1 = AEAD-AES-128-GCM.
BENCHMARK(BM_ProtectOurs)->Arg(0)->Arg(1);
BENCHMARK(BM_ProtectBare)->Arg(0)->Arg(1);
BENCHMARK(BM_RoundTripOurs)->Arg(0)->Arg(1);
BENCHMARK(BM_RoundTripBare)->Arg(0)->Arg(1);
BENCHMARK(BM_SendFrame)->ArgsProduct({{6'000, 25'000}, {0, 1}})->Unit(benchmark::kMicrosecond);

BENCHMARK_MAIN();
