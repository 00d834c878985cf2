#!/usr/bin/python3
"""Self-test of lipsync.py (the flash/beep detectors) and of webrtc_peer_aiortc.py's
--lipsync / --send-flash-beep.

Unit-style cases on synthetic media (numpy frames and sample chunks with known offsets,
chunk sizes of Opus, AAC and G.711, jittered arrival, streams that start inside a flash or
a beep, distracting tones, PyAV frames, RTP timestamp wrap and sender-report mapping),
then one real call: two aiortc peers on 127.0.0.1, each sending a flash-beep source and
measuring the other's (the test relays their signalling, and takes the ssrc-audio-level
extension out of the descriptions: aiortc 1.4 mixes up the header extension ids of
bundled audio and video and drops the transport at the first audio packet that carries
it). Prints one line per case and 'N passed, N failed'; exits 1 if any failed.
"""
import json
import os
import subprocess
import sys
import threading
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import lipsync  # noqa: E402

RNG = np.random.default_rng(7)


def approx(value, want, tol, what):
    if value is None or abs(value - want) > tol:
        raise AssertionError(f"{what}: {value}, wanted {want} ± {tol}")


def synth(offset_ms=0.0, seconds=5, fps=30, rate=48000, chunk=960, start=0.0, jitter_ms=0.0,
          tone_440=0.0, noise=10 ** (-50 / 20), size=(48, 64), flash_frames=3, beep_ms=100,
          amplitude=0.7, skip_beeps=()):
    """Feeds a FlashDetector and a BeepDetector like a receiver would: video frames at
    n/fps, flashes at each whole second, the beep offset_ms later. Returns both."""
    flashes, beeps = lipsync.FlashDetector(), lipsync.BeepDetector(rate)
    h, w = size
    for n in range(int(start * fps), seconds * fps):
        t = n / fps
        white = n % fps < flash_frames
        y = np.full(size, 235 if white else 16, np.uint8)
        if not white:
            y[:4, :16] = 235  # a stamp-like block
        y = np.clip(y + RNG.normal(0, 2, size), 0, 255)
        flashes.add(t, lipsync.mean_luma(y))
    total = seconds * rate
    s = int(start * rate)
    beep_len = int(rate * beep_ms / 1000)
    while s < total:
        size_now = chunk if isinstance(chunk, int) else int(RNG.integers(chunk[0], chunk[1]))
        idx = np.arange(s, s + size_now)
        t = idx / rate
        x = noise * RNG.standard_normal(size_now) + tone_440 * np.sin(2 * np.pi * 440 * t)
        rel = t - offset_ms / 1000.0
        sec = np.floor(rel)
        in_beep = ((rel - sec) < beep_len / rate) & ~np.isin(sec, skip_beeps)
        x = x + np.where(in_beep, amplitude * np.sin(2 * np.pi * 1000 * (rel - sec)), 0.0)
        t0 = s / rate + (RNG.uniform(-jitter_ms, jitter_ms) / 1000.0 if jitter_ms else 0.0)
        beeps.add(t0, (np.clip(x, -1, 0.99997) * 32767).astype(np.int16))
        s += size_now
    beeps.flush()
    return flashes, beeps


# ---------------------------------------------------------------- cases

def case_offsets():
    """Known offsets, Opus-sized chunks: within 0.5 ms, one pair per second."""
    out = []
    for off in (0.0, 40.0, -25.0, 7.3, 123.4, -180.0):
        f, b = synth(off)
        s = lipsync.summary(f.onsets, b.onsets)
        # the first second's beep at -180 ms falls before the stream: 4 pairs then
        if s["pairs"] < 4:
            raise AssertionError(f"offset {off}: {s}")
        approx(s["median"], off, 0.5, f"median for offset {off}")
        approx(max(s["list"]) - min(s["list"]), 0, 0.5, f"spread for offset {off}")
        out.append(f"{off:+}->{s['median']:+}")
    return "  ".join(out)


