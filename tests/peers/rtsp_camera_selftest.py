#!/usr/bin/python3
"""Self-test of rtsp_camera.py against real clients, all on 127.0.0.1.

Each case starts the camera on a free port and checks it with ffprobe (JSON: the codecs
asked for, and frames decoded with -count_frames), gst-launch-1.0 (rtspsrc + a
decoder), ffmpeg (a recording for the lip-sync check) or a small RTSP client of its own:

  codecs     H264+AAC, H265+Opus, MJPEG+PCMU, H264+PCMA over UDP only (TCP refused with
             461), audio only (Opus); --sliced H264 decoded by GStreamer
  auth       Basic and Digest: ffprobe with the right password streams, a wrong one gets
             401; a DESCRIBE without credentials gets 401 and that scheme's challenge
  rtsps      --make-cert: a TLS OPTIONS verified against the made certificate, plain TCP
             refused, ffprobe and rtspsrc over rtsps:// (with Digest)
  timeout    --session-timeout 2: SETUP says timeout=2; a client that only reads is
             expired (event, media stops, 454 after), clients that send GET_PARAMETER or
             OPTIONS stay (keepalive events), and so does ffmpeg (its own keep-alives)
  flash-beep --flash-beep recorded by ffmpeg (RTCP-synchronised timestamps), decoded with
             PyAV, flashes and beeps found by lipsync.py: the offset is the audio codec's
             own delay (G.711 0 ms, Opus within 1 ms, AAC ~21 ms)

Every process it starts it ends by its PID. Prints one line per case and a closing
'N passed, N failed'; exits 1 if any failed. Usage: rtsp_camera_selftest.py [CASE...]
"""
import json
import os
import queue
import re
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import lipsync  # noqa: E402

PY = "/usr/bin/python3"
CAMERA = os.path.join(HERE, "rtsp_camera.py")
SIZE = "320x240"


