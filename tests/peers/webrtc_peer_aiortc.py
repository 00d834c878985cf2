#!/usr/bin/python3
"""WebRTC test peer built on aiortc (Debian package python3-aiortc).

Run with /usr/bin/python3 (Debian's Python).  Signalling is one JSON object
per line: it reads offer/answer/candidate/bye from stdin and writes
offer/answer/bye plus event/report lines to stdout (see README.md).
Switchboard's copy (from /work/shared/peers): with --connect HOST:PORT the JSON
lines go over that TCP connection instead of stdin/stdout (stdout still gets
every line), because the test harness runs the peer without a stdin pipe; and
no data channel is offered (Switchboard has none yet).
It sends a test-pattern video track carrying the stamp of stamp.py and a 440 Hz
tone (Opus), receives both, and prints a final {"type":"report",...} line with
the frames decoded and the received audio level (RMS dBFS).  Exit 0 when at
least --min-frames frames were decoded.
--trickle: the description goes out without candidates, then each candidate in
its own message, then end-of-candidates (an empty candidate) unless
--no-end-of-candidates.  aiortc gathers everything in setLocalDescription, so the
candidates all follow the description.
--lipsync: measures the far side's audio/video alignment on a flash-beep source
(rtsp_camera.py --flash-beep, or another peer's --send-flash-beep): white flashes in the
decoded video and 1 kHz beeps in the decoded audio (tests/peers/lipsync.py), paired; the
report's "av_offset_ms" is {"median", "list", ...} of audio minus video in ms, positive
when the sound comes late. Clock: aiortc 1.4 does not line its streams up by RTCP sender
reports (it reads SRs for stats and RR timing only, and a decoded frame's pts is its RTP
timestamp less the stream's first one), so the offset is taken on the arrival time of the
decoded frames at this peer, which is what a viewer sees and hears (aiortc's own buffers
included: its audio jitter buffer holds 4 packets, its video one a frame until the next
one starts, about +50 ms of audio lateness between two aiortc peers).
"av_offset_packet_ms" takes the arrival of each frame's first RTP packet instead (what the
network delivered, without aiortc's buffers), "av_offset_sr_ms" the sender's clock (the
RTP timestamps mapped through the streams' RTCP SRs); both come from wrapping aiortc's
receiver, and the latter is null before an SR of each stream.
--send-flash-beep: our own video and tone become that source (dark frames with 3 white
ones at each whole second of a shared epoch, a 100 ms 1 kHz beep starting with them).
"""
import argparse
import asyncio
import fractions
import json
import math
import os
import statistics
import sys
import time

import numpy as np
import aioice.ice
import aiortc
from aiortc import RTCPeerConnection, RTCRtpSender, RTCSessionDescription, VideoStreamTrack
from aiortc.mediastreams import AudioStreamTrack, MediaStreamError
from aiortc.sdp import candidate_from_sdp
import av

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lipsync  # noqa: E402
import stamp  # noqa: E402

T0 = time.monotonic()
av.logging.set_level(av.logging.FATAL)  # libav's codec chatter on stderr


def ms_since(t):
    return round((time.monotonic() - t) * 1000)


SIGNAL_WRITER = None  # asyncio.StreamWriter with --connect


def emit(obj):
    line = json.dumps(obj) + "\n"
    sys.stdout.write(line)
    sys.stdout.flush()
    if SIGNAL_WRITER is not None:
        SIGNAL_WRITER.write(line.encode())


def event(name, **kw):
    emit({"type": "event", "peer": "aiortc", "event": name, "t_ms": ms_since(T0), **kw})


def loopback_sdp(sdp, allow_all):
    """Drop a=candidate lines whose address is not 127.0.0.1."""
    if allow_all:
        return sdp
    keep = [l for l in sdp.split("\r\n")
            if not l.startswith("a=candidate:") or l.split()[4] == "127.0.0.1"]
    return "\r\n".join(keep)