def case_chunk_sizes():
    """AAC's 1024-sample frames, G.711's 160 at 8 kHz, random sizes: windows across chunks."""
    out = []
    for name, rate, chunk in (("aac", 48000, 1024), ("g711", 8000, 160), ("random", 48000, (37, 3001)),
                              ("44.1k", 44100, 441)):
        f, b = synth(12.0, rate=rate, chunk=chunk)
        s = lipsync.summary(f.onsets, b.onsets)
        approx(s["median"], 12.0, 1.0, f"{name} median")
        out.append(f"{name} {s['median']}")
    return "  ".join(out)


def case_starts_inside():
    """A stream that starts inside a flash and a beep counts neither of them."""
    f, b = synth(0.0, start=1.04)  # inside second 1's flash (3 frames = 0-100 ms) and beep
    if f.onsets and f.onsets[0] < 1.5 or b.onsets and b.onsets[0] < 1.5:
        raise AssertionError(f"partial flash or beep counted: {f.onsets[:2]} {b.onsets[:2]}")
    s = lipsync.summary(f.onsets, b.onsets)
    approx(s["pairs"], 3, 0, "pairs")
    return f"first flash {f.onsets[0]:.3f} s, first beep {b.onsets[0]:.3f} s"


def case_unpaired():
    """A missing beep leaves its flash alone; a beep 600 ms off pairs with nothing."""
    f, b = synth(0.0, skip_beeps=(2, 3))
    s = lipsync.summary(f.onsets, b.onsets)
    approx(s["pairs"], 2, 0, f"pairs with beeps 2 and 3 missing ({s})")
    f, b = synth(600.0, seconds=3)
    s = lipsync.summary(f.onsets, b.onsets)
    # beep at k+0.6 is 400 ms from flash k+1: those pair (at -400), none at +600
    if any(abs(o - 600) < 1 for o in s["list"]):
        raise AssertionError(f"a 600 ms offset paired: {s}")
    s = lipsync.summary([1.0, 2.0], [])
    if s["median"] is not None or s["pairs"] != 0:
        raise AssertionError(f"no beeps: {s}")
    return "missing beeps skipped; > 500 ms never paired; no beeps -> median null"


def case_jitter():
    """Audio chunks stamped with ±4 ms arrival jitter: median within the jitter."""
    f, b = synth(30.0, seconds=8, jitter_ms=4.0)
    s = lipsync.summary(f.onsets, b.onsets)
    approx(s["median"], 30.0, 4.0, "median")
    return f"median {s['median']} ms, list {s['list']}"


def case_selectivity():
    """Loud tones of other frequencies, and noise, make no beep; a beep over a 440 Hz
    tone is still found; a quiet beep (-26 dBFS) still counts, a whisper (-36) not."""
    for hz in (440.0, 500.0, 2000.0, 1150.0):
        b = lipsync.BeepDetector(48000)
        t = np.arange(48000 * 3) / 48000
        b.add(0.0, 0.95 * np.sin(2 * np.pi * hz * t))
        b.add(3.0, 0.5 * RNG.standard_normal(48000))
        if b.flush():
            raise AssertionError(f"{hz} Hz or noise taken for a beep: {b.onsets[:3]} (peak {b.peak_dbfs:.1f} dBFS)")
    f, b = synth(5.0, tone_440=0.3)
    s = lipsync.summary(f.onsets, b.onsets)
    approx(s["median"], 5.0, 1.0, "beep over a 440 Hz tone")
    f, b = synth(0.0, amplitude=0.07)
    approx(lipsync.summary(f.onsets, b.onsets)["pairs"], 4, 1, "pairs at -26 dBFS")
    f, b = synth(0.0, amplitude=0.022)
    approx(lipsync.summary(f.onsets, b.onsets)["pairs"], 0, 0, "pairs at -36 dBFS")
    return "440/500/1150/2000 Hz and noise ignored; beep over 440 Hz found; threshold -30 dBFS"


def case_flash_levels():
    """A bright test pattern is no flash; a white frame scaled/compressed to ~200 is."""
    f = lipsync.FlashDetector()
    for n in range(60):
        f.add(n / 30, 130.0 if n % 10 else 175.0)
    if f.onsets:
        raise AssertionError(f"pattern frames taken for flashes: {f.onsets}")
    f = lipsync.FlashDetector()
    for n in range(90):
        f.add(n / 30, 200.0 if n % 30 == 0 else 20.0)
    approx(len(f.onsets), 2, 0, "flashes (the first frame is white: not counted)")
    return f"onsets {f.onsets}"