class Failed(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Failed(what)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


STARTED = []  # the cameras of the running case, for the events printed when it fails


class Camera:
    """rtsp_camera.py in a child process; its JSON events collected from stdout."""

    def __init__(self, *args, tmp):
        STARTED.append(self)
        self.port = free_port()
        self.events = []
        self.eof = False
        self.cond = threading.Condition()
        self.stderr = open(os.path.join(tmp, f"camera-{self.port}.err"), "w+")
        self.proc = subprocess.Popen([PY, CAMERA, "--port", str(self.port), "--size", SIZE, "--duration", "120",
                                      *map(str, args)],
                                     stdout=subprocess.PIPE, stderr=self.stderr, text=True)
        threading.Thread(target=self._read, daemon=True).start()
        self.listening = self.wait_for(lambda e: e["type"] in ("listening", "error"), 15)
        if not self.listening or self.listening["type"] != "listening":
            err = self.stderr_text()
            self.stop()
            raise Failed(f"camera did not start: {self.listening} {err}")
        self.url = self.listening["url"]

    def _read(self):
        for line in self.proc.stdout:
            try:
                ev = json.loads(line)
            except ValueError:
                continue
            with self.cond:
                self.events.append(ev)
                self.cond.notify_all()
        with self.cond:
            self.eof = True
            self.cond.notify_all()

    def wait_for(self, pred, timeout):
        """The first event for which pred is true, waiting up to timeout s; None if none."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                for ev in self.events:
                    if pred(ev):
                        return ev
                left = deadline - time.monotonic()
                if left <= 0 or self.eof:
                    return None
                self.cond.wait(min(left, 0.1))

    def of_type(self, kind):
        with self.cond:
            return [e for e in self.events if e["type"] == kind]

    def stderr_text(self):
        self.stderr.seek(0)
        return self.stderr.read()[-2000:]

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()  # by its PID; the camera quits its main loop on SIGTERM
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.stderr.close()


def run(cmd, timeout):
    """A client tool; subprocess.run kills it (by PID) if it overruns."""
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired as e:
        raise Failed(f"{cmd[0]} timed out after {timeout} s") from e


def ffprobe(url, seconds=2, transport="tcp", timeout=15):
    """ffprobe's streams (JSON), with the frames it decoded in the first `seconds`."""
    r = run(["ffprobe", "-v", "error", "-rtsp_transport", transport, "-count_frames",
             "-read_intervals", f"%+{seconds}", "-show_entries",
             "stream=codec_type,codec_name,width,height,sample_rate,channels,nb_read_frames",
             "-of", "json", url], timeout)
    if r.returncode != 0:
        raise Failed(f"ffprobe {url}: exit {r.returncode}: {r.stderr.strip()[-300:]}")
    streams = {s["codec_type"]: s for s in json.loads(r.stdout)["streams"]}
    streams["stderr"] = r.stderr.strip()[-400:]  # for a failure's message
    return streams, r


def gst_decode(url, chain, props=(), frames=30):
    """rtspsrc ! CHAIN ! fakesink num-buffers=FRAMES: the frames decoded once it reaches EOS.
    An error after that, on the way down (rtspsrc's PAUSE at shutdown sometimes finds the
    TLS connection already closed), does not count."""
    r = run(["gst-launch-1.0", "rtspsrc", f"location={url}", "protocols=tcp", *props, "!", *chain.split(),
             "!", "fakesink", f"num-buffers={frames}"], 20)
    eos = r.stdout.find("Got EOS from element")
    error = r.stdout.find("ERROR:")
    check(eos >= 0 and (error < 0 or error > eos),
          f"gst-launch exit {r.returncode}, no EOS after {frames} frames: {(r.stdout + r.stderr).strip()[-400:]}")


def expect_streams(streams, video, audio, min_video=30, min_audio=20):
    try:
        return _expect_streams(streams, video, audio, min_video, min_audio)
    except Failed as e:
        raise Failed(f"{e} (ffprobe said: {streams.get('stderr') or 'nothing'})") from None


def _expect_streams(streams, video, audio, min_video, min_audio):
    if video:
        v = streams.get("video")
        check(v and v["codec_name"] == video, f"video codec {v and v['codec_name']}, wanted {video}")
        check(f"{v['width']}x{v['height']}" == SIZE, f"video size {v['width']}x{v['height']}")
        check(int(v.get("nb_read_frames", 0)) >= min_video, f"only {v.get('nb_read_frames')} video frames decoded")
    else:
        check("video" not in streams, "a video stream where none was asked for")
    if audio:
        a = streams.get("audio")
        check(a and a["codec_name"] == audio, f"audio codec {a and a['codec_name']}, wanted {audio}")
        check(int(a.get("nb_read_frames", 0)) >= min_audio, f"only {a.get('nb_read_frames')} audio frames decoded")
    else:
        check("audio" not in streams, "an audio stream where none was asked for")
    return {k: int(s.get("nb_read_frames", 0)) for k, s in streams.items() if k != "stderr"}


class RtspConn:
    """A minimal RTSP client: requests and their answers, RTP over the connection
    (interleaved) drained and counted by a reader thread."""

    def __init__(self, port, tls_ca=None):
        raw = socket.create_connection(("127.0.0.1", port), timeout=5)
        if tls_ca:
            ctx = ssl.create_default_context(cafile=tls_ca)  # verifies the cert and 127.0.0.1 in it
            raw = ctx.wrap_socket(raw, server_hostname="127.0.0.1")
            self.peer_cert = raw.getpeercert()
        self.sock = raw
        self.sock.settimeout(0.2)
        self.cseq = 0
        self.answers = queue.Queue()
        self.media_bytes = 0
        self.media_log = []  # (monotonic s, bytes) per interleaved frame
        self.closed = False
        self.running = True
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self):
        buf = b""
        while self.running:
            try:
                data = self.sock.recv(65536)
            except (socket.timeout, ssl.SSLWantReadError):
                continue
            except OSError:
                data = b""
            if not data:
                self.closed = True
                self.answers.put(None)
                return
            buf += data
            while True:
                if buf[:1] == b"$":
                    if len(buf) < 4:
                        break
                    n = int.from_bytes(buf[2:4], "big")
                    if len(buf) < 4 + n:
                        break
                    self.media_bytes += n
                    self.media_log.append((time.monotonic(), n))
                    buf = buf[4 + n:]
                elif buf[:5] == b"RTSP/":
                    end = buf.find(b"\r\n\r\n")
                    if end < 0:
                        break
                    head = buf[:end].decode(errors="replace")
                    m = re.search(r"(?im)^content-length:\s*(\d+)", head)
                    length = int(m.group(1)) if m else 0
                    if len(buf) < end + 4 + length:
                        break
                    lines = head.split("\r\n")
                    headers = {}
                    for line in lines[1:]:
                        k, _, v = line.partition(":")
                        headers[k.strip().lower()] = v.strip()
                    self.answers.put((int(lines[0].split()[1]), headers,
                                      buf[end + 4:end + 4 + length].decode(errors="replace")))
                    buf = buf[end + 4 + length:]
                elif buf:
                    buf = buf[1:]  # out of step: look for the next frame
                else:
                    break

    def request(self, method, url, headers=None, timeout=5):
        self.cseq += 1
        lines = [f"{method} {url} RTSP/1.0", f"CSeq: {self.cseq}"]
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        try:
            answer = self.answers.get(timeout=timeout)
        except queue.Empty:
            raise Failed(f"no answer to {method}") from None
        if answer is None:
            raise Failed(f"connection closed before the answer to {method}")
        return answer

    def play(self, url):
        """DESCRIBE, SETUP of the first stream over TCP, PLAY. Returns the Session header."""
        status, headers, sdp = self.request("DESCRIBE", url, {"Accept": "application/sdp"})
        check(status == 200, f"DESCRIBE: {status}")
        control = [l[len("a=control:"):] for l in sdp.splitlines() if l.startswith("a=control:")]
        track = next(c for c in control if c != "*")
        track_url = track if track.startswith("rtsp") else url.rstrip("/") + "/" + track
        status, headers, _ = self.request("SETUP", track_url,
                                          {"Transport": "RTP/AVP/TCP;unicast;interleaved=0-1"})
        check(status == 200, f"SETUP: {status}")
        self.session_header = headers["session"]
        self.session = self.session_header.split(";")[0]
        status, _, _ = self.request("PLAY", url, {"Session": self.session})
        check(status == 200, f"PLAY: {status}")
        return self.session_header

    def bytes_between(self, t0, t1):
        return sum(n for t, n in list(self.media_log) if t0 <= t < t1)

    def close(self):
        self.running = False
        try:
            self.sock.close()
        except OSError:
            pass
        self.thread.join(2)


