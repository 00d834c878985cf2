/// What a sent video frame costs before the socket: RtpSendStream (H264 packetizer,
/// timeline, abs-send-time, retransmission history) and SRTP protection of every packet,
/// as PeerConnection does it per frame, for a camera's 720p delta frame (about 5 packets)
/// and keyframe (about 25), with the SRTP profile aiortc offers and the one browsers prefer.
///
///  BM_SendFrame/<bytes>/<profile 0: AES-CM-SHA1-80, 1: AEAD-AES-128-GCM>
///    counters: packets per frame, ns per packet
#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "rtc/rtp/h264_packetizer.hpp"
#include "rtc/rtp/rtp_send_stream.hpp"
#include "rtc/srtp/srtp_session.hpp"

using namespace switchboard;
using namespace switchboard::rtc;

namespace {

SrtpKeys keys(SrtpProfile profile) {
    std::mt19937 rng(7);
    SrtpKeys k;
    k.profile = profile;
    k.local.resize(srtp_key_length(profile) + srtp_salt_length(profile));
    k.remote.resize(k.local.size());
    for (auto& b : k.local) b = std::uint8_t(rng());
    for (auto& b : k.remote) b = std::uint8_t(rng());
    return k;
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
    auto srtp = SrtpSession::create(keys(profile)).value();
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
    state.counters["ns_per_packet"] =
        benchmark::Counter(double(packets), benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

}  // namespace

BENCHMARK(BM_SendFrame)->ArgsProduct({{6'000, 25'000}, {0, 1}})->Unit(benchmark::kMicrosecond);

BENCHMARK_MAIN();