def case_pyav_frames():
    """mean_luma on a PyAV frame with padded lines; mono_samples on packed and planar audio."""
    import av
    y = np.full((120, 100), 16, np.uint8)
    y[:, :50] = 235
    img = np.vstack([y, np.full((60, 100), 128, np.uint8)])
    frame = av.VideoFrame.from_ndarray(img, format="yuv420p")
    approx(lipsync.mean_luma(frame), (235 + 16) / 2, 0.01, f"mean luma (line size {frame.planes[0].line_size})")
    pcm = (np.arange(960 * 2) % 100).astype(np.int16).reshape(1, -1)
    a = av.AudioFrame.from_ndarray(pcm, format="s16", layout="stereo")
    m = lipsync.mono_samples(a)
    approx(len(m), 960, 0, "packed stereo samples")
    approx(m[1] * 32768, 2, 1e-6, "left channel of packed stereo")
    planar = np.vstack([np.full(480, 0.5, np.float32), np.full(480, -0.5, np.float32)])
    a = av.AudioFrame.from_ndarray(planar, format="fltp", layout="stereo")
    m = lipsync.mono_samples(a)
    approx(float(m.mean()), 0.5, 1e-6, "left channel of planar float")
    return f"luma line size {frame.planes[0].line_size} for width 100"


def case_rtp_clock():
    """Timestamps unwrap across 2**32; an SR maps them to the sender's clock, either side
    of a wrap."""
    c = lipsync.RtpClock(90000)
    ts = [0xFFFFFF00 + i * 3000 for i in range(5)]
    secs = [c.seconds(t) for t in ts]
    diffs = np.diff(secs)
    approx(float(diffs.min()), 3000 / 90000, 1e-9, "step across the wrap")
    approx(float(diffs.max()), 3000 / 90000, 1e-9, "step across the wrap")
    c.sender_report(int(1000.25 * (1 << 32)), (0xFFFFFF00 + 3000) & 0xFFFFFFFF)
    approx(c.sender_time(secs[1]), 1000.25, 1e-6, "the SR's own timestamp")
    approx(c.sender_time(secs[4]), 1000.25 + 9000 / 90000, 1e-6, "after the wrap")
    if lipsync.RtpClock(8000).sender_time(1.0) is not None:
        raise AssertionError("a time without any SR")
    return "wrap and SR mapping exact"


