#!/usr/bin/python3
"""Call setup time of a Matrix legacy 1:1 call as the callee (matrix-js-sdk 37.5.0 on Node
with @roamhq/wrtc, tests/peers/node/matrix_callee.mjs) sees it, on the mini homeserver with
Synapse's default rate limit (--rc-message 0.2:10):

  (a) js-sdk calls js-sdk (matrix_caller.mjs -> matrix_callee.mjs), the reference;
  (b) Switchboard calls js-sdk: `switchboard run` on a station config (test pattern camera ->
      matrix.signalling), the call placed with `switchboard call station @bob:localhost
      --control 127.0.0.1:PORT`. Skipped, with the reason, when `switchboard plugins` does
      not list matrix.signalling.

Two figures per call, both ending at the callee's first decoded video frame:
  invite_to_first_frame_ms  from the homeserver accepting the m.call.invite (its
                            origin_server_ts, one clock: everything runs on this machine)
  answer_to_first_frame_ms  from the callee's call.answer() (its own report)
The callee hangs up 2 s after connected, in both parts, so both callers send the same kind
of events. Each part keeps one caller and one callee user for all its calls (the rate limit
is per user): 429s from the homeserver are counted per call and printed beside the figures.
Medians over the runs, side by side; one JSON document on stdout (and in --json PATH).

usage: matrix_call_setup.py BUILD_DIR [--runs N] [--smoke] [--gap S] [--json PATH] [--part a|b|both]
"""
import argparse
import json
import os
import queue
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

from loopback import free_port, wait_for_port

NODE = "/usr/bin/node"
RC_MESSAGE = "0.2:10"
PASSWORD = "bench-pw"
HANGUP_AFTER_S = 2
CALL_TIMEOUT_S = 60
FIGURES = ["invite_to_first_frame_ms", "answer_to_first_frame_ms", "invite_seen_to_first_frame_ms"]
# The station contract (plugins/matrix, being written): its input and output port names.
STATION_TYPE = "matrix.signalling"
STATION_IN = {"video": "video", "audio": "audio"}
STATION_OUT = {"video": "video", "audio": "audio"}
CONTROL_LINE = re.compile(r"control API at http://([0-9.]+):(\d+)/")


def http_json(url, body=None, timeout=10):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method="GET" if body is None else "POST",
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return json.loads(r.read())


def stop(proc, sig=signal.SIGTERM, timeout=10):
    """Ends a child we started, by its PID: `sig`, then SIGKILL after `timeout`."""
    if proc.poll() is not None:
        return
    proc.send_signal(sig)
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


class JsonLines:
    """A driver's stdout, one JSON object per line, read by a thread; waits with timeouts."""

    def __init__(self, argv, stderr):
        self.proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=stderr, text=True)
        self.lines = queue.Queue()
        self.seen = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            try:
                self.lines.put(json.loads(line))
            except ValueError:
                pass
        self.lines.put(None)

    def wait_for(self, pred, timeout):
        """The first object (seen from now on or before) for which pred holds, or None."""
        for obj in self.seen:
            if pred(obj):
                return obj
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            try:
                obj = self.lines.get(timeout=left)
            except queue.Empty:
                return None
            if obj is None:
                return None
            self.seen.append(obj)
            if pred(obj):
                return obj

    def event(self, name, timeout):
        return self.wait_for(lambda o: o.get("type") == "event" and o.get("event") == name, timeout)

    def report(self, timeout):
        return self.wait_for(lambda o: o.get("type") == "report", timeout)


class Homeserver:
    def __init__(self, peers, log):
        self.port = free_port()
        self.url = "http://127.0.0.1:%d" % self.port
        self.proc = subprocess.Popen([NODE, os.path.join(peers, "mini_homeserver.mjs"), "--port", str(self.port),
                                      "--quiet", "--rc-message", RC_MESSAGE], stdout=subprocess.DEVNULL, stderr=log)
        if not wait_for_port(self.port, 15):
            stop(self.proc)
            sys.exit("the mini homeserver did not listen")

    def register(self, localpart):
        return http_json(self.url + "/_matrix/client/v3/register",
                         {"username": localpart, "password": PASSWORD, "inhibit_login": True})["user_id"]

    def invite_ts(self, call_id):
        for e in http_json(self.url + "/_test/events")["events"]:
            if e["type"] == "m.call.invite" and e["content"].get("call_id") == call_id:
                return e["origin_server_ts"], e["sender"]
        return None, None

    def rate_limited(self, since_ms):
        """429s per user since `since_ms` (epoch ms)."""
        out = {}
        for s in http_json(self.url + "/_test/sends")["sends"]:
            if s["status"] == 429 and s["ts"] >= since_ms:
                out[s["user"]] = out.get(s["user"], 0) + 1
        return out

    def close(self):
        stop(self.proc)


