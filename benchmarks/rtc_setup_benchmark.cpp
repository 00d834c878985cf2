// Connection setup time, Switchboard <-> libwebrtc versus libwebrtc <-> libwebrtc, on the
// same machine in the same run: from the offer on the wire to the offerer's "connected",
// and to the first frame the answerer (libwebrtc, @roamhq/wrtc) decoded. Both sides
// trickle; media is VP8 320x240 and Opus. Runs alternate between the two pairs so that
// machine load hits both alike; prints p50 and max side by side.
//
// usage: rtc_setup_benchmark [--runs N]     (needs the Node peers: ctest -R node_peers_install)
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "interop_harness.hpp"

using namespace switchboard;
using namespace switchboard::test;

int main(int argc, char** argv) {
    int runs = 5;
    for (int i = 1; i + 1 < argc; ++i)
        if (std::string(argv[i]) == "--runs") runs = std::atoi(argv[i + 1]);
    std::vector<double> sb_connected, sb_frame, lw_connected, lw_frame;
    int failures = 0;
    for (int run = 0; run < runs; ++run) {
        InteropOptions o;
        o.we_offer = true;
        o.trickle = true;
        o.seconds = 1;
        o.timeout = std::chrono::seconds(25);
        const auto r = run_interop_call(wrtc_peer({"--trickle"}), o);
        if (r.to_connected.count() >= 0 && r.to_peer_first_frame.count() >= 0) {
            sb_connected.push_back(double(r.to_connected.count()));
            sb_frame.push_back(double(r.to_peer_first_frame.count()));
        } else {
            ++failures;
            std::fprintf(stderr, "switchboard -> wrtc run %d failed:\n%s", run, r.describe("wrtc").c_str());
        }
        const auto p = run_peer_pair(wrtc_peer({"--trickle"}), wrtc_peer({"--trickle"}), 1);
        if (p.failure.empty()) {
            lw_connected.push_back(double(p.to_connected.count()));
            lw_frame.push_back(double(p.to_answerer_first_frame.count()));
        } else {
            ++failures;
            std::fprintf(stderr, "wrtc -> wrtc run %d failed:\n%s\n", run, p.failure.c_str());
        }
    }
    const auto a = MsSummary::of(sb_connected), b = MsSummary::of(sb_frame);
    const auto c = MsSummary::of(lw_connected), d = MsSummary::of(lw_frame);
    std::printf("connection setup over 127.0.0.1, %d runs each (offer on the wire -> ...)\n", runs);
    std::printf("%-34s %10s %10s %14s %14s\n", "offerer -> answerer", "conn p50", "conn max", "1st frame p50",
                "1st frame max");
    std::printf("%-34s %8.0f ms %8.0f ms %11.0f ms %11.0f ms  (%zu ok)\n", "switchboard -> libwebrtc (wrtc)", a.p50,
                a.max, b.p50, b.max, a.samples);
    std::printf("%-34s %8.0f ms %8.0f ms %11.0f ms %11.0f ms  (%zu ok)\n", "libwebrtc -> libwebrtc (wrtc)", c.p50,
                c.max, d.p50, d.max, c.samples);
    return failures == 0 ? 0 : 1;
}
