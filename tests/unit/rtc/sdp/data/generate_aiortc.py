#!/usr/bin/python3
"""Regenerates the aiortc fixtures of rtc_sdp_test (Debian python3-aiortc 1.4.0).

Run with Debian's /usr/bin/python3 from this folder:
    /usr/bin/python3 generate_aiortc.py
It writes:
  aiortc_offer.sdp        audio + video (VP8, H264 with RTX), trickle off: candidates inline
  aiortc_offer_dc.sdp     the same plus a data channel (m=application)
  aiortc_answer_to_switchboard.sdp   aiortc's answer to switchboard_offer.sdp, when that
                          file exists (the offer rtc_sdp_test writes with build_offer),
                          which proves aiortc accepts our offers.
Only 127.0.0.1 is gathered so the fixtures hold no address of the machine.
"""
import asyncio
import os

import aioice.ice
from aiortc import RTCPeerConnection, RTCSessionDescription

aioice.ice.get_host_addresses = lambda use_ipv4, use_ipv6: ["127.0.0.1"]
HERE = os.path.dirname(os.path.abspath(__file__))


def write(name, sdp):
    with open(os.path.join(HERE, name), "w", newline="") as f:
        f.write(sdp)
    print("wrote", name)


async def offer(data_channel):
    pc = RTCPeerConnection()
    pc.addTransceiver("audio", direction="sendrecv")
    pc.addTransceiver("video", direction="sendrecv")
    if data_channel:
        pc.createDataChannel("chat")
    await pc.setLocalDescription(await pc.createOffer())
    sdp = pc.localDescription.sdp
    await pc.close()
    return sdp


async def answer(offer_sdp):
    pc = RTCPeerConnection()

    @pc.on("track")
    def on_track(track):
        pass

    await pc.setRemoteDescription(RTCSessionDescription(offer_sdp, "offer"))
    await pc.setLocalDescription(await pc.createAnswer())
    sdp = pc.localDescription.sdp
    await pc.close()
    return sdp


async def main():
    write("aiortc_offer.sdp", await offer(False))
    write("aiortc_offer_dc.sdp", await offer(True))
    ours = os.path.join(HERE, "switchboard_offer.sdp")
    if os.path.exists(ours):
        with open(ours, newline="") as f:
            write("aiortc_answer_to_switchboard.sdp", await answer(f.read()))
    for name in ("chrome_offer.sdp", "firefox_offer.sdp"):
        path = os.path.join(HERE, name)
        if os.path.exists(path):
            with open(path, newline="") as f:
                base = name.replace("_offer.sdp", "")
                write("aiortc_answer_to_%s.sdp" % base, await answer(f.read()))


asyncio.run(main())
