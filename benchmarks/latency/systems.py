"""The systems under test: how each one is started on a camera URL (the input tap's) and
where its output goes. Every one reads the camera over RTP/TCP and sends RTP to the
harness: the transcoders VP8, the others the camera's H264 untouched.

VP8 encoders all target 1000 kbit/s (transcode.encoder's default, which the converter
chain a VP8 viewer gets uses) with one thread, so the three transcoders do the same work.
"""
import json
import os

VP8_KBPS = 1000


class System:
    """key: short id; label: for the chart; codec: what leaves it; via: "webrtc" (a WHEP
    viewer behind the relay) or "udp" (plain RTP to the sink)."""

    def __init__(self, key, label, codec, via, argv):
        self.key, self.label, self.codec, self.via, self._argv = key, label, codec, via, argv

    def argv(self, **kw):
        return self._argv(**kw)


def switchboard_config(url, whep_port, key_log):
    """rtsp.source -> whep.server. A viewer that takes H264 gets the camera's frames as they
    are; one that wants VP8 gets the converter chain the graph inserts (transcode.decoder ->
    transcode.encoder, cpu_used 8 by default, one thread each)."""
    return {
        "description": "benchmarks/latency: one RTSP camera served to one WHEP viewer",
        "rtc": {"gather_addresses": ["127.0.0.1"], "srtp_key_log": key_log},
        "nodes": [
            {"name": "camera", "type": "rtsp.source", "config": {"url": url, "transport": "tcp", "audio": False}},
            {"name": "whep", "type": "whep.server", "config": {"listen": "127.0.0.1:%d" % whep_port}},
        ],
        "links": [{"from": "camera.video", "to": "whep.video"}],
    }


def _switchboard(build, url, workdir, whep_port, key_log, **_):
    path = os.path.join(workdir, "switchboard.json")
    with open(path, "w") as f:
        json.dump(switchboard_config(url, whep_port, key_log), f, indent=2)
    return [os.path.join(build, "bin", "switchboard"), "run", path, "--stats-json", os.path.join(workdir, "stats.json")]


def _gst(url, port, transcode, **_):
    middle = (["avdec_h264", "max-threads=1", "!",
               "vp8enc", "deadline=1", "cpu-used=8", "lag-in-frames=0", "error-resilient=default", "threads=1",
               "target-bitrate=%d" % (VP8_KBPS * 1000), "!", "rtpvp8pay"]
              if transcode else ["rtph264pay"])
    return (["gst-launch-1.0", "-q", "rtspsrc", "location=" + url, "latency=0", "protocols=tcp", "!",
             "rtph264depay", "!"] + middle +
            ["!", "udpsink", "host=127.0.0.1", "port=%d" % port, "sync=false"])


def _ffmpeg(url, port, transcode, **_):
    codec = (["-c:v", "libvpx", "-deadline", "realtime", "-cpu-used", "8", "-lag-in-frames", "0",
              "-error-resilient", "1", "-b:v", "%dk" % VP8_KBPS, "-threads", "1"]
             if transcode else ["-c", "copy"])
    return (["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error",
             "-fflags", "nobuffer", "-flags", "low_delay", "-threads", "1", "-rtsp_transport", "tcp", "-i", url] +
            codec + ["-an", "-f", "rtp", "rtp://127.0.0.1:%d" % port])


SYSTEMS = [
    System("switchboard_passthrough", "Switchboard passthrough", "h264", "webrtc", _switchboard),
    System("gstreamer_passthrough", "GStreamer passthrough", "h264", "udp",
           lambda **kw: _gst(transcode=False, **kw)),
    System("ffmpeg_copy", "ffmpeg -c copy", "h264", "udp", lambda **kw: _ffmpeg(transcode=False, **kw)),
    System("switchboard_vp8", "Switchboard H264->VP8", "vp8", "webrtc", _switchboard),
    System("gstreamer_vp8", "GStreamer H264->VP8", "vp8", "udp", lambda **kw: _gst(transcode=True, **kw)),
    System("ffmpeg_vp8", "ffmpeg H264->VP8", "vp8", "udp", lambda **kw: _ffmpeg(transcode=True, **kw)),
]
BY_KEY = {s.key: s for s in SYSTEMS}
