"""One measured run of one system: the taps around it, the system itself (and a WHEP
viewer for Switchboard), a warm-up, the measured interval, and the figures."""
import json
import os
import time

import analysis
import procstat
import realtime
from loopback import free_port, wait_for_port
from procs import Child

HERE = os.path.dirname(os.path.abspath(__file__))
PY = "/usr/bin/python3"


def count_lines(path, text):
    """Lines of a log holding `text`: Switchboard's VP8 encoder reopens (a new keyframe, a
    stall) on each bitrate change its viewers' estimates ask for, and logs each."""
    with open(path, errors="replace") as f:
        return sum(text in line for line in f)


def run(system, camera, build, workdir, seconds, warmup_s=1.5, tail_s=0.5):
    """camera: (port, path). Returns the run's figures; raises RuntimeError when media never flows."""
    os.makedirs(workdir, exist_ok=True)
    log = lambda name: os.path.join(workdir, name + ".log")  # noqa: E731
    children = []
    viewer = None

    def start(name, argv, **kw):
        child = Child(name, argv, log(name), **kw)
        children.append(child)
        return child

    in_rec, out_rec = os.path.join(workdir, "input.rec"), os.path.join(workdir, "output.rec")
    key_log = os.path.join(workdir, "srtp-keys.log") if system.via == "webrtc" else None
    try:
        in_tap = start("rtsp_tap", [PY, os.path.join(HERE, "rtsp_tap.py"), "--camera-port", str(camera[0]),
                                    "--out", in_rec])
        url = "rtsp://127.0.0.1:%d%s" % (in_tap.expect("port", 10)["port"], camera[1])
        out_tap = start("udp_tap", [PY, os.path.join(HERE, "udp_tap.py"),
                                    "relay" if system.via == "webrtc" else "sink", "--out", out_rec,
                                    "--codec", system.codec] + (["--key-log", key_log] if key_log else []))
        ports = out_tap.expect("peer_port" if system.via == "webrtc" else "port", 10)
        realtime_taps = in_tap.expect("port", 1)["realtime"] and ports["realtime"]
        whep_port = free_port()
        sut = start("sut", system.argv(build=build, url=url, workdir=workdir, whep_port=whep_port,
                                       key_log=key_log, port=ports.get("port")), cwd=workdir)
        if system.via == "webrtc":
            if not wait_for_port(whep_port, 20):
                raise RuntimeError("whep.server did not listen; see " + log("sut"))
            viewer = start("viewer", [PY, os.path.join(HERE, "whep_viewer.py"),
                                      "--whep", "http://127.0.0.1:%d/whep" % whep_port, "--codec", system.codec,
                                      "--relay-peer-port", str(ports["peer_port"]),
                                      "--relay-gateway-port", str(ports["gateway_port"])],
                           preexec_fn=realtime.background)
        out_tap.expect("first_rtp_ns", 30)
        # Measure from the first keyframe on: a viewer that joined between keyframes sees
        # nothing before it (how long that took is output_first_keyframe_ms).
        out_tap.expect("first_keyframe_ns", 30)
        time.sleep(warmup_s)
        t0, cpu0 = time.monotonic_ns(), procstat.cpu_seconds(sut.pid)
        time.sleep(seconds)
        t1, cpu1 = time.monotonic_ns(), procstat.cpu_seconds(sut.pid)
        peak = procstat.peak_rss_mib(sut.pid)
        time.sleep(tail_s)  # frames that entered before t1 are still on their way out
    finally:
        # The viewer hangs up first (a DELETE), then the system, then the taps write their files.
        for child in reversed(children):
            child.stop()
    buffered = in_tap.expect("writes_buffered", 5)["writes_buffered"]
    # PLIs the viewer sent force keyframes on a transcoded path: they belong in the figures.
    viewer_report = viewer.expect("feedback_sent", 5) if viewer else None
    inputs, parameter_sets = analysis.input_frames(in_rec)
    outputs, first_keyframe = analysis.output_frames(out_rec, system.codec, key_log, parameter_sets)
    per_frame, figures = analysis.added_latency(inputs, outputs, (t0, t1))
    with open(os.path.join(workdir, "frames.json"), "w") as f:  # for a look at one run's outliers
        json.dump([{"counter": c, "input_ms": round((t - t0) / 1e6, 3), "added_ms": round(d, 3)}
                   for c, t, d in per_frame], f)
    figures["cpu_percent"] = round(100.0 * (cpu1 - cpu0) / ((t1 - t0) / 1e9), 1)
    figures["peak_rss_mib"] = round(peak, 1) if peak else None
    figures["frames_decoded"] = {"input": len(inputs), "output": len(outputs)}
    figures["output_first_keyframe_ms"] = first_keyframe
    figures["taps"] = {"realtime": realtime_taps, "input_writes_buffered": buffered}
    if viewer_report:
        figures["viewer"] = {k: viewer_report[k] for k in ("frames_completed", "feedback_sent")}
        figures["encoder_bitrate_changes"] = count_lines(log("sut"), "(a receiver's estimate)")
    return figures
