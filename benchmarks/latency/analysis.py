"""From two recordings to the figures of one run: which frame is which (by the stamp in
the picture), and how long each took from its last input packet to its last output
packet."""
import math

import recording
import rtp
import srtp_output
import stamps


def input_frames(path):
    """({counter: (ms32, rtp ts, ns)}, the camera's SPS and PPS) for what the input tap
    forwarded: interleaved RTP on even channels (RFC 2326 §10.12: odd ones carry RTCP),
    the busiest SSRC, H264."""
    packets = [rtp.parse(ns, data[1:]) for ns, data in recording.read(path) if data and data[0] % 2 == 0]
    frames = [(ts, ns, rtp.depay_h264(pkts)) for ts, ns, pkts in rtp.frames(rtp.main_stream([p for p in packets if p]))]
    parameter_sets = next((rtp.parameter_sets(data) for _, _, data in frames if rtp.parameter_sets(data)), b"")
    return stamps.read_frames("h264", frames), parameter_sets


def output_frames(path, codec, key_log=None, parameter_sets=b""):
    """The same for what reached the output tap, and first_keyframe_ms; SRTP is decrypted
    first when a key log is given. A passthrough may carry the camera's SPS and PPS out of
    band only (GStreamer's rtph264pay puts them in its caps, not in the stream): the input's
    `parameter_sets` are decoded first."""
    recorded = recording.read(path)
    if key_log:
        recorded = srtp_output.decrypt(recorded, key_log, rtp.is_rtp)
    packets = [rtp.parse(ns, data) for ns, data in recorded]
    depay = rtp.depay_h264 if codec == "h264" else rtp.depay_vp8
    frames = [(ts, ns, depay(pkts)) for ts, ns, pkts in rtp.frames(rtp.main_stream([p for p in packets if p]))]
    decoded = stamps.read_frames(codec, frames, parameter_sets if codec == "h264" else b"")
    return decoded, first_keyframe_ms(codec, frames)


def first_keyframe_ms(codec, frames):
    """How long after the first output frame the first keyframe arrived: until then a
    viewer has nothing it can decode. None without a keyframe."""
    for _, ns, data in frames:
        if rtp.is_keyframe(codec, data):
            return round((ns - frames[0][1]) / 1e6, 1)
    return None


def percentile(values, q):
    """Nearest-rank percentile of a non-empty list (q in 0..100)."""
    s = sorted(values)
    return s[min(len(s), max(1, math.ceil(q / 100.0 * len(s)))) - 1]


def added_latency(inputs, outputs, window):
    """Per frame whose last input packet arrived inside window (t0, t1 in ns): output minus
    input in ms, for frames found on both sides with the same stamp (counter and clock).
    Returns ([(counter, input ns, ms)] in input order, the summary)."""
    t0, t1 = window
    in_window = {c: v for c, v in inputs.items() if t0 <= v[2] <= t1}
    per_frame = []
    for counter, (ms32, _, t_in) in sorted(in_window.items(), key=lambda kv: kv[1][2]):
        out = outputs.get(counter)
        if out is not None and out[0] == ms32:
            per_frame.append((counter, t_in, (out[2] - t_in) / 1e6))
    delays = [d for _, _, d in per_frame]
    return per_frame, {
        "frames_in_window": len(in_window),
        "frames_matched": len(delays),
        "p50_ms": round(percentile(delays, 50), 3) if delays else None,
        "p99_ms": round(percentile(delays, 99), 3) if delays else None,
        "max_ms": round(max(delays), 3) if delays else None,
    }