# ---------------------------------------------------------------- cases

def codec_case(video, audio, ff_video, ff_audio, extra=(), transport="tcp"):
    def case(tmp):
        cam = Camera("--video", video, "--audio", audio, *extra, tmp=tmp)
        try:
            ev = cam.listening
            check(ev["video_codec"] == {"h264": "H264", "h265": "H265", "mjpeg": "JPEG", "none": None}[video],
                  f"listening line: video_codec {ev['video_codec']}")
            check(ev["audio_codec"] == {"aac": "MPEG4-GENERIC", "opus": "OPUS", "pcmu": "PCMU", "pcma": "PCMA",
                                        "none": None}[audio], f"listening line: audio_codec {ev['audio_codec']}")
            streams, _ = ffprobe(cam.url, transport=transport)
            frames = expect_streams(streams, ff_video, ff_audio)
            note = f"decoded in 2 s: {frames}"
            if "--transports" in extra:
                other = "tcp" if transport == "udp" else "udp"
                r = run(["ffprobe", "-v", "error", "-rtsp_transport", other, cam.url], 15)
                check(r.returncode != 0 and "461" in r.stderr, f"{other} not refused with 461: {r.stderr.strip()}")
                note += f"; {other} refused with 461"
            return note
        finally:
            cam.stop()
    return case


def case_sliced(tmp):
    cam = Camera("--sliced", "--audio", "none", tmp=tmp)
    try:
        gst_decode(cam.url, "rtph264depay ! h264parse ! avdec_h264", frames=30)
        return "30 frames decoded by rtspsrc ! avdec_h264"
    finally:
        cam.stop()