def case_meter():
    """Meter on three clocks: arrival with a constant extra audio delay, RTP timestamps with
    random origins mapped through SRs (sender clock offset 0), packet arrival absent."""
    m = lipsync.Meter()
    v0, a0 = 0x12345678, 0xFFFF0000  # random-looking origins; audio wraps
    ntp0 = 3900000000.0
    fps, rate = 30, 48000
    m.video(16, {"arrival": 0.0}, v0, 90000)  # make the clocks exist before the SRs
    m.audio(np.zeros(960), rate, {"arrival": 0.0}, a0, rate)
    m.video_sender_report(int(ntp0 * (1 << 32)), v0)
    m.audio_sender_report(int(ntp0 * (1 << 32)), a0)
    for n in range(1, 5 * fps):
        luma = 235 if n % fps < 3 else 16
        m.video(luma, {"arrival": n / fps + 0.010}, (v0 + n * 3000) & 0xFFFFFFFF, 90000)
    for i in range(1, 5 * rate // 960):
        s = i * 960
        t = np.arange(s, s + 960) / rate
        x = np.where((t % 1.0) < 0.1, 0.7 * np.sin(2 * np.pi * 1000 * t), 0.0)
        m.audio(x, rate, {"arrival": s / rate + 0.060}, (a0 + s) & 0xFFFFFFFF, rate)
    r = m.report()
    approx(r["arrival"]["median"], 50.0, 0.5, "arrival median")
    approx(r["rtcp_sr"]["median"], 0.0, 0.5, "rtcp_sr median")
    if "packet_arrival" in r:
        raise AssertionError("a clock nobody fed")
    return f"arrival {r['arrival']['median']} ms, rtcp_sr {r['rtcp_sr']['median']} ms"


def case_aiortc_call():
    """Two aiortc peers, each --send-flash-beep --lipsync, over 127.0.0.1."""
    peer = os.path.join(HERE, "webrtc_peer_aiortc.py")
    common = ["--size", "320x240", "--duration", "5", "--timeout", "25", "--send-flash-beep", "--lipsync"]
    procs = {role: subprocess.Popen(["/usr/bin/python3", peer, "--role", role, *common], stdin=subprocess.PIPE,
                                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
             for role in ("offer", "answer")}
    reports = {}

    def relay(src, dst):
        for line in procs[src].stdout:
            try:
                msg = json.loads(line)
            except ValueError:
                continue
            if msg.get("type") == "report":
                reports[src] = msg
            if msg.get("type") in ("offer", "answer", "candidate"):
                if "sdp" in msg:
                    msg["sdp"] = "\r\n".join(l for l in msg["sdp"].split("\r\n") if "ssrc-audio-level" not in l)
                try:
                    procs[dst].stdin.write(json.dumps(msg) + "\n")
                    procs[dst].stdin.flush()
                except OSError:
                    pass
    threads = [threading.Thread(target=relay, args=(a, b), daemon=True) for a, b in (("offer", "answer"),
                                                                                     ("answer", "offer"))]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(40)
    finally:
        for p in procs.values():  # each by its PID
            if p.poll() is None:
                p.terminate()
                try:
                    p.wait(5)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()
    notes = []
    for role in ("offer", "answer"):
        r = reports.get(role)
        if not r:
            raise AssertionError(f"no report from the {role} peer")
        dec, pkt, sr = r.get("av_offset_ms"), r.get("av_offset_packet_ms"), r.get("av_offset_sr_ms")
        if not dec or dec["pairs"] < 3:
            raise AssertionError(f"{role}: av_offset_ms {dec}")
        if not pkt or pkt["pairs"] < 3 or not sr or sr["pairs"] < 3:
            raise AssertionError(f"{role}: packet {pkt}, sr {sr}")
        # The source is aligned; Opus adds its 6.5 ms look-ahead, aiortc's receive buffers
        # hold audio ~50 ms longer than video (arrival only). Loose bounds: a loaded machine.
        approx(sr["median"], 6.5, 15.0, f"{role} rtcp_sr median")
        approx(pkt["median"], 6.5, 40.0, f"{role} packet arrival median")
        approx(dec["median"], 50.0, 80.0, f"{role} decoded arrival median")
        notes.append(f"{role}: arrival {dec['median']:+} / packet {pkt['median']:+} / sr {sr['median']:+} ms "
                     f"({dec['pairs']} pairs)")
    return "; ".join(notes)


CASES = [
    ("offsets", case_offsets),
    ("chunk-sizes", case_chunk_sizes),
    ("starts-inside", case_starts_inside),
    ("unpaired", case_unpaired),
    ("jitter", case_jitter),
    ("selectivity", case_selectivity),
    ("flash-levels", case_flash_levels),
    ("pyav-frames", case_pyav_frames),
    ("rtp-clock", case_rtp_clock),
    ("meter", case_meter),
    ("aiortc-call", case_aiortc_call),
]


def main():
    wanted = sys.argv[1:]
    passed = failed = 0
    start = time.monotonic()
    for name, fn in CASES:
        if wanted and not any(w in name for w in wanted):
            continue
        t = time.monotonic()
        try:
            note = fn()
            passed += 1
            print(f"PASS {name} ({time.monotonic() - t:.1f} s): {note}", flush=True)
        except Exception as e:  # noqa: BLE001 - one line per case, whatever went wrong
            failed += 1
            print(f"FAIL {name} ({time.monotonic() - t:.1f} s): {type(e).__name__}: {e}", flush=True)
    print(f"total {time.monotonic() - start:.1f} s")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
