// How fast a lost keyframe is replaced: Switchboard sends VP8 at 30 fps to a second
// Switchboard PeerConnection through tests/support/udp_relay on 127.0.0.1 (which sends
// video back, as in a call, so each side learns the round trip from the other's
// reports); the relay drops
// every packet of one keyframe and every resend of it (found through the SRTP key log), so
// only a PLI can repair it. Measured per drop: relay drop -> PLI at the sender -> the new
// keyframe leaving the sender. Prints p50 and max over the drops (goal: <= 100 ms).
//
//   build/gcc/bin/keyframe_recovery_benchmark [drops] [jitter_max_wait_ms]
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "support/peer_pair.hpp"
#include "support/udp_relay.hpp"
#include "support/video_codec.hpp"

using namespace switchboard;
using namespace switchboard::rtc;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

double ms(Clock::duration d) {
    return std::chrono::duration<double, std::milli>(d).count();
}

double percentile(std::vector<double> v, double p) {
    std::sort(v.begin(), v.end());
    return v[std::size_t(p * double(v.size() - 1) + 0.5)];
}

}  // namespace

int main(int argc, char** argv) {
    const int drops = argc > 1 ? std::atoi(argv[1]) : 8;
    const auto jitter_wait = std::chrono::milliseconds(argc > 2 ? std::atoi(argv[2]) : 0);
    const std::string key_log =
        (std::filesystem::temp_directory_path() / ("switchboard-bench-keys." + std::to_string(::getpid()))).string();
    std::filesystem::remove(key_log);

    test::UdpRelay relay;
    test::PeerPair pair(&relay);
    auto& sender = pair.a;
    auto& receiver = pair.b;
    // Both send, as in a call; the sender logs its SRTP keys for the relay to find its keyframes.
    const auto both = [&](PeerConnectionConfig& config, PeerConnection::Callbacks&) {
        config.audio_formats.clear();
        config.send_video = true;
        if (jitter_wait.count() > 0) config.jitter_max_wait = jitter_wait;
    };
    const auto logging_keys = [&](PeerConnectionConfig& config, PeerConnection::Callbacks& cb) {
        both(config, cb);
        config.srtp_key_log_path = key_log;
    };
    if (!pair.make(sender, logging_keys) || !pair.make(receiver, both)) return 1;
    if (auto connected = pair.connect(); !connected) {
        std::fprintf(stderr, "not connected: %s\n", connected.error().message.c_str());
        return 1;
    }
    if (!pair.run_until([&] { return sender.state == PeerConnectionState::connected; }, 15s)) {
        std::fprintf(stderr, "not connected: %s\n", sender.reason.c_str());
        return 1;
    }

    test::VideoEncoder encoder(Codec::vp8);
    test::VideoEncoder back_encoder(Codec::vp8);  // the receiver's own video, undisturbed
    int frame_index = 0;
    bool key_wanted = true;
    std::size_t requests_seen = 0;
    std::optional<Clock::time_point> last_keyframe;
    // One frame every 33 ms; a keyframe as soon as one is asked for (requests only come
    // after drops here, so no rate limit is needed).
    auto send_frames_for = [&](std::chrono::milliseconds span) {
        const auto end = Clock::now() + span;
        auto next = Clock::now();
        while (Clock::now() < end) {
            pair.run_until([&] { return Clock::now() >= next; }, 40ms);
            next += 33ms;
            if (sender.keyframe_requests.size() > requests_seen) {
                requests_seen = sender.keyframe_requests.size();
                key_wanted = true;
            }
            const bool key = key_wanted;
            Frame back = back_encoder.encode(frame_index == 0);
            back.pts = frame_index;
            if (!back.buffer.empty()) receiver.pc->send_video(back);
            Frame f = encoder.encode(key);
            f.pts = frame_index++;
            if (f.buffer.empty() || !sender.pc->send_video(f)) continue;
            if (f.keyframe) {
                last_keyframe = Clock::now();
                key_wanted = false;
            }
        }
    };

    // Until the receiver knows the round trip (an SR each way, then the report echoing
    // it), as in any call past its first seconds.
    for (int i = 0; i < 100 && receiver.pc->stats().rtt_ms == 0; ++i) send_frames_for(100ms);
    send_frames_for(500ms);
    std::vector<double> to_pli, to_keyframe;
    for (int i = 0; i < drops; ++i) {
        if (!relay.drop_next_keyframe(key_log)) {
            std::fprintf(stderr, "no SRTP key log at %s\n", key_log.c_str());
            return 1;
        }
        const auto dropped_before = relay.counters().keyframes_dropped;
        key_wanted = true;  // the keyframe to lose
        const auto keyframe_before = last_keyframe;
        send_frames_for(200ms);
        if (relay.counters().keyframes_dropped == dropped_before) continue;
        const auto dropped_at = *relay.keyframe_dropped_at();
        // Wait for the recovery keyframe (sent after a PLI that came after the drop).
        const auto deadline = Clock::now() + 5s;
        while (Clock::now() < deadline &&
               !(last_keyframe && last_keyframe != keyframe_before && *last_keyframe > dropped_at &&
                 !sender.keyframe_requests.empty() && sender.keyframe_requests.back() > dropped_at &&
                 *last_keyframe > sender.keyframe_requests.back()))
            send_frames_for(33ms);
        auto pli = std::find_if(sender.keyframe_requests.begin(), sender.keyframe_requests.end(),
                                [&](auto t) { return t > dropped_at; });
        if (pli == sender.keyframe_requests.end() || !last_keyframe || *last_keyframe < *pli) {
            std::printf("drop %d: not recovered within 5 s\n", i + 1);
            continue;
        }
        to_pli.push_back(ms(*pli - dropped_at));
        to_keyframe.push_back(ms(*last_keyframe - dropped_at));
        std::printf("drop %d: PLI after %.1f ms, new keyframe leaving after %.1f ms\n", i + 1, to_pli.back(),
                    to_keyframe.back());
        send_frames_for(700ms);
    }
    const auto st = sender.pc->stats();
    const auto rst = receiver.pc->stats();
    std::printf(
        "receiver: frames %d, RTT %llu ms, PLIs sent %llu, NACKs sent %llu, packets given up %llu; sender: NACKs "
        "received %llu, retransmissions %llu; relay: keyframe packets dropped %llu\n",
        receiver.frames, (unsigned long long)rst.rtt_ms, (unsigned long long)rst.plis_sent,
        (unsigned long long)rst.nacks_sent, (unsigned long long)rst.packets_lost, (unsigned long long)st.nacks_received,
        (unsigned long long)st.retransmissions_sent, (unsigned long long)relay.counters().keyframe_dropped);
    if (to_keyframe.empty()) {
        std::printf("no drop recovered\n");
        return 1;
    }
    std::printf(
        "keyframe recovery over %zu drops (receiver jitter wait %s): drop->PLI p50 %.1f ms max %.1f ms; "
        "drop->new keyframe leaving p50 %.1f ms max %.1f ms (goal <= 100 ms)\n",
        to_keyframe.size(), jitter_wait.count() ? (std::to_string(jitter_wait.count()) + " ms").c_str() : "default",
        percentile(to_pli, 0.5), *std::max_element(to_pli.begin(), to_pli.end()), percentile(to_keyframe, 0.5),
        *std::max_element(to_keyframe.begin(), to_keyframe.end()));
    pair.close();
    std::filesystem::remove(key_log);
    return 0;
}