def start_callee(peers, hs, user, log):
    callee = JsonLines([NODE, os.path.join(peers, "matrix_callee.mjs"), "--hs", hs.url, "--user", user,
                        "--password", PASSWORD, "--calls", "1", "--min-frames", "1",
                        "--hangup-after", str(HANGUP_AFTER_S), "--timeout", str(CALL_TIMEOUT_S)], log)
    if not callee.event("ready", 30):
        stop(callee.proc)
        raise RuntimeError("the js-sdk callee did not get ready")
    return callee


def figures(hs, callee_report, since_ms):
    """The measured figures of the one call in a callee's report."""
    calls = callee_report.get("calls") or []
    if not calls:
        raise RuntimeError("the callee saw no call")
    c = calls[0]
    if c["first_frame_ts"] is None:
        raise RuntimeError("no video frame decoded at the callee (states %s, hangup %s)" %
                           (c["states"], c["hangup_reason"]))
    invite_ts, sender = hs.invite_ts(c["call_id"])
    return {
        "call_id": c["call_id"], "caller": sender,
        "invite_to_first_frame_ms": c["first_frame_ts"] - invite_ts if invite_ts else None,
        "answer_to_first_frame_ms": c["first_frame_ms_after_answer"],
        "invite_seen_to_first_frame_ms": c["first_frame_ms_after_invite"],
        "frames": c["frames_received"], "audio_dbfs": c["audio_dbfs"],
        "hangup": [c["hangup_reason"], c["hangup_party"]],
        "rate_limited_sends": hs.rate_limited(since_ms),
    }


def part_a(peers, hs, runs, gap, log):
    """js-sdk (alice) calls js-sdk (bob)."""
    hs.register("alice")
    bob = hs.register("bob")
    out = []
    for i in range(runs):
        if i:
            time.sleep(gap)
        since = int(time.time() * 1000)
        callee = start_callee(peers, hs, "bob", log)
        try:
            caller = JsonLines([NODE, os.path.join(peers, "matrix_caller.mjs"), "--hs", hs.url, "--user", "alice",
                                "--password", PASSWORD, "--target", bob, "--min-frames", "0",
                                "--timeout", str(CALL_TIMEOUT_S)], log)
            try:
                if not caller.report(CALL_TIMEOUT_S + 15):
                    raise RuntimeError("the js-sdk caller gave no report")
            finally:
                stop(caller.proc)
            report = callee.report(30)
            if not report:
                raise RuntimeError("the js-sdk callee gave no report")
        finally:
            stop(callee.proc)
        out.append(figures(hs, report, since))
    return out


def station_config(workdir, hs, bob):
    return {
        "state_dir": os.path.join(workdir, "state"),
        "rtc": {"gather_addresses": ["127.0.0.1"]},
        "control": {"listen": "127.0.0.1:0"},
        "nodes": [
            {"name": "camera", "type": "testsrc.camera", "config": {"width": 1280, "height": 720, "fps": 30}},
            {"name": "station", "type": STATION_TYPE, "config": {
                "homeserver": hs.url, "user": "station", "password": "${env:STATION_PASSWORD}",
                "allow": [bob], "ring": [bob], "lifetime_ms": 60000}},
            {"name": "far_video", "type": "file.sink", "config": {"path": os.path.join(workdir, "far.mkv")}},
        ],
        "links": [
            {"from": "camera.video", "to": "station." + STATION_IN["video"]},
            {"from": "camera.audio", "to": "station." + STATION_IN["audio"]},
            {"from": "station." + STATION_OUT["video"], "to": "far_video.video"},
            {"from": "station." + STATION_OUT["audio"], "to": "far_video.audio"},
        ],
    }


def station_missing(build):
    """Why part (b) cannot run, or None."""
    binary = os.path.join(build, "bin", "switchboard")
    if not os.access(binary, os.X_OK):
        return "no %s" % binary
    try:
        listed = subprocess.run([binary, "plugins"], capture_output=True, text=True, timeout=30).stdout
    except subprocess.TimeoutExpired:
        return "`switchboard plugins` did not answer in 30 s"
    if not re.search(r"^\s+%s\s" % re.escape(STATION_TYPE), listed, re.M):
        return "`switchboard plugins` does not list %s (plugins/matrix not built yet)" % STATION_TYPE
    return None


