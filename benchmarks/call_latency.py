#!/usr/bin/python3
"""Added latency of the call node: from a frame being queued for a call to its last SRTP
packet leaving, keyframes and delta frames apart.

Runs `switchboard run` with the test pattern at 1280x720, 30 fps, encoded to VP8 at
2.5 Mb/s with a keyframe every second (GOP 30), served by whep.server; one real viewer
(Google's libwebrtc through @roamhq/wrtc, which negotiates AES_CM_128_HMAC_SHA1_80 and
takes VP8, so the call passes the encoder's frames through) watches for the given time.
Frames go out as the encoder makes them (no pacer). The gateway logs the call's
latency histogram when the call ends; this prints it as one JSON document, per run and
the median over runs.

usage: call_latency.py BUILD_DIR [--seconds N] [--runs N]
"""
import argparse
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time

from loopback import free_port, wait_for_port

LINE = re.compile(r"video send latency .*?: keyframes n=(\d+)(?: p50=(\d+)us p99=(\d+)us max=(\d+)us)?; "
                  r"delta frames n=(\d+)(?: p50=(\d+)us p99=(\d+)us max=(\d+)us)?")


def one_run(build, seconds, workdir):
    port = free_port()
    config = {
        "rtc": {"gather_addresses": ["127.0.0.1"]},
        "nodes": [
            {"name": "camera", "type": "testsrc.camera", "config": {"width": 1280, "height": 720, "fps": 30}},
            {"name": "vp8", "type": "transcode.encoder",
             "config": {"codec": "vp8", "bitrate_kbps": 2500, "keyframe_interval_s": 1}},
            {"name": "whep", "type": "whep.server", "config": {"listen": "127.0.0.1:%d" % port}},
        ],
        "links": [{"from": "camera.video", "to": "vp8.in"}, {"from": "vp8.out", "to": "whep.video"}],
    }
    path = os.path.join(workdir, "call-latency.json")
    with open(path, "w") as f:
        json.dump(config, f)
    with tempfile.TemporaryFile() as log:
        gateway = subprocess.Popen([os.path.join(build, "bin", "switchboard"), "run", path],
                                   stdout=subprocess.DEVNULL, stderr=log)
        try:
            if not wait_for_port(port, 20):
                sys.exit("whep.server did not listen")
            viewer = subprocess.run(
                ["/usr/bin/node", os.path.join(build, "peers", "node", "webrtc_peer_wrtc.mjs"),
                 "--whep", "http://127.0.0.1:%d/whep" % port, "--duration", str(seconds),
                 "--timeout", str(seconds + 30)],
                capture_output=True, text=True, timeout=seconds + 60)
        finally:
            gateway.send_signal(signal.SIGINT)
            try:
                gateway.wait(30)
            except subprocess.TimeoutExpired:
                gateway.kill()
                gateway.wait()
        log.seek(0)
        text = log.read().decode(errors="replace")
    report = next((json.loads(l) for l in viewer.stdout.splitlines()
                   if l.startswith('{"type":"report"')), None)
    match = LINE.search(text)
    if not match or not report:
        sys.exit("no latency line or viewer report:\n" + text[-3000:] + viewer.stdout[-2000:])
    g = [int(x) if x else None for x in match.groups()]
    return {
        "viewer_frames_decoded": report["frames_decoded"],
        "srtp": report["dtls"]["srtpCipher"] if report.get("dtls") else None,
        "keyframes": {"n": g[0], "p50_us": g[1], "p99_us": g[2], "max_us": g[3]},
        "delta_frames": {"n": g[4], "p50_us": g[5], "p99_us": g[6], "max_us": g[7]},
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build_dir")
    ap.add_argument("--seconds", type=int, default=20)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        runs = [one_run(os.path.abspath(args.build_dir), args.seconds, workdir) for _ in range(args.runs)]

    def median(kind, key):
        values = [r[kind][key] for r in runs if r[kind][key] is not None]
        return statistics.median(values) if values else None

    summary = {kind: {key: median(kind, key) for key in ("p50_us", "p99_us", "max_us")}
               for kind in ("keyframes", "delta_frames")}
    goal = {"delta_frames_p50_us": 250, "delta_frames_p99_us": 1000}
    print(json.dumps({"benchmark": "call node: queued for the call -> last SRTP packet sent",
                      "setup": "1280x720@30 VP8 2.5 Mb/s GOP 30, one libwebrtc WHEP viewer, no pacer",
                      "runs": runs, "median": summary, "goal": goal}, indent=2))


if __name__ == "__main__":
    main()
