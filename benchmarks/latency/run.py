#!/usr/bin/python3
"""Transcoding latency: what each system adds per frame between an RTSP camera and an RTP
receiver, measured the same way for all of them in one run.

  /usr/bin/python3 benchmarks/latency/run.py BUILD_DIR [--seconds 10] [--runs 3]
      [--sizes 1280x720,1920x1080] [--systems KEY,...] [--json FILE] [--svg FILE] [--keep DIR]
  /usr/bin/python3 benchmarks/latency/run.py BUILD_DIR --smoke

The camera is tests/peers/rtsp_camera.py (H264, the frame stamp of tests/peers/stamp.py in
each picture, 30 fps). Between it and the system under test sits rtsp_tap.py, which times
each interleaved RTP packet it hands on; the system's output reaches udp_tap.py, which
times each arrival (through a WHEP viewer's relay and the SRTP key log for Switchboard).
Frames are matched by the stamp decoded on both sides; a frame's added latency is the
arrival of its last output packet minus the hand-over of its last input packet. Systems:
Switchboard (rtsp.source -> whep.server) passing H264 through and transcoding to VP8 for a
VP8-only viewer, GStreamer and ffmpeg doing each of the two jobs, and the codec floor
(codec_floor_benchmark: decode + encode alone). Per system and size: p50/p99 ms, frames
matched, CPU % of one core, peak RSS; medians over the runs and every run's figures.
--smoke: one short 720p run of Switchboard passthrough and GStreamer passthrough; exits 1
when either matched no frame.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))  # benchmarks/loopback.py

import chart  # noqa: E402
import realtime  # noqa: E402
import report  # noqa: E402
import session  # noqa: E402
from loopback import free_port  # noqa: E402
from procs import Child  # noqa: E402
from systems import BY_KEY, SYSTEMS  # noqa: E402

FPS = 30
SMOKE_SYSTEMS = ["switchboard_passthrough", "gstreamer_passthrough"]


def say(text):
    print(text, file=sys.stderr, flush=True)


def codec_floor(build, dump, frames):
    """codec_floor_benchmark on the camera's recorded H264."""
    done = subprocess.run([os.path.join(build, "bin", "codec_floor_benchmark"), dump, "--fps", str(FPS),
                           "--frames", str(frames)], capture_output=True, text=True, timeout=frames / FPS + 60)
    if done.returncode != 0:
        raise RuntimeError("codec_floor_benchmark: " + done.stderr.strip())
    result = json.loads(done.stdout)
    result["frames_matched"] = result["frames"]
    return result


def measure_size(args, size, workdir, results):
    """Every run of every system at one camera size; the camera runs throughout."""
    os.makedirs(workdir, exist_ok=True)
    port = free_port()
    dump = os.path.join(workdir, "camera.h264")
    camera = Child("camera", ["/usr/bin/python3", os.path.join(SOURCE, "tests", "peers", "rtsp_camera.py"),
                              "--port", str(port), "--size", size, "--fps", str(FPS), "--audio", "none",
                              "--h264-dump", dump], os.path.join(workdir, "camera.log"),
                   preexec_fn=realtime.background)
    try:
        camera.expect("url", 30)
        keys = args.systems + ([] if args.smoke else ["codec_floor"])
        for run in range(args.runs):
            for key in keys:
                rundir = os.path.join(workdir, "%s-%d" % (key, run + 1))
                started = time.monotonic()
                try:
                    if key == "codec_floor":
                        figures = codec_floor(args.build, dump, int(args.seconds * FPS))
                    else:
                        figures = session.run(BY_KEY[key], (port, "/cam"), args.build, rundir, args.seconds)
                except (RuntimeError, subprocess.TimeoutExpired) as e:
                    figures = {"error": str(e)}
                say("%s %s run %d (%.0f s): %s" % (size, key, run + 1, time.monotonic() - started,
                                                    json.dumps(figures)))
                results.setdefault(key, []).append(figures)
    finally:
        camera.stop()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("build_dir")
    ap.add_argument("--seconds", type=float, default=10, help="measured seconds per run (after a warm-up)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--sizes", default="1280x720,1920x1080")
    ap.add_argument("--systems", default=",".join(s.key for s in SYSTEMS))
    ap.add_argument("--json", help="write the document here too (default BUILD_DIR/latency.json)")
    ap.add_argument("--svg", help="the chart (default: the --json path with .svg)")
    ap.add_argument("--keep", metavar="DIR", help="keep every run's recordings and logs in DIR")
    ap.add_argument("--smoke", action="store_true")
    args = ap.parse_args()
    args.build = os.path.abspath(args.build_dir)
    if args.smoke:
        args.seconds, args.runs, args.sizes, args.systems = 3, 1, "1280x720", ",".join(SMOKE_SYSTEMS)
    args.systems = [k for k in args.systems.split(",") if k]
    unknown = [k for k in args.systems if k not in BY_KEY]
    if unknown:
        ap.error("unknown systems: %s (known: %s)" % (", ".join(unknown), ", ".join(BY_KEY)))
    json_path = args.json or os.path.join(args.build, "latency-smoke.json" if args.smoke else "latency.json")
    svg_path = args.svg or os.path.splitext(json_path)[0] + ".svg"

    load_before = os.getloadavg()
    top = args.keep or tempfile.mkdtemp(prefix="sb-latency-")
    results = {}
    try:
        for size in args.sizes.split(","):
            per_system = {}
            measure_size(args, size, os.path.join(top, size), per_system)
            results[size] = {key: {"median": report.summarize([r for r in runs if "error" not in r]), "runs": runs}
                             for key, runs in per_system.items()}
    finally:
        if not args.keep:
            shutil.rmtree(top, ignore_errors=True)

    labels = {s.key: s.label for s in SYSTEMS}
    labels["codec_floor"] = "codec floor (decode+encode)"
    document = {
        "benchmark": "added latency per frame: last input RTP packet handed to the system -> "
                     "last output RTP packet of the same frame (by its stamp) received",
        "camera": "tests/peers/rtsp_camera.py, H264 (x264 zerolatency, 2000 kbit/s, keyframe each second), "
                  "%d fps, RTP over the RTSP connection" % FPS,
        "vp8": "cpu-used 8, realtime, lag-in-frames 0, error resilient, one thread, 1000 kbit/s",
        "seconds_per_run": args.seconds,
        # Others share this machine: a load well above what this run itself makes (about 1)
        # means every figure, the floor's too, includes waiting for a core.
        "machine": {"cores": os.cpu_count(), "load_average_1_5_15_before": load_before,
                    "load_average_1_5_15_after": os.getloadavg()},
        "runs": args.runs,
        "labels": {k: labels[k] for k in args.systems + ([] if args.smoke else ["codec_floor"])},
        "results": results,
        "goals": report.goals(results),
    }
    text = json.dumps(document, indent=2)
    print(text)
    with open(json_path, "w") as f:
        f.write(text + "\n")
    # A system whose every run failed has no figures to draw; its errors are in the JSON.
    panels = [(size, [(document["labels"][k], v["median"]["p50_ms"], v["median"]["p99_ms"])
                      for k, v in systems.items() if "p50_ms" in v["median"]]) for size, systems in results.items()]
    with open(svg_path, "w") as f:
        f.write(chart.svg("Added latency per frame (median of %d runs)" % args.runs, panels))
    say("wrote %s and %s" % (json_path, svg_path))
    if args.smoke:
        failed = [k for size in results.values() for k, v in size.items() if not v["median"].get("frames_matched")]
        if failed:
            say("smoke: no frame matched for " + ", ".join(failed))
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
