#!/usr/bin/python3
"""The harness' own pieces, checked without a camera or a system under test: RTSP
interleaved framing across any chunking, RTP parsing and grouping, both depayloaders fed
by packets made here from real encoders, stamps read back, SRTP decrypted with a key log
line, the candidate rewrite, and the frame matching. Run: /usr/bin/python3 harness_test.py"""
import fractions
import os
import sys
import tempfile
import unittest

import av
import numpy as np
import pylibsrtp

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "..", "tests", "peers"))
import analysis  # noqa: E402
import recording  # noqa: E402
import rtp  # noqa: E402
import srtp_output  # noqa: E402
import stamp  # noqa: E402
import stamps  # noqa: E402
from rtsp_tap import InterleavedParser  # noqa: E402

W, H = 320, 240


def rtp_packet(seq, ts, payload, marker=False, pt=96, ssrc=0x1234, csrc=0, extension=b"", padding=0):
    first = 0x80 | (0x10 if extension else 0) | (0x20 if padding else 0) | csrc
    head = bytes([first, (0x80 if marker else 0) | pt]) + seq.to_bytes(2, "big") + ts.to_bytes(4, "big") + \
        ssrc.to_bytes(4, "big") + b"\0\0\0\1" * csrc
    if extension:
        head += b"\xbe\xde" + (len(extension) // 4).to_bytes(2, "big") + extension
    return head + payload + (bytes(padding - 1) + bytes([padding]) if padding else b"")


def stamped_pictures(n):
    for i in range(1, n + 1):
        y = np.full((H * 3 // 2, W), 128, np.uint8)
        stamp.write(y[:H], W, 1000 + i, i)
        frame = av.VideoFrame.from_ndarray(y, format="yuv420p")
        frame.pts = i
        yield frame


def encode(codec_name, n, **options):
    ctx = av.CodecContext.create(codec_name, "w")
    ctx.width, ctx.height, ctx.pix_fmt = W, H, "yuv420p"
    ctx.time_base = fractions.Fraction(1, 30)
    ctx.bit_rate = 500_000
    ctx.options = options
    out = []
    for picture in stamped_pictures(n):
        out += [bytes(p) for p in ctx.encode(picture)]
    out += [bytes(p) for p in ctx.encode(None)]
    return out


def fu_a(access_unit, mtu=300):
    """RFC 6184 packets for one Annex B access unit: small NAL units alone, big ones as FU-A."""
    out = []
    for nal in [n.rstrip(b"\0") for n in access_unit.split(b"\0\0\1")]:
        if not nal:
            continue
        if len(nal) <= mtu:
            out.append(nal)
            continue
        body = nal[1:]
        for i in range(0, len(body), mtu):
            s, e = i == 0, i + mtu >= len(body)
            out.append(bytes([(nal[0] & 0xE0) | 28, (0x80 if s else 0) | (0x40 if e else 0) | (nal[0] & 0x1F)]) +
                       body[i:i + mtu])
    return out


def vp8_packets(frame, mtu=300):
    """RFC 7741 packets with a 15-bit picture id, so the descriptor has every optional part we skip."""
    return [bytes([0x80 | (0x10 if i == 0 else 0), 0x80, 0x80 | 0x12, 0x34]) + frame[i:i + mtu]
            for i in range(0, len(frame), mtu)]


class Framing(unittest.TestCase):
    def test_interleaved_packets_across_any_chunking(self):
        stream = (b"RTSP/1.0 200 OK\r\nCSeq: 2\r\nContent-Length: 5\r\n\r\nv=0\r\n" +
                  b"$\x00\x00\x03abc" + b"$\x01\x00\x02de" +
                  b"RTSP/1.0 200 OK\r\nCSeq: 3\r\n\r\n" + b"$\x00\x00\x04wxyz")
        for size in (1, 2, 3, 7, len(stream)):
            got = []
            parser = InterleavedParser(lambda ns, p: got.append((ns, p)))
            for i in range(0, len(stream), size):
                parser.feed(stream[i:i + size], i)
            self.assertEqual([p for _, p in got], [b"\0abc", b"\1de", b"\0wxyz"])
            # Each packet carries the time of the chunk that completed it.
            last_byte = stream.index(b"wxyz") + 3
            self.assertEqual(got[-1][0], last_byte - last_byte % size)

    def test_rtp_header_parts_are_skipped(self):
        p = rtp.parse(7, rtp_packet(65535, 90000, b"payload", marker=True, csrc=2, extension=b"\1\2\3\4", padding=3))
        self.assertEqual((p.seq, p.ts, p.marker, p.payload, p.arrival_ns), (65535, 90000, True, b"payload", 7))
        self.assertIsNone(rtp.parse(0, bytes([0x80, 200]) + bytes(30)))  # RTCP SR
        self.assertIsNone(rtp.parse(0, b"\x00\x01" + bytes(30)))  # STUN

    def test_frames_group_by_timestamp_in_sequence_order_across_a_wrap(self):
        packets = [rtp.parse(ns, rtp_packet(seq, ts, bytes([seq & 0xFF])))
                   for ns, seq, ts in ((1, 65534, 10), (3, 0, 10), (2, 65535, 10), (4, 1, 20))]
        frames = rtp.frames(packets)
        self.assertEqual([(ts, last) for ts, last, _ in frames], [(10, 3), (20, 4)])
        self.assertEqual([p.seq for p in frames[0][2]], [65534, 65535, 0])


class Codecs(unittest.TestCase):
    def check(self, codec, packets_per_frame, depay, prefix=b""):
        # Only the first picture is a keyframe, and a receiver can tell from its packets alone.
        self.assertEqual([any(rtp.starts_keyframe(codec, b) for b in packets) for packets in packets_per_frame],
                         [True] + [False] * (len(packets_per_frame) - 1))
        frames = []
        for i, packets in enumerate(packets_per_frame):
            parsed = [rtp.parse(1000 * i + k, rtp_packet(100 * i + k, 3000 * i, b)) for k, b in enumerate(packets)]
            frames += [(ts, last, depay(pkts)) for ts, last, pkts in rtp.frames(parsed)]
        got = stamps.read_frames(codec, frames, prefix)
        self.assertTrue(rtp.is_keyframe(codec, frames[0][2] if not prefix else prefix + frames[0][2]))
        self.assertFalse(any(rtp.is_keyframe(codec, data) for _, _, data in frames[1:]))
        self.assertEqual(sorted(got), list(range(1, len(packets_per_frame) + 1)))
        for counter, (ms32, ts, last) in got.items():
            self.assertEqual((ms32, ts), (1000 + counter, 3000 * (counter - 1)))
            self.assertEqual(last, 1000 * (counter - 1) + len(packets_per_frame[counter - 1]) - 1)

    def test_h264_fu_a(self):
        units = encode("libx264", 6, preset="ultrafast", tune="zerolatency", profile="baseline")
        self.check("h264", [fu_a(u) for u in units], rtp.depay_h264)

    def test_h264_stap_a_and_parameter_sets_out_of_band(self):
        units = encode("libx264", 4, preset="ultrafast", tune="zerolatency", profile="baseline")
        params = rtp.parameter_sets(units[0])
        self.assertTrue(params)
        nals = [n.rstrip(b"\0") for n in params.split(b"\0\0\0\1") if n]
        stap = bytes([24]) + b"".join(len(n).to_bytes(2, "big") + n for n in nals)
        first = [p for p in fu_a(units[0]) if (p[0] & 0x1F) not in (7, 8)]
        # The parameter sets once in a STAP-A ...
        self.check("h264", [[stap] + first] + [fu_a(u) for u in units[1:]], rtp.depay_h264)
        # ... or only out of band, as GStreamer's rtph264pay sends them.
        self.check("h264", [first] + [fu_a(u) for u in units[1:]], rtp.depay_h264, params)

    def test_vp8(self):
        frames = encode("libvpx", 5, deadline="realtime", **{"lag-in-frames": "0", "cpu-used": "8"})
        self.check("vp8", [vp8_packets(f) for f in frames], rtp.depay_vp8)


class Srtp(unittest.TestCase):
    def test_what_the_gateway_protected_is_read_with_its_tx_key(self):
        tx, rx = bytes(range(30)), bytes(range(30, 60))
        sender = pylibsrtp.Session(pylibsrtp.Policy(key=tx, ssrc_type=pylibsrtp.Policy.SSRC_ANY_OUTBOUND))
        plain = [rtp_packet(i, 0, b"frame %d" % i) for i in range(3)]
        with tempfile.NamedTemporaryFile("w", suffix=".log", delete=False) as log:
            log.write("SRTP old SRTP_AES128_CM_SHA1_80 tx=%s rx=%s\n" % ("00" * 30, rx.hex()))
            log.write("SRTP abcd SRTP_AES128_CM_SHA1_80 tx=%s rx=%s\n" % (tx.hex(), rx.hex()))
        try:
            recorded = [(0, b"\x00\x01 stun")] + [(i + 1, sender.protect(p)) for i, p in enumerate(plain)]
            self.assertEqual(srtp_output.decrypt(recorded, log.name, rtp.is_rtp),
                             [(i + 1, p) for i, p in enumerate(plain)])
        finally:
            os.unlink(log.name)


class Matching(unittest.TestCase):
    def test_window_and_stamp_clock(self):
        inputs = {1: (101, 0, 1_000_000), 2: (102, 0, 2_000_000), 3: (103, 0, 3_000_000), 4: (104, 0, 9_000_000)}
        outputs = {1: (101, 0, 1_500_000), 2: (102, 0, 4_000_000), 3: (999, 0, 3_100_000), 4: (104, 0, 9_100_000)}
        per_frame, summary = analysis.added_latency(inputs, outputs, (1_000_000, 3_000_000))
        self.assertEqual([(c, d) for c, _, d in per_frame], [(1, 0.5), (2, 2.0)])  # 3: another picture's stamp
        self.assertEqual((summary["frames_in_window"], summary["frames_matched"]), (3, 2))
        self.assertEqual((summary["p50_ms"], summary["p99_ms"]), (0.5, 2.0))

    def test_recording_round_trip(self):
        with tempfile.NamedTemporaryFile(delete=False) as f:
            pass
        try:
            recording.write(f.name, [(1, b"a"), (2 ** 40, bytes(1500))])
            self.assertEqual(recording.read(f.name), [(1, b"a"), (2 ** 40, bytes(1500))])
        finally:
            os.unlink(f.name)


class Candidates(unittest.TestCase):
    def test_one_loopback_udp_candidate_per_section_pointing_at_the_relay(self):
        from whep_viewer import point_candidates_at
        sdp = "\r\n".join([
            "v=0", "m=audio 9 UDP/TLS/RTP/SAVPF 111",
            "a=candidate:1 1 udp 2130706431 127.0.0.1 5000 typ host",
            "a=candidate:2 1 udp 2130706431 127.0.0.1 5002 typ host",
            "m=video 9 UDP/TLS/RTP/SAVPF 96",
            "a=candidate:3 1 tcp 1518280447 127.0.0.1 9 typ host tcptype passive",
            "a=candidate:4 1 udp 2130706431 192.0.2.1 5004 typ host",
            "a=candidate:5 1 udp 2130706431 127.0.0.1 5000 typ host generation 0", ""])
        out = point_candidates_at(sdp, 7000).split("\r\n")
        self.assertEqual([l for l in out if l.startswith("a=candidate")],
                         ["a=candidate:1 1 udp 2130706431 127.0.0.1 7000 typ host",
                          "a=candidate:5 1 udp 2130706431 127.0.0.1 7000 typ host"])


if __name__ == "__main__":
    unittest.main()
