#!/usr/bin/python3
"""How far behind the caller the TV is: a call station (`switchboard run`: test camera ->
matrix.signalling -> chromecast.sink) answers a matrix-js-sdk caller (matrix_caller.mjs:
the stamped test pattern and a tone), and the Chromecast emulator (cast_receiver.mjs) plays
the far side as a Chromecast would, in headless Chromium. Three deliveries of the same call,
one after another in one run:

  webrtc    DashCast opens the TV page, which plays the call over WHEP
  ll_hls    the Default Media Receiver plays our LL-HLS (0.334 s parts, 2 s segments) with hls.js
  plain_hls the same stream as plain HLS (2 s segments, no parts): what a Chromecast gets from
            the integrations that cast camera streams today

Figures per delivery, after a warm-up:
  glass_to_glass_ms  now minus the stamp the caller wrote into the frame (p50, p90): the
                     whole path, caller's encoder to TV's screen; one clock (one machine)
  player_latency_s   hls.js's own latency (live edge minus playhead), median of samples
  pdt_latency_s      now minus the PROGRAM-DATE-TIME of the playhead, median of samples
  first_frame_s      from the call's start at the station to the TV's first frame
One JSON document on stdout (and in --json PATH), medians over --runs.

usage: tv_latency.py BUILD_DIR [--runs N] [--seconds S] [--smoke] [--json PATH] [--modes webrtc,ll_hls,plain_hls]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

from loopback import free_port, wait_for_port
from matrix_call_setup import NODE, PASSWORD, Homeserver, JsonLines, stop

MODES = {
    "webrtc": {"mode": "webrtc"},
    "ll_hls": {"mode": "media"},
    "plain_hls": {"mode": "media", "low_latency": False},
}
WARMUP_S = 8


def station_config(workdir, hs, alice, tv_port, listen_port, mode):
    tv = {"host": "127.0.0.1", "port": tv_port, "listen": "127.0.0.1:%d" % listen_port}
    tv.update(MODES[mode])
    convert = {"convert": "auto"} if tv["mode"] == "media" else {}
    return {
        "state_dir": os.path.join(workdir, "state"),
        "rtc": {"gather_addresses": ["127.0.0.1"]},
        "nodes": [
            {"name": "camera", "type": "testsrc.camera", "config": {"width": 640, "height": 480, "fps": 30}},
            {"name": "station", "type": "matrix.signalling", "config": {
                "homeserver": hs.url, "user": "station", "password": "${env:STATION_PASSWORD}", "allow": [alice]}},
            {"name": "tv", "type": "chromecast.sink", "config": tv},
        ],
        "links": [
            {"from": "camera.video", "to": "station.video"},
            {"from": "camera.audio", "to": "station.audio"},
            dict({"from": "station.video", "to": "tv.video"}, **convert),
            dict({"from": "station.audio", "to": "tv.audio"}, **convert),
        ],
    }


def read_stats(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return {}


def one_run(build, peers, mode, seconds, workdir, log):
    workdir = tempfile.mkdtemp(prefix=mode + "-", dir=workdir)  # each run signs in afresh
    hs = Homeserver(peers, log)
    procs = []
    try:
        hs.register("station")
        alice = hs.register("alice")
        tv_port, listen_port = free_port(), free_port()
        stats_file = os.path.join(workdir, "tv-stats.json")
        procs.append(subprocess.Popen([NODE, os.path.join(peers, "cast_receiver.mjs"), "--port", str(tv_port),
                                       "--stats-file", stats_file, "--timeout", str(seconds + 120)],
                                      stdout=subprocess.DEVNULL, stderr=log))
        if not wait_for_port(tv_port, 30):
            raise RuntimeError("the Chromecast emulator did not listen")
        config = os.path.join(workdir, "station.json")
        with open(config, "w") as f:
            json.dump(station_config(workdir, hs, alice, tv_port, listen_port, mode), f)
        env = dict(os.environ, STATION_PASSWORD=PASSWORD)
        procs.append(subprocess.Popen([os.path.join(build, "bin", "switchboard"), "run", config],
                                      stdout=subprocess.DEVNULL, stderr=log, env=env))
        caller = JsonLines([NODE, os.path.join(peers, "matrix_caller.mjs"), "--hs", hs.url, "--user", "alice",
                            "--password", PASSWORD, "--target", "@station:localhost", "--min-frames", "0",
                            "--hangup-after", str(WARMUP_S + seconds + 20), "--timeout", str(WARMUP_S + seconds + 90)],
                           log)
        procs.append(caller.proc)
        if not caller.event("ready", 30):
            raise RuntimeError("the js-sdk caller did not get ready")
        if not caller.wait_for(lambda o: o.get("event") == "call_state" and o.get("state") == "connected", 60):
            raise RuntimeError("the call did not connect")
        connected = time.monotonic()
        first_frame = None
        deadline = connected + 60
        while time.monotonic() < deadline and first_frame is None:
            if (read_stats(stats_file).get("tv_stats") or {}).get("frames", 0) > 0:
                first_frame = time.monotonic() - connected
            time.sleep(0.1)
        if first_frame is None:
            raise RuntimeError("the TV showed no frame within 60 s")
        time.sleep(max(0, WARMUP_S - first_frame))
        player, pdt = [], []
        for _ in range(seconds):
            time.sleep(1)
            tv = read_stats(stats_file).get("tv_stats") or {}
            if tv.get("latency_s") is not None:
                player.append(tv["latency_s"])
            if tv.get("pdt_latency_s") is not None:
                pdt.append(tv["pdt_latency_s"])
        tv = read_stats(stats_file).get("tv_stats") or {}
        stamps = tv.get("latency_ms") or {}
        return {
            "glass_to_glass_ms_p50": stamps.get("p50"),
            "glass_to_glass_ms_p90": stamps.get("p90"),
            "stamps": stamps.get("n"),
            "player_latency_s": round(statistics.median(player), 3) if player else None,
            "pdt_latency_s": round(statistics.median(pdt), 3) if pdt else None,
            "first_frame_s": round(first_frame, 2),
            "frames": tv.get("frames"),
        }
    finally:
        for p in reversed(procs):
            stop(p)
        hs.close()


def median_of(rows, key):
    values = [r[key] for r in rows if r.get(key) is not None]
    return round(statistics.median(values), 3) if values else None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("build_dir")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--seconds", type=int, default=20, help="measured seconds per run, after the warm-up")
    ap.add_argument("--modes", default=",".join(MODES))
    ap.add_argument("--smoke", action="store_true", help="one short run of each delivery")
    ap.add_argument("--json", help="also write the result here")
    args = ap.parse_args()
    if args.smoke:
        args.runs, args.seconds = 1, 3
    build = os.path.abspath(args.build_dir)
    peers = os.path.join(build, "peers", "node")
    if not os.path.isdir(os.path.join(peers, "node_modules", "castv2")):
        sys.exit("no npm packages in %s: run `ctest --test-dir %s -R node_peers_install` (npm ci) first"
                 % (peers, args.build_dir))
    modes = [m for m in args.modes.split(",") if m]
    result = {"benchmark": "tv_latency", "runs": args.runs, "seconds": args.seconds, "warmup_s": WARMUP_S,
              "caller": "matrix-js-sdk 37.5.0 + @roamhq/wrtc, 640x480 stamped pattern + tone",
              "tv": "cast_receiver.mjs in headless Chromium (hls.js 1.7.4 for HLS)"}
    failed = False
    with tempfile.TemporaryDirectory(prefix="sb-tv-bench-") as workdir, tempfile.TemporaryFile() as log:
        for mode in modes:
            rows = []
            for _ in range(args.runs):
                try:
                    rows.append(one_run(build, peers, mode, args.seconds, workdir, log))
                except (RuntimeError, OSError, subprocess.TimeoutExpired) as e:
                    failed = True
                    rows.append({"error": str(e)})
            keys = [k for k in rows[0] if k != "error"] if rows and "error" not in rows[0] else []
            result[mode] = {"runs": rows, "median": {k: median_of(rows, k) for k in keys}}
        if failed:
            log.seek(0)
            sys.stderr.write(log.read()[-4000:].decode(errors="replace"))
    text = json.dumps(result, indent=2)
    print(text)
    print("%-10s %14s %14s %12s %12s %10s" % ("delivery", "g2g p50 ms", "g2g p90 ms", "player s", "PDT s",
                                               "1st frame"), file=sys.stderr)
    for mode in modes:
        for row in result[mode]["runs"]:
            if "error" in row:
                print("%s: %s" % (mode, row["error"]), file=sys.stderr)
        m = result[mode]["median"]
        print("%-10s %14s %14s %12s %12s %10s" % (mode, m.get("glass_to_glass_ms_p50"), m.get("glass_to_glass_ms_p90"),
                                                   m.get("player_latency_s"), m.get("pdt_latency_s"),
                                                   m.get("first_frame_s")), file=sys.stderr)
    if args.json:
        with open(args.json, "w") as f:
            f.write(text + "\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
