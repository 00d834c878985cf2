#!/usr/bin/python3
"""A minimal WHEP viewer (aiortc) whose media path runs through udp_tap.py's relay.

  whep_viewer.py --whep URL --codec h264|vp8 --relay-peer-port P --relay-gateway-port G

It offers to receive video in one codec only, and rewrites the candidates so that both
sides talk to the relay: its own offer says it is at G (where the relay listens for the
gateway), the gateway's answer is changed to say the gateway is at P. It does not decode:
the harness decodes the relay's copy afterwards, and a decoder here would only take CPU
from the system under test. Prints {"type": "connected"} once ICE and DTLS are up, and a
report with the frames its jitter buffer completed and the PLIs and NACKs it sent when
SIGTERM ends it (after DELETE).
"""
import argparse
import asyncio
import json
import signal
import time
import urllib.error
import urllib.parse
import urllib.request

import aioice.ice
from aiortc import RTCPeerConnection, RTCRtpSender, RTCSessionDescription
from aiortc import rtcrtpreceiver

frames_completed = 0
feedback = {"pli": 0, "nack": 0}  # what aiortc asked the gateway for: a forced keyframe shows in the figures


def counting_worker(loop, input_q, output_q):
    """Stands in for aiortc's decoder thread: counts the frames it is handed."""
    global frames_completed
    while True:
        task = input_q.get()
        if task is None:
            asyncio.run_coroutine_threadsafe(output_q.put(None), loop)
            return
        frames_completed += 1


def count_feedback():
    """Counts the PLIs and NACKs aiortc's receiver sends (its jitter buffer asks for a keyframe
    when it gives up on a lost packet), keeping what they do."""
    pli, nack = rtcrtpreceiver.RTCRtpReceiver._send_rtcp_pli, rtcrtpreceiver.RTCRtpReceiver._send_rtcp_nack

    async def counted_pli(self, media_ssrc):
        feedback["pli"] += 1
        emit({"type": "pli", "t_ns": time.monotonic_ns()})
        return await pli(self, media_ssrc)

    async def counted_nack(self, media_ssrc, lost):
        feedback["nack"] += 1
        return await nack(self, media_ssrc, lost)
    rtcrtpreceiver.RTCRtpReceiver._send_rtcp_pli = counted_pli
    rtcrtpreceiver.RTCRtpReceiver._send_rtcp_nack = counted_nack


def point_candidates_at(sdp, port):
    """The SDP with one UDP host candidate on 127.0.0.1:port per m-section and no other."""
    out, seen = [], set()
    section = 0
    for line in sdp.split("\r\n"):
        if line.startswith("m="):
            section += 1
        if line.startswith("a=candidate:"):
            f = line.split()
            if f[2].lower() != "udp" or f[4] != "127.0.0.1" or section in seen:
                continue
            seen.add(section)
            f[5] = str(port)
            line = " ".join(f[:8])
        out.append(line)
    return "\r\n".join(out)


def http(method, url, body=None):
    req = urllib.request.Request(url, data=body, method=method,
                                 headers={"Content-Type": "application/sdp"} if body else {})
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, resp.headers, resp.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read().decode()


def emit(obj):
    print(json.dumps(obj), flush=True)


async def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--whep", required=True)
    ap.add_argument("--codec", choices=["h264", "vp8"], required=True)
    ap.add_argument("--relay-peer-port", type=int, required=True)
    ap.add_argument("--relay-gateway-port", type=int, required=True)
    args = ap.parse_args()
    rtcrtpreceiver.decoder_worker = counting_worker
    count_feedback()
    aioice.ice.get_host_addresses = lambda use_ipv4, use_ipv6: ["127.0.0.1"]

    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)

    pc = RTCPeerConnection()
    video = pc.addTransceiver("video", direction="recvonly")
    video.setCodecPreferences([c for c in RTCRtpSender.getCapabilities("video").codecs
                               if c.mimeType.lower() in ("video/" + args.codec, "video/rtx")])

    @pc.on("connectionstatechange")
    def _state():
        if pc.connectionState == "connected":
            emit({"type": "connected"})
        elif pc.connectionState == "failed":
            emit({"type": "failed"})
            stop.set()

    @pc.on("track")
    def _track(track):
        async def drain():  # the counting worker puts nothing; this only ends with the track
            try:
                while True:
                    await track.recv()
            except Exception:
                return
        asyncio.ensure_future(drain())

    await pc.setLocalDescription(await pc.createOffer())
    offer = point_candidates_at(pc.localDescription.sdp, args.relay_gateway_port)
    status, headers, answer = await loop.run_in_executor(None, http, "POST", args.whep, offer.encode())
    if status != 201:
        emit({"type": "report", "ok": False, "error": f"WHEP POST: HTTP {status}: {answer.strip()}"})
        await pc.close()
        return 1
    session = urllib.parse.urljoin(args.whep, headers["Location"])
    await pc.setRemoteDescription(RTCSessionDescription(point_candidates_at(answer, args.relay_peer_port), "answer"))
    await stop.wait()
    deleted = await loop.run_in_executor(None, http, "DELETE", session)
    await pc.close()
    emit({"type": "report", "ok": True, "frames_completed": frames_completed, "feedback_sent": feedback,
          "delete_status": deleted[0]})
    return 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