def part_b(build, peers, hs, runs, gap, workdir, log):
    """Switchboard's station calls js-sdk (bob)."""
    hs.register("station")
    bob = hs.register("bob")
    path = os.path.join(workdir, "station.json")
    with open(path, "w") as f:
        json.dump(station_config(workdir, hs, bob), f, indent=2)
    binary = os.path.join(build, "bin", "switchboard")
    with tempfile.NamedTemporaryFile(prefix="switchboard-", suffix=".log", dir=workdir, delete=False) as gwlog:
        pass
    with open(gwlog.name, "w") as gw_err:
        gateway = subprocess.Popen([binary, "run", path], stdout=subprocess.DEVNULL, stderr=gw_err,
                                   env={**os.environ, "STATION_PASSWORD": PASSWORD})
    try:
        control = None
        deadline = time.monotonic() + 30
        while control is None and time.monotonic() < deadline and gateway.poll() is None:
            with open(gwlog.name) as f:
                m = CONTROL_LINE.search(f.read())
            if m:
                control = "%s:%s" % (m.group(1), m.group(2))
            else:
                time.sleep(0.1)
        if control is None:
            with open(gwlog.name) as f:
                tail = f.read()[-2000:]
            raise RuntimeError("no 'control API at' line from switchboard run:\n" + tail)
        out = []
        for i in range(runs):
            if i:
                time.sleep(gap)
            since = int(time.time() * 1000)
            callee = start_callee(peers, hs, "bob", log)
            try:
                placed = subprocess.run([binary, "call", "station", bob, "--control", control],
                                        capture_output=True, text=True, timeout=60)
                if placed.returncode != 0:
                    raise RuntimeError("switchboard call failed (%d): %s" % (placed.returncode, placed.stderr.strip()))
                report = callee.report(CALL_TIMEOUT_S + 15)
                if not report:
                    raise RuntimeError("the js-sdk callee gave no report")
            finally:
                stop(callee.proc)
            row = figures(hs, report, since)
            row["switchboard_call_output"] = placed.stdout.strip()
            out.append(row)
        return out
    finally:
        stop(gateway, signal.SIGINT, 30)


def medians(rows):
    out = {}
    for k in FIGURES:
        values = [r[k] for r in rows if r.get(k) is not None]
        out[k] = statistics.median(values) if values else None
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("build_dir")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--smoke", action="store_true", help="one run per part, no gap")
    ap.add_argument("--gap", type=float, default=5.0, help="seconds between calls (lets the rate limit refill)")
    ap.add_argument("--part", choices=["a", "b", "both"], default="both")
    ap.add_argument("--json", help="also write the result here")
    args = ap.parse_args()
    if args.smoke:
        args.runs, args.gap = 1, 0.0
    build = os.path.abspath(args.build_dir)
    peers = os.path.join(build, "peers", "node")
    if not os.path.isdir(os.path.join(peers, "node_modules", "matrix-js-sdk")):
        sys.exit("no npm packages in %s: run `ctest --test-dir %s -R node_peers_install` (npm ci) first"
                 % (peers, args.build_dir))

    result = {"benchmark": "matrix_call_setup", "runs": args.runs, "rc_message": RC_MESSAGE,
              "callee": "matrix-js-sdk 37.5.0 + @roamhq/wrtc (matrix_callee.mjs)"}
    failed = False
    with tempfile.TemporaryDirectory(prefix="sb-matrix-bench-") as workdir, \
            tempfile.TemporaryFile() as log:
        parts = []
        if args.part in ("a", "both"):
            parts.append(("a_jssdk_calls_jssdk", lambda hs: part_a(peers, hs, args.runs, args.gap, log)))
        if args.part in ("b", "both"):
            why = station_missing(build)
            if why:
                print("matrix_call_setup: part (b) skipped: " + why, file=sys.stderr)
                result["b_switchboard_calls_jssdk"] = {"skipped": why}
            else:
                parts.append(("b_switchboard_calls_jssdk",
                              lambda hs: part_b(build, peers, hs, args.runs, args.gap, workdir, log)))
        for name, run in parts:
            hs = Homeserver(peers, log)  # one per part: fresh rate-limit buckets and rooms
            try:
                rows = run(hs)
                result[name] = {"calls": rows, "median": medians(rows)}
            except (RuntimeError, OSError, subprocess.TimeoutExpired) as e:
                failed = True
                result[name] = {"error": str(e)}
            finally:
                hs.close()
        if failed:
            log.seek(0)
            sys.stderr.write(log.read()[-4000:].decode(errors="replace"))

    for name in ("a_jssdk_calls_jssdk", "b_switchboard_calls_jssdk"):  # in this order in the output
        if name in result:
            result[name] = result.pop(name)
    side = {}
    for k in FIGURES:
        side[k] = {"jssdk": result.get("a_jssdk_calls_jssdk", {}).get("median", {}).get(k),
                   "switchboard": result.get("b_switchboard_calls_jssdk", {}).get("median", {}).get(k)}
    result["side_by_side_median"] = side
    text = json.dumps(result, indent=2)
    print(text)
    if args.json:
        with open(args.json, "w") as f:
            f.write(text + "\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