def negotiated_codec(answer_sdp):
    """First real codec of the first video m-line of the answer."""
    lines = answer_sdp.split("\r\n")
    for i, l in enumerate(lines):
        if l.startswith("m=video"):
            section = []
            for s in lines[i + 1:]:
                if s.startswith("m="):
                    break
                section.append(s)
            rtpmap = {s.split()[0][9:]: s.split()[1] for s in section if s.startswith("a=rtpmap:")}
            fmtp = {s.split()[0][7:]: s.split(" ", 1)[1] for s in section if s.startswith("a=fmtp:")}
            for pt in l.split()[3:]:
                name = rtpmap.get(pt, "?")
                if name.split("/")[0].lower() not in ("rtx", "red", "ulpfec", "flexfec-03"):
                    return {"mimeType": "video/" + name.split("/")[0], "payloadType": int(pt),
                            "fmtp": fmtp.get(pt)}
    return None


class FlashBeepEpoch:
    """--send-flash-beep: the instant both tracks count from, so frame n (at epoch + n/fps)
    and audio sample s (at epoch + s/48000) meet at every whole second."""

    def __init__(self):
        self.t = None

    def get(self):
        if self.t is None:
            self.t = time.time()
        return self.t


class PatternTrack(VideoStreamTrack):
    """Moving bar over a gradient, plus the stamp.py blocks. With an epoch (flash-beep):
    dark frames with the stamp, and FLASH_FRAMES white ones from each whole second on."""

    def __init__(self, width, height, fps, epoch=None):
        super().__init__()
        self.w, self.h, self.fps, self.epoch = width, height, fps, epoch
        self.base = np.full((height * 3 // 2, width), 128, np.uint8)
        if epoch:
            self.base[:height] = 16
            self.white = self.base.copy()
            self.white[:height] = 235
        else:
            self.base[:height] = np.tile(np.linspace(40, 200, width, dtype=np.uint8), (height, 1))
        self.n = 0
        self.start = None

    async def recv(self):
        if self.start is None:
            self.start = self.epoch.get() if self.epoch else time.time()
            self.n = int((time.time() - self.start) * self.fps)
        self.n += 1
        await asyncio.sleep(max(0.0, self.start + self.n / self.fps - time.time()))
        per_second = int(round(self.fps))
        if self.epoch and self.n % per_second < FLASH_FRAMES:
            img = self.white
        else:
            img = self.base.copy()
            if not self.epoch:
                x = (self.n * 8) % self.w
                img[:self.h, x:x + 16] = 235
            stamp.write(img[:self.h], self.w, stamp.now_ms32(), self.n)
        frame = av.VideoFrame.from_ndarray(img, format="yuv420p")
        frame.pts = int(self.n * 90000 / self.fps)
        frame.time_base = fractions.Fraction(1, 90000)
        return frame


FLASH_FRAMES = 3
BEEP_SAMPLES = 4800  # 100 ms at 48 kHz


class ToneTrack(AudioStreamTrack):
    """A 440 Hz sine, mono 48 kHz, 20 ms frames (amplitude 8000: -15.3 dBFS RMS). With an
    epoch (flash-beep): silence, and a 1 kHz beep (amplitude 0.7 of full scale) for the
    first 100 ms of each whole second."""

    RATE, SAMPLES = 48000, 960

    def __init__(self, hz=440.0, epoch=None):
        super().__init__()
        self.hz, self.t, self.start, self.epoch = hz, 0, None, epoch

    async def recv(self):
        if self.start is None:
            self.start = self.epoch.get() if self.epoch else time.time()
            self.t = -(-int((time.time() - self.start) * self.RATE) // self.SAMPLES) * self.SAMPLES
        await asyncio.sleep(max(0.0, self.start + self.t / self.RATE - time.time()))
        n = np.arange(self.t, self.t + self.SAMPLES)
        if self.epoch:
            in_second = n % self.RATE
            pcm = np.where(in_second < BEEP_SAMPLES,
                           0.7 * 32767 * np.sin(2 * np.pi * lipsync.BEEP_HZ * in_second / self.RATE),
                           0).astype(np.int16)
        else:
            pcm = (8000 * np.sin(2 * np.pi * self.hz * n / self.RATE)).astype(np.int16)
        frame = av.AudioFrame.from_ndarray(pcm.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = self.RATE
        frame.pts = self.t
        frame.time_base = fractions.Fraction(1, self.RATE)
        self.t += self.SAMPLES
        return frame


def dbfs(sum_squares, count):
    """RMS level of 16-bit samples in dB relative to full scale; None without samples."""
    if count == 0:
        return None
    ms = sum_squares / count
    return round(10 * math.log10(ms / 32768.0 ** 2), 1) if ms > 0 else -200.0


def split_candidates(sdp):
    """The SDP without a=candidate / a=end-of-candidates lines, and the candidates of
    its first m-section (BUNDLE: the others repeat them)."""
    lines = sdp.split("\r\n")
    first_m = next((i for i, l in enumerate(lines) if l.startswith("m=")), len(lines))
    next_m = next((i for i, l in enumerate(lines) if i > first_m and l.startswith("m=")), len(lines))
    cands = [l[2:] for l in lines[first_m:next_m] if l.startswith("a=candidate:")]
    keep = [l for l in lines if not l.startswith("a=candidate:") and l != "a=end-of-candidates"]
    return "\r\n".join(keep), cands


def first_mid(sdp):
    for l in sdp.split("\r\n"):
        if l.startswith("a=mid:"):
            return l[6:]
    return "0"


def dump_h264_access_units(path):
    """Appends what aiortc's H264 depacketizer hands its decoder to `path`, so a test can
    compare the NAL units that crossed the network with what the sender's encoder made."""
    from aiortc.codecs import h264
    decode = h264.H264Decoder.decode

    def recording(self, encoded_frame):
        with open(path, "ab") as f:
            f.write(encoded_frame.data)
        return decode(self, encoded_frame)
    h264.H264Decoder.decode = recording


class RtpContinuity:
    """Watches the RTP that reaches aiortc's receivers, per SSRC: how far sequence
    numbers and timestamps step (forward, modulo 2^16 / 2^32) and whether they ever go
    back, so a test can show a stream stayed one stream across a source's outage."""

    def __init__(self):
        self.streams = {}

    def install(self):
        from aiortc import rtcrtpreceiver
        handle = rtcrtpreceiver.RTCRtpReceiver._handle_rtp_packet
        watcher = self

        async def watching(receiver, packet, arrival_time_ms):
            watcher.on_packet(receiver.track.kind if receiver.track else "?", packet)
            return await handle(receiver, packet, arrival_time_ms)
        rtcrtpreceiver.RTCRtpReceiver._handle_rtp_packet = watching

    def on_packet(self, kind, p):
        s = self.streams.setdefault(p.ssrc, {"kind": kind, "packets": 0, "seq_max_step": 0, "seq_backwards": 0,
                                             "ts_max_step": 0, "ts_backwards": 0, "last": None})
        s["packets"] += 1
        if s["last"] is not None:
            seq_step = (p.sequence_number - s["last"][0]) % 65536
            ts_step = (p.timestamp - s["last"][1]) % 2 ** 32
            if seq_step >= 32768:
                s["seq_backwards"] += 1  # a late or repeated packet
                return
            s["seq_max_step"] = max(s["seq_max_step"], seq_step)
            if ts_step >= 2 ** 31:
                s["ts_backwards"] += 1
            else:
                s["ts_max_step"] = max(s["ts_max_step"], ts_step)
        s["last"] = (p.sequence_number, p.timestamp)

    def report(self):
        return {str(ssrc): {k: v for k, v in s.items() if k != "last"} for ssrc, s in self.streams.items()}


def record_rtp_timing():
    """For --lipsync, wraps aiortc's receiver to keep what it reads and drops: its latest
    RTCP sender report as receiver.lipsync_sr = (64-bit NTP timestamp, RTP timestamp),
    and the arrival (time.monotonic()) of the first packet of each RTP timestamp in
    receiver.lipsync_arrivals (the last 512)."""
    from aiortc import rtcrtpreceiver
    handle_rtcp = rtcrtpreceiver.RTCRtpReceiver._handle_rtcp_packet
    handle_rtp = rtcrtpreceiver.RTCRtpReceiver._handle_rtp_packet

    async def rtcp(self, packet):
        if isinstance(packet, rtcrtpreceiver.RtcpSrPacket):
            self.lipsync_sr = (packet.sender_info.ntp_timestamp, packet.sender_info.rtp_timestamp)
        return await handle_rtcp(self, packet)

    async def rtp(self, packet, arrival_time_ms):
        arrivals = self.__dict__.setdefault("lipsync_arrivals", {})
        if packet.timestamp not in arrivals:
            arrivals[packet.timestamp] = time.monotonic()
            if len(arrivals) > 512:
                del arrivals[next(iter(arrivals))]
        return await handle_rtp(self, packet, arrival_time_ms=arrival_time_ms)
    rtcrtpreceiver.RTCRtpReceiver._handle_rtcp_packet = rtcp
    rtcrtpreceiver.RTCRtpReceiver._handle_rtp_packet = rtp


def http_request(method, url, body, token, content_type="application/sdp"):
    """A blocking HTTP request; returns (status, headers, body) for POST, the status otherwise."""
    import urllib.error
    import urllib.request
    headers = {"Content-Type": content_type} if body is not None else {}
    if token:
        headers["Authorization"] = "Bearer " + token
    req = urllib.request.Request(url, data=body, headers=headers, method=method)
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            result = (resp.status, resp.headers, resp.read().decode())
    except urllib.error.HTTPError as e:
        result = (e.code, e.headers, e.read().decode())
    return result if method == "POST" else result[0]


async def whep_view(pc, args, st):
    """WHEP (draft-ietf-wish-whep): a recvonly offer with every candidate, POSTed; the
    201's body is the answer. With --whip (RFC 9725) the same, sendonly with our tracks.
    Returns the session URL."""
    import urllib.parse
    url = args.whip or args.whep
    if not args.whip:  # a publisher's tracks were added as for any offer
        pc.addTransceiver("audio", direction="recvonly")
        tr = pc.addTransceiver("video", direction="recvonly")
    if args.codec != "any" and not args.whip:
        caps = RTCRtpSender.getCapabilities("video").codecs
        tr.setCodecPreferences([c for c in caps if c.mimeType.lower() in ("video/" + args.codec, "video/rtx")])
    await pc.setLocalDescription(await pc.createOffer())
    sdp = loopback_sdp(pc.localDescription.sdp, args.allow_all_candidates)
    status, headers, body = await asyncio.get_event_loop().run_in_executor(
        None, http_request, "POST", url, sdp.encode(), args.token)
    st["http_status"] = status
    event("whep_response", status=status)
    if status != 201:
        raise RuntimeError(f"WHEP POST: HTTP {status}: {body.strip()}")
    await pc.setRemoteDescription(RTCSessionDescription(body, "answer"))
    st["codec"] = negotiated_codec(body)
    return urllib.parse.urljoin(url, headers["Location"])


async def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--role", choices=["offer", "answer"], help="required unless --whep")
    ap.add_argument("--codec", choices=["any", "vp8", "h264"], default="any",
                    help="restrict our video codecs to this one")
    ap.add_argument("--size", default="640x480")
    ap.add_argument("--fps", type=float, default=30)
    ap.add_argument("--duration", type=float, default=3, help="seconds of media after the first frame")
    ap.add_argument("--timeout", type=float, default=30, help="hard limit for the whole run, seconds")
    ap.add_argument("--min-frames", type=int, default=10)
    ap.add_argument("--no-send", action="store_true", help="receive only")
    ap.add_argument("--allow-all-candidates", action="store_true",
                    help="also use non-loopback interfaces (default: 127.0.0.1 only)")
    ap.add_argument("--connect", help="HOST:PORT: signalling over this TCP connection")
    ap.add_argument("--trickle", action="store_true",
                    help="send the description without candidates, then each candidate on its own")
    ap.add_argument("--whep", metavar="URL",
                    help="a WHEP viewer: receive only, POST the offer to URL, DELETE at the end")
    ap.add_argument("--whip", metavar="URL",
                    help="a WHIP publisher: send only, POST the offer to URL, DELETE at the end")
    ap.add_argument("--token", help="bearer token for --whep or --whip")
    ap.add_argument("--rtp-continuity", action="store_true",
                    help="report per received SSRC the largest sequence/timestamp steps (\"rtp\")")
    ap.add_argument("--h264-dump", metavar="PATH",
                    help="append every H264 access unit received (Annex B, as depacketized) to PATH")
    ap.add_argument("--no-end-of-candidates", action="store_true",
                    help="with --trickle: never signal end-of-candidates")
    ap.add_argument("--lipsync", action="store_true",
                    help="measure the far side's flash/beep A/V offset (report: av_offset_ms)")
    ap.add_argument("--send-flash-beep", action="store_true",
                    help="send a flash-beep lip-sync source instead of the pattern and tone")
    args = ap.parse_args()
    if args.whep:
        args.role, args.no_send, args.trickle = "offer", True, False
    elif args.whip:
        args.role, args.no_send, args.trickle, args.min_frames = "offer", False, False, 0
    elif not args.role:
        ap.error("--role is required unless --whep")
    width, height = map(int, args.size.split("x"))
    if args.h264_dump:
        dump_h264_access_units(args.h264_dump)
    continuity = RtpContinuity() if args.rtp_continuity else None
    if continuity:
        continuity.install()
    meter = None
    if args.lipsync:
        record_rtp_timing()
        meter = lipsync.Meter()

    if not args.allow_all_candidates:
        aioice.ice.get_host_addresses = lambda use_ipv4, use_ipv6: ["127.0.0.1"]

    st = {"frames_decoded": 0, "first_frame_ms": None, "first_frame_after_connected_ms": None,
          "resolution": None, "latencies": [], "connected_at": None,
          "codec": None, "reason": None, "audio_frames": 0, "audio_sq": 0.0, "audio_n": 0,
          "candidates_sent": 0, "candidates_after_description": 0, "remote_candidates": 0,
          "remote_end_of_candidates": False}
    done = asyncio.Event()
    pc = RTCPeerConnection()
    epoch = FlashBeepEpoch() if args.send_flash_beep else None
    track = None if args.no_send else PatternTrack(width, height, args.fps, epoch)
    tone = None if args.no_send else ToneTrack(epoch=epoch)

    def prefer_codec(transceiver):
        if args.codec == "any":
            return
        caps = RTCRtpSender.getCapabilities("video").codecs
        transceiver.setCodecPreferences(
            [c for c in caps if c.mimeType.lower() in ("video/" + args.codec, "video/rtx")])

    @pc.on("connectionstatechange")
    async def _state():
        event("connection_state", state=pc.connectionState)
        if pc.connectionState == "connected" and st["connected_at"] is None:
            st["connected_at"] = time.monotonic()
        if pc.connectionState in ("failed", "closed"):
            st["reason"] = st["reason"] or "connection " + pc.connectionState
            done.set()

    def receiver_of(tr):
        return next((r for r in pc.getReceivers() if r.track is tr), None)

    def lipsync_times(receiver, frame, feed_sr):
        """The frame's times on our clocks and its RTP timestamp; the latest SR fed to the
        meter. aiortc 1.4 hands frames a pts of RTP timestamp - the stream's first one
        (its TimestampMapper, whose origin is read back here)."""
        times = {"arrival": time.monotonic()}
        origin = getattr(getattr(receiver, "_RTCRtpReceiver__timestamp_mapper", None), "_origin", None)
        if origin is None or frame.pts is None:
            return times, None
        rtp_ts = (frame.pts + origin) & 0xFFFFFFFF
        packet = getattr(receiver, "lipsync_arrivals", {}).get(rtp_ts)
        if packet is not None:
            times["packet_arrival"] = packet
        sr = getattr(receiver, "lipsync_sr", None)
        if sr is not None:
            feed_sr(*sr)
        return times, rtp_ts

    async def consume(tr):
        receiver = receiver_of(tr)
        while True:
            try:
                frame = await tr.recv()
            except MediaStreamError:
                return
            if meter is not None:
                times, rtp_ts = lipsync_times(receiver, frame, meter.video_sender_report)
                meter.video(lipsync.mean_luma(frame), times, rtp_ts,
                            int(1 / frame.time_base) if frame.time_base else 90000)
            st["frames_decoded"] += 1
            now = time.monotonic()
            if st.get("last_frame_at") and now - st["last_frame_at"] > 0.5:
                # The source paused (a camera outage): say when, and for how long.
                event("video_gap", gap_ms=round((now - st["last_frame_at"]) * 1000),
                      frames_before=st["frames_decoded"] - 1)
            st["last_frame_at"] = now
            if st["frames_decoded"] == 1:
                st["first_frame_ms"] = ms_since(T0)
                if st["connected_at"]:
                    st["first_frame_after_connected_ms"] = ms_since(st["connected_at"])
                st["resolution"] = f"{frame.width}x{frame.height}"
                event("first_frame", resolution=st["resolution"])
                asyncio.get_event_loop().call_later(args.duration, done.set)
            if st["frames_decoded"] % 5 == 1 and frame.width >= 320:
                p = frame.planes[0]
                y = np.frombuffer(p, np.uint8).reshape(frame.height, p.line_size)
                lat = stamp.latency_ms(stamp.read(y, frame.width)[0])
                if lat is not None:
                    st["latencies"].append(lat)

    async def consume_audio(tr):
        receiver = receiver_of(tr)
        while True:
            try:
                frame = await tr.recv()
            except MediaStreamError:
                return
            if meter is not None:
                times, rtp_ts = lipsync_times(receiver, frame, meter.audio_sender_report)
                meter.audio(lipsync.mono_samples(frame), frame.sample_rate, times, rtp_ts,
                            int(1 / frame.time_base) if frame.time_base else frame.sample_rate)
            st["audio_frames"] += 1
            if st["audio_frames"] > 25:  # the first 0.5 s may be the decoder settling
                pcm = frame.to_ndarray().astype(np.float64)
                st["audio_sq"] += float(np.sum(pcm * pcm))
                st["audio_n"] += pcm.size

    @pc.on("track")
    def _track(tr):
        event("track", kind=tr.kind)
        if tr.kind == "video":
            asyncio.ensure_future(consume(tr))
        elif tr.kind == "audio":
            asyncio.ensure_future(consume_audio(tr))

    async def send_local(kind):
        desc = await (pc.createOffer() if kind == "offer" else pc.createAnswer())
        await pc.setLocalDescription(desc)  # aiortc gathers all candidates here
        sdp = loopback_sdp(pc.localDescription.sdp, args.allow_all_candidates)
        if not args.trickle:
            emit({"type": kind, "sdp": sdp})
            return sdp
        bare, cands = split_candidates(sdp)
        emit({"type": kind, "sdp": bare})
        mid = first_mid(sdp)
        for c in cands:
            await asyncio.sleep(0.05)  # one by one, as a gathering agent would
            emit({"type": "candidate", "candidate": c, "sdpMid": mid, "sdpMLineIndex": 0})
            st["candidates_sent"] += 1
            st["candidates_after_description"] += 1
        if not args.no_end_of_candidates:
            emit({"type": "candidate", "candidate": "", "sdpMid": mid, "sdpMLineIndex": 0})
        return sdp

    if args.role == "offer":
        pc.addTransceiver(tone if tone else "audio", direction="sendrecv" if tone else "recvonly")
        tr = pc.addTransceiver(track if track else "video", direction="sendrecv" if track else "recvonly")
        prefer_codec(tr)

    global SIGNAL_WRITER
    whep_session = None
    if args.whep or args.whip:
        try:
            whep_session = await whep_view(pc, args, st)
            if args.whip:  # a publisher has no frames to wait for: it stops after --duration
                asyncio.get_event_loop().call_later(args.duration, done.set)
        except Exception as e:  # the report says why
            st["reason"] = f"error: {e}"
            done.set()
        reader = None
    elif args.connect:
        host, port = args.connect.rsplit(":", 1)
        reader, SIGNAL_WRITER = await asyncio.open_connection(host, int(port))
    else:
        loop = asyncio.get_event_loop()
        reader = asyncio.StreamReader()
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)

    if args.role == "offer" and not args.whep:
        await send_local("offer")

    async def signalling():
        while reader is not None:
            line = await reader.readline()
            if not line:
                return
            try:
                msg = json.loads(line)
            except ValueError:
                continue
            kind = msg.get("type")
            if kind == "offer" and args.role == "answer":
                await pc.setRemoteDescription(RTCSessionDescription(msg["sdp"], "offer"))
                if track:
                    pc.addTrack(track)
                    pc.addTrack(tone)
                for t in pc.getTransceivers():
                    if t.kind == "video":
                        prefer_codec(t)
                st["codec"] = negotiated_codec(await send_local("answer"))
            elif kind == "answer" and args.role == "offer":
                await pc.setRemoteDescription(RTCSessionDescription(msg["sdp"], "answer"))
                st["codec"] = negotiated_codec(msg["sdp"])
            elif kind == "candidate" and msg.get("candidate"):
                c = candidate_from_sdp(msg["candidate"].split(":", 1)[1])
                if args.allow_all_candidates or c.ip == "127.0.0.1":
                    c.sdpMid, c.sdpMLineIndex = msg.get("sdpMid"), msg.get("sdpMLineIndex")
                    await pc.addIceCandidate(c)
                    st["remote_candidates"] += 1
            elif kind == "candidate":
                # end-of-candidates: aiortc's addIceCandidate cannot say it, its ICE transports can
                st["remote_end_of_candidates"] = True
                for t in pc.getTransceivers():
                    if t.receiver.transport:
                        await t.receiver.transport.transport.addRemoteCandidate(None)
            elif kind == "bye":
                st["reason"] = st["reason"] or "remote bye"
                done.set()
                return

    sig = asyncio.ensure_future(signalling())
    try:
        await asyncio.wait_for(done.wait(), args.timeout)
    except asyncio.TimeoutError:
        st["reason"] = "timeout"
    st["reason"] = st["reason"] or "duration reached"
    if whep_session:
        st["delete_status"] = await asyncio.get_event_loop().run_in_executor(
            None, http_request, "DELETE", whep_session, None, args.token)
    else:
        emit({"type": "bye"})
    dtls = None
    for t in pc.getTransceivers():
        dtls = t.receiver.transport.state
    lat = st["latencies"]
    ok = st["frames_decoded"] >= args.min_frames
    extra = {}
    if meter is not None:
        measured = meter.report()
        extra = {"av_offset_ms": measured.get("arrival"),
                 "av_offset_packet_ms": measured.get("packet_arrival"),
                 "av_offset_sr_ms": measured.get("rtcp_sr")}
    emit({"type": "report", "peer": "aiortc", "version": aiortc.__version__, "role": args.role,
          "ok": ok, "reason": st["reason"], "codec": st["codec"],
          "frames_decoded": st["frames_decoded"], "frames_sent": track.n if track else 0,
          "first_frame_ms": st["first_frame_ms"],
          "first_frame_after_connected_ms": st["first_frame_after_connected_ms"],
          "resolution": st["resolution"], "dtls_state": dtls,
          "stamp_latency_ms": {"samples": len(lat), "median": statistics.median(lat) if lat else None,
                               "max": max(lat) if lat else None},
          "audio_frames_received": st["audio_frames"],
          "audio_level_dbfs": dbfs(st["audio_sq"], st["audio_n"]),
          **({"rtp": continuity.report()} if continuity else {}),
          "candidates_sent": st["candidates_sent"],
          "candidates_sent_after_description": st["candidates_after_description"],
          "remote_candidates_added": st["remote_candidates"],
          "remote_end_of_candidates": st["remote_end_of_candidates"],
          "http_status": st.get("http_status"), "delete_status": st.get("delete_status"), **extra})
    sig.cancel()
    await pc.close()
    if SIGNAL_WRITER is not None:
        await SIGNAL_WRITER.drain()
        SIGNAL_WRITER.close()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
