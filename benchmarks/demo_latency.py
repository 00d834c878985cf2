#!/usr/bin/python3
"""Latency run of the demo graph (test pattern 720p30 -> H264 + Opus -> MKV), with
ffmpeg doing the same job on the same machine in the same run for comparison.

Prints one JSON document. Switchboard: each node's added latency and each link's handoff
delay (push into the link's queue -> the consumer's on_frame: the core's own share) at
p50/p99, the core's added latency per video frame (the two handoffs camera -> h264 ->
recorder), CPU per frame and peak RSS. ffmpeg (lavfi testsrc2 + sine -> libx264
ultrafast/zerolatency, one thread + libopus -> MKV, paced with -re): CPU per frame and
peak RSS. Medians over the runs.

usage: demo_latency.py BUILD_DIR [--seconds N] [--runs N]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

SOURCE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VIDEO_PATH = ["camera.video -> h264.in", "h264.out -> recorder.video"]


def run_measured(argv, cwd, timeout):
    """Runs argv to its end; returns (CPU seconds, peak RSS in MiB) of that process."""
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=err)
        deadline = time.monotonic() + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                proc.kill()
                proc.wait()
                sys.exit("%s timed out" % argv[0])
            time.sleep(0.05)
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            sys.exit("%s failed (%d): %s" % (argv[0], proc.returncode, err.read()[-2000:].decode()))
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build_dir")
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    program = os.path.join(os.path.abspath(args.build_dir), "bin", "switchboard")
    with open(os.path.join(SOURCE, "configs", "demo.json")) as f:
        demo = json.load(f)
    demo["duration_s"] = args.seconds
    camera = next(n for n in demo["nodes"] if n["type"] == "testsrc.camera")["config"]
    fps = camera["fps"]
    frames = int(args.seconds * fps)

    sb, ff = [], []
    with tempfile.TemporaryDirectory(prefix="sb-bench-") as work:
        config = os.path.join(work, "demo.json")
        with open(config, "w") as f:
            json.dump(demo, f)
        for _ in range(args.runs):
            cpu, rss = run_measured([program, "run", config, "--stats-json", "stats.json", "--log-level", "warn"],
                                    work, args.seconds + 60)
            with open(os.path.join(work, "stats.json")) as f:
                stats = json.load(f)
            links = {l["link"]: l for l in stats["links"]}
            sb.append({
                "cpu_s": cpu,
                "peak_rss_mib": rss,
                "core_p50_us": sum(links[k]["handoff_ns"]["p50"] for k in VIDEO_PATH) / 1e3,
                "core_p99_us": sum(links[k]["handoff_ns"]["p99"] for k in VIDEO_PATH) / 1e3,
                "nodes": {n["name"]: {"frames_out": n["frames_out"], "drops": n["drops"],
                                      "p50_us": n["latency_ns"]["p50"] / 1e3,
                                      "p99_us": n["latency_ns"]["p99"] / 1e3} for n in stats["nodes"]},
                "links": {k: {"p50_us": v["handoff_ns"]["p50"] / 1e3, "p99_us": v["handoff_ns"]["p99"] / 1e3,
                              "drops": v["drops"]} for k, v in links.items()},
            })
            cpu, rss = run_measured(
                ["ffmpeg", "-v", "error", "-y", "-re",
                 "-f", "lavfi", "-i", "testsrc2=size=%dx%d:rate=%d" % (camera["width"], camera["height"], fps),
                 "-re", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                 "-t", str(args.seconds),
                 "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-threads", "1", "-b:v", "2500k",
                 "-c:a", "libopus", "-b:a", "64k", "ffmpeg.mkv"],
                work, args.seconds + 60)
            ff.append({"cpu_s": cpu, "peak_rss_mib": rss})

    median = statistics.median
    middle = sorted(sb, key=lambda r: r["core_p99_us"])[len(sb) // 2]
    print(json.dumps({
        "graph": "testsrc.camera %dx%d@%d -> transcode.encoder h264 + opus -> file.sink mkv" % (
            camera["width"], camera["height"], fps),
        "seconds": args.seconds,
        "runs": args.runs,
        "switchboard": {
            "core_added_latency_per_video_frame_p50_us": median(r["core_p50_us"] for r in sb),
            "core_added_latency_per_video_frame_p99_us": median(r["core_p99_us"] for r in sb),
            "cpu_ms_per_video_frame": median(r["cpu_s"] for r in sb) / frames * 1e3,
            "peak_rss_mib": median(r["peak_rss_mib"] for r in sb),
            "links_median_run": middle["links"],
            "nodes_median_run": middle["nodes"],
        },
        "ffmpeg": {
            "cpu_ms_per_video_frame": median(r["cpu_s"] for r in ff) / frames * 1e3,
            "peak_rss_mib": median(r["peak_rss_mib"] for r in ff),
        },
    }, indent=2))


if __name__ == "__main__":
    main()