def auth_case(scheme):
    def case(tmp):
        cam = Camera("--user", "alice", "--password", "s3cret", "--auth", scheme, "--audio", "pcmu", tmp=tmp)
        try:
            url = cam.url
            good = url.replace("rtsp://", "rtsp://alice:s3cret@")
            bad = url.replace("rtsp://", "rtsp://alice:wrong@")
            streams, _ = ffprobe(good, seconds=1)
            expect_streams(streams, "h264", "pcm_mulaw", min_video=10, min_audio=10)
            r = run(["ffprobe", "-v", "error", "-rtsp_transport", "tcp", bad], 15)
            check(r.returncode != 0 and "401" in r.stderr, f"wrong password not refused with 401: {r.stderr.strip()}")
            conn = RtspConn(cam.port)
            try:
                status, headers, _ = conn.request("DESCRIBE", url)
                challenge = headers.get("www-authenticate", "")
                check(status == 401, f"DESCRIBE without credentials: {status}")
                check(challenge.lower().startswith(scheme + " realm="), f"challenge {challenge!r}")
                if scheme == "digest":
                    check("nonce=" in challenge, f"no nonce in {challenge!r}")
                status, _, _ = conn.request("OPTIONS", url)
                check(status == 200, f"OPTIONS without credentials: {status}")
            finally:
                conn.close()
            return f"right password streams, wrong one 401; challenge: {challenge}"
        finally:
            cam.stop()
    return case


def case_rtsps(tmp):
    certdir = os.path.join(tmp, "cert")
    cam = Camera("--make-cert", certdir, "--user", "alice", "--password", "s3cret", "--audio", "opus", tmp=tmp)
    try:
        check(cam.url.startswith("rtsps://"), f"url {cam.url}")
        ca = os.path.join(certdir, "cert.pem")
        conn = RtspConn(cam.port, tls_ca=ca)
        try:
            status, _, _ = conn.request("OPTIONS", cam.url)
            check(status == 200, f"OPTIONS over TLS: {status}")
            status, headers, _ = conn.request("DESCRIBE", cam.url)
            check(status == 401 and headers.get("www-authenticate", "").startswith("Digest"),
                  f"DESCRIBE over TLS without credentials: {status}")
        finally:
            conn.close()
        # Plain RTSP to the TLS port gets no RTSP answer.
        with socket.create_connection(("127.0.0.1", cam.port), timeout=3) as s:
            s.sendall(f"OPTIONS {cam.url} RTSP/1.0\r\nCSeq: 1\r\n\r\n".encode())
            try:
                answer = s.recv(100)
            except OSError:
                answer = b""
            check(not answer.startswith(b"RTSP/"), f"plain RTSP answered on the TLS port: {answer!r}")
        streams, _ = ffprobe(cam.url.replace("rtsps://", "rtsps://alice:s3cret@"), seconds=1)
        expect_streams(streams, "h264", "opus", min_video=10, min_audio=10)
        gst_decode(cam.url, "rtph264depay ! avdec_h264", ("tls-validation-flags=0", "user-id=alice", "user-pw=s3cret"),
                   frames=20)
        return "TLS OPTIONS verified against the made cert; ffprobe and rtspsrc decode over rtsps://"
    finally:
        cam.stop()


