#!/usr/bin/python3
"""The demo, end to end, as the README runs it: configs/demo.json writes an MKV that
ffprobe reads as H264 + Opus of the configured duration (within 10 %), the program prints
the per-node latency table, and the stamps read back from the decoded frames carry
consecutive frame numbers.

usage: demo_test.py BINARY_DIR SOURCE_DIR
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "peers"))
import stamp  # noqa: E402  (the test peers' stamp format)


class Plane:
    """A luma plane as stamp.read() indexes it: y[row, column]."""

    def __init__(self, data, width):
        self.data, self.width = data, width

    def __getitem__(self, rc):
        return self.data[rc[0] * self.width + rc[1]]


def check(condition, message):
    if not condition:
        print("FAIL:", message)
        sys.exit(1)


def main():
    binary_dir, source_dir = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    program = os.path.join(binary_dir, "bin", "switchboard")
    config = os.path.join(source_dir, "configs", "demo.json")
    with open(config) as f:
        spec = json.load(f)
    duration = spec["duration_s"]
    camera = next(n for n in spec["nodes"] if n["type"] == "testsrc.camera")["config"]
    width, height = camera["width"], camera["height"]

    work = tempfile.mkdtemp(prefix="sb-demo-")
    try:
        run = subprocess.run([program, "run", config, "--stats-json", "stats.json"], cwd=work,
                             capture_output=True, text=True, timeout=duration + 60)
        print(run.stdout)
        check(run.returncode == 0, "demo exited %d: %s" % (run.returncode, run.stderr))
        for name in ("camera", "h264", "opus", "recorder"):
            check(any(line.startswith(name + " ") for line in run.stdout.splitlines()),
                  "no latency row for " + name)
        check("p99 ms" in run.stdout, "no latency table")
        with open(os.path.join(work, "stats.json")) as f:
            stats = {n["name"]: n for n in json.load(f)["nodes"]}
        check(stats["recorder"]["frames_in"] > 0, "the recorder got nothing")

        out = os.path.join(work, "switchboard-demo.mkv")
        probe = subprocess.run(["ffprobe", "-v", "error", "-show_entries",
                                "stream=codec_name,codec_type,width,height:format=duration",
                                "-of", "json", out], capture_output=True, text=True, timeout=30)
        check(probe.returncode == 0, "ffprobe failed: " + probe.stderr)
        info = json.loads(probe.stdout)
        codecs = sorted(s["codec_name"] for s in info["streams"])
        check(codecs == ["h264", "opus"], "streams are %s" % codecs)
        got = float(info["format"]["duration"])
        check(abs(got - duration) <= 0.1 * duration, "duration %.2f s, configured %s s" % (got, duration))
        print("ffprobe: %s, %.2f s" % (codecs, got))

        raw = subprocess.run(["ffmpeg", "-v", "error", "-i", out, "-map", "0:v", "-fps_mode", "passthrough", "-f", "rawvideo",
                              "-pix_fmt", "gray", "-"], capture_output=True, timeout=120)
        check(raw.returncode == 0, "ffmpeg decode failed: " + raw.stderr.decode())
        size = width * height
        frames = [raw.stdout[i:i + size] for i in range(0, len(raw.stdout) - size + 1, size)]
        counters = [stamp.read(Plane(f, width), width)[1] for f in frames]
        check(len(counters) >= 0.9 * duration * camera["fps"], "only %d frames" % len(counters))
        gaps = [(a, b) for a, b in zip(counters, counters[1:]) if (b - a) & 0xFFFF != 1]
        check(not gaps, "stamps not consecutive: %s" % gaps[:5])
        print("stamps: %d frames, counters %d..%d, consecutive" % (len(counters), counters[0], counters[-1]))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("1 passed, 0 failed")


if __name__ == "__main__":
    main()