def case_session_timeout(tmp):
    timeout = 2
    cam = Camera("--session-timeout", timeout, "--audio", "none", tmp=tmp)
    conns = {}
    # A real client too: ffmpeg sends GET_PARAMETER every timeout/2 once SETUP told it.
    ffmpeg = subprocess.Popen(["ffmpeg", "-nostdin", "-v", "error", "-rtsp_transport", "tcp", "-i", cam.url,
                               "-t", "4.5", "-f", "null", "-"], stdin=subprocess.DEVNULL,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        played = {}
        for name in ("silent", "GET_PARAMETER", "OPTIONS"):
            conns[name] = RtspConn(cam.port)
            header = conns[name].play(cam.url)
            played[name] = time.monotonic()  # the session's last request
            check(header.endswith(f";timeout={timeout}"), f"SETUP's Session header {header!r}")
        t0 = played["silent"]
        silent = conns["silent"].session
        stop = threading.Event()

        def keep_alive(name):
            conn = conns[name]
            while not stop.wait(0.6):
                status, _, _ = conn.request(name, cam.url, {"Session": conn.session})
                if status != 200:
                    raise Failed(f"{name} keep-alive: {status}")
        threads = [threading.Thread(target=keep_alive, args=(n,), daemon=True) for n in ("GET_PARAMETER", "OPTIONS")]
        for t in threads:
            t.start()
        ev = cam.wait_for(lambda e: e["type"] == "session-expired" and e["session"] == silent, timeout + 3)
        check(ev is not None, "the silent client's session did not expire")
        expired_after = time.monotonic() - t0
        check(timeout - 0.1 <= expired_after <= timeout + 1.5, f"expired after {expired_after:.2f} s")
        time.sleep(timeout + 0.5)  # the others go on past the timeout
        stop.set()
        for t in threads:
            t.join(3)
        now = time.monotonic()
        after = conns["silent"].bytes_between(t0 + expired_after + 1.0, now)
        check(after == 0, f"media still sent to the expired session: {after} bytes")
        status, _, _ = conns["silent"].request("GET_PARAMETER", cam.url, {"Session": silent})
        check(status == 454, f"GET_PARAMETER in the expired session: {status}, wanted 454")
        expired = {e["session"] for e in cam.of_type("session-expired")}
        for name in ("GET_PARAMETER", "OPTIONS"):
            sid = conns[name].session
            check(sid not in expired, f"the {name} client's session expired")
            kas = [e for e in cam.of_type("keepalive") if e["session"] == sid and e["method"] == name]
            check(len(kas) >= 4, f"{len(kas)} {name} keepalive events")
            check(conns[name].bytes_between(now - 1.0, now) > 0, f"no media to the {name} client in the last second")
        for name in ("GET_PARAMETER", "OPTIONS"):
            status, _, _ = conns[name].request("TEARDOWN", cam.url, {"Session": conns[name].session})
            check(status == 200, f"TEARDOWN: {status}")
        ev = cam.wait_for(lambda e: e["type"] == "session-removed" and e.get("reason") == "teardown", 3)
        check(ev is not None, "no session-removed event for a TEARDOWN")
        try:
            _, err = ffmpeg.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            raise Failed("ffmpeg did not finish") from None
        check(ffmpeg.returncode == 0, f"ffmpeg exit {ffmpeg.returncode}: {err.strip()[-300:]}")
        mine = {c.session for c in conns.values()}
        theirs = {e["session"] for e in cam.of_type("session")} - mine
        check(len(theirs) == 1, f"ffmpeg's session among {theirs}")
        sid = theirs.pop()
        check(sid not in {e["session"] for e in cam.of_type("session-expired")}, "ffmpeg's session expired")
        kas = [e for e in cam.of_type("keepalive") if e["session"] == sid]
        check(len(kas) >= 2, f"{len(kas)} keepalive events from ffmpeg")
        return (f"silent client expired after {expired_after:.2f} s (then 454, no media); "
                f"GET_PARAMETER and OPTIONS clients kept for {now - t0:.1f} s; "
                f"ffmpeg kept its session with {len(kas)} {kas[0]['method']}")
    finally:
        if ffmpeg.poll() is None:  # by its PID
            ffmpeg.kill()
            ffmpeg.wait()
        for c in conns.values():
            c.close()
        cam.stop()


def analyse_recording(path):
    """Flashes and beeps in a recording, on its (RTCP-synchronised) timestamps."""
    import av
    av.logging.set_level(av.logging.FATAL)
    flashes, beeps = lipsync.FlashDetector(), None
    with av.open(path) as c:
        for frame in c.decode(*c.streams):
            if frame.pts is None:
                continue
            t = float(frame.pts * frame.time_base)
            if isinstance(frame, av.VideoFrame):
                flashes.add(t, lipsync.mean_luma(frame))
            else:
                if beeps is None:
                    beeps = lipsync.BeepDetector(frame.sample_rate)
                beeps.add(t, lipsync.mono_samples(frame))
    return lipsync.summary(flashes.onsets, beeps.flush() if beeps else [])


def flash_case(video, audio, expect_ms, tolerance_ms):
    def case(tmp):
        cam = Camera("--flash-beep", "--video", video, "--audio", audio, tmp=tmp)
        try:
            out = os.path.join(tmp, f"flash-{video}-{audio}.mkv")
            r = run(["ffmpeg", "-nostdin", "-v", "error", "-y", "-rtsp_transport", "tcp", "-i", cam.url,
                     "-t", "3.6", "-c", "copy", out], 20)
            check(r.returncode == 0 and os.path.exists(out), f"ffmpeg exit {r.returncode}: {r.stderr.strip()[-300:]}")
            s = analyse_recording(out)
            check(s["pairs"] >= 2, f"only {s['pairs']} flash/beep pairs: {s}")
            spread = max(s["list"]) - min(s["list"])
            check(abs(s["median"] - expect_ms) <= tolerance_ms,
                  f"A/V offset {s['median']} ms, expected {expect_ms} ± {tolerance_ms}: {s}")
            check(spread <= 2.0, f"offsets spread over {spread:.1f} ms: {s['list']}")
            flashes = cam.of_type("flash")
            check(flashes and all(f["pts_ms"] % 1000 == 0 for f in flashes), f"flash events {flashes[:3]}")
            return f"audio - video {s['median']} ms over {s['pairs']} pairs {s['list']}"
        finally:
            cam.stop()
    return case


CASES = [
    ("codecs-h264-aac", codec_case("h264", "aac", "h264", "aac")),
    ("codecs-h265-opus", codec_case("h265", "opus", "hevc", "opus")),
    ("codecs-mjpeg-pcmu", codec_case("mjpeg", "pcmu", "mjpeg", "pcm_mulaw")),
    ("codecs-h264-pcma-udp-only", codec_case("h264", "pcma", "h264", "pcm_alaw", ("--transports", "udp"), "udp")),
    ("codecs-audio-only-opus", codec_case("none", "opus", None, "opus")),
    ("sliced-h264-gstreamer", case_sliced),
    ("auth-basic", auth_case("basic")),
    ("auth-digest", auth_case("digest")),
    ("rtsps", case_rtsps),
    ("session-timeout", case_session_timeout),
    # The offset is the audio encoder's own delay, the camera's is 0: G.711 none, Opus
    # none to speak of (GStreamer's encoder base class takes its look-ahead off the
    # timestamps), avenc_aac its 1024 priming samples (21.3 ms) that nobody trims on RTP.
    ("flash-beep-h264-pcma", flash_case("h264", "pcma", 0.0, 1.0)),
    ("flash-beep-h265-opus", flash_case("h265", "opus", 0.0, 2.0)),
    ("flash-beep-mjpeg-aac", flash_case("mjpeg", "aac", 21.3, 3.0)),
]


def main():
    wanted = sys.argv[1:]
    cases = [(n, f) for n, f in CASES if not wanted or any(w in n for w in wanted)]
    passed, failed = 0, 0
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="rtsp-camera-selftest-") as tmp:
        for name, fn in cases:
            STARTED.clear()
            t = time.monotonic()
            try:
                note = fn(tmp)
                passed += 1
                print(f"PASS {name} ({time.monotonic() - t:.1f} s): {note}", flush=True)
            except Exception as e:  # noqa: BLE001 - one line per case, whatever went wrong
                failed += 1
                print(f"FAIL {name} ({time.monotonic() - t:.1f} s): {type(e).__name__}: {e}", flush=True)
                for cam in STARTED:
                    print(f"  camera :{cam.port} events: " + " ".join(json.dumps(e) for e in cam.events[-12:]))
                for f in sorted(os.listdir(tmp)):
                    if f.endswith(".err"):
                        text = open(os.path.join(tmp, f)).read().strip()
                        if text:
                            print(f"  {f}: {text[-600:]}")
                        os.remove(os.path.join(tmp, f))
    print(f"total {time.monotonic() - start:.1f} s")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
