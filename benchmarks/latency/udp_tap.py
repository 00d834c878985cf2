#!/usr/bin/python3
"""The output tap: where the system under test's RTP arrives, timed on arrival.

  udp_tap.py sink --out FILE     one socket; prints {"port": P}; records every datagram
  udp_tap.py relay --out FILE    prints {"peer_port": P, "gateway_port": G}; a relay for a
                                 WebRTC call: the gateway is told the viewer is at G, the
                                 viewer that the gateway is at P; each side's real address
                                 is learned from what it sends (as a NAT does), and what
                                 the gateway sends is recorded (SRTP, decrypted later)

Both print {"first_rtp_ns": T} when the first RTP packet arrives, so the harness knows
media flows, and {"first_keyframe_ns": T} when the first packet of a keyframe of --codec
does (decrypting a copy with the gateway's --key-log in relay mode): before it a viewer
has nothing to decode, so the measured interval starts after it.

Arrival time is the kernel's receive timestamp (SO_TIMESTAMPNS), taken as the datagram
is queued to the socket: a burst of a keyframe's packets read one by one by this loop
would otherwise get times spread by the loop's own per-packet cost. The kernel stamps
CLOCK_REALTIME; it is moved to the harness' clock (CLOCK_MONOTONIC) by the offset
between the two read at that moment. Packets stay in memory until SIGTERM, then go to
FILE (recording.py).
"""
import argparse
import json
import os
import select
import signal
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import realtime  # noqa: E402
import recording  # noqa: E402
import rtp  # noqa: E402
import srtp_output  # noqa: E402

stopping = False
# <linux/socket.h>: SO_TIMESTAMPNS (= SCM_TIMESTAMPNS) on 64-bit; the socket module does
# not name it. The control message is a struct timespec.
SO_TIMESTAMPNS = 35
TIMESPEC = struct.Struct("qq")


def on_term(*_):
    global stopping
    stopping = True


def bind_loopback():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    # Room for a keyframe's burst while this process waits for a core.
    for opt in (getattr(socket, "SO_RCVBUFFORCE", None), socket.SO_RCVBUF):
        try:
            s.setsockopt(socket.SOL_SOCKET, opt, 8 << 20)
            break
        except (OSError, TypeError):
            continue
    s.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
    s.bind(("127.0.0.1", 0))
    s.setblocking(False)
    return s


def receive(s):
    """(datagram, source, arrival in time.monotonic_ns) or None when nothing is queued."""
    try:
        data, ancillary, _, source = s.recvmsg(65536, 64)
    except BlockingIOError:
        return None
    for level, kind, value in ancillary:
        if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS and len(value) >= TIMESPEC.size:
            sec, nsec = TIMESPEC.unpack_from(value)
            return data, source, sec * 1_000_000_000 + nsec - (time.time_ns() - time.monotonic_ns())
    return data, source, time.monotonic_ns()


class KeyframeWatch:
    """Looks for the first keyframe in what arrives; with a key log, in a decrypted copy
    (the key appears in the log when the call's DTLS completes, before its first SRTP)."""

    def __init__(self, codec, key_log):
        self.codec, self.key_log, self.session = codec, key_log, None

    def is_keyframe_start(self, data):
        if self.key_log:
            if self.session is None:
                self.session = srtp_output.open_session(self.key_log)
                if self.session is None:
                    return False
            try:
                data = self.session.unprotect(data)
            except Exception:  # pylibsrtp.Error: not (yet) ours
                return False
        packet = rtp.parse(0, data)
        return packet is not None and rtp.starts_keyframe(self.codec, packet.payload)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mode", choices=["sink", "relay"])
    ap.add_argument("--out", required=True)
    ap.add_argument("--codec", choices=["h264", "vp8"], required=True)
    ap.add_argument("--key-log", help="relay: the gateway's SRTP key log")
    args = ap.parse_args()
    watch = KeyframeWatch(args.codec, args.key_log)
    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, on_term)
    rt = realtime.become_realtime()

    peer = bind_loopback()
    gateway = bind_loopback() if args.mode == "relay" else None
    if gateway:
        print(json.dumps({"peer_port": peer.getsockname()[1], "gateway_port": gateway.getsockname()[1],
                          "realtime": rt}), flush=True)
    else:
        print(json.dumps({"port": peer.getsockname()[1], "realtime": rt}), flush=True)

    # In sink mode the one socket is where the system under test sends: it plays the
    # gateway side, and nothing is forwarded.
    media_in = gateway or peer
    real = {peer: None, gateway: None}
    packets = []
    first = keyframe = False
    poller = select.poll()
    for s in filter(None, (peer, gateway)):
        poller.register(s, select.POLLIN)
    by_fd = {s.fileno(): s for s in filter(None, (peer, gateway))}
    while not stopping:
        for fd, _ in poller.poll(100):
            s = by_fd[fd]
            while True:
                got = receive(s)
                if got is None:
                    break
                data, source, ns = got
                if s is media_in:
                    packets.append((ns, data))
                    if not keyframe and rtp.is_rtp(data):
                        if not first:
                            first = True
                            print(json.dumps({"first_rtp_ns": ns}), flush=True)
                        if watch.is_keyframe_start(data):
                            keyframe = True
                            print(json.dumps({"first_keyframe_ns": ns}), flush=True)
                if gateway is None:
                    continue
                real[s] = source
                other = gateway if s is peer else peer
                if real[other] is not None:
                    other.sendto(data, real[other])
    recording.write(args.out, packets)
    print(json.dumps({"packets": len(packets)}), flush=True)


if __name__ == "__main__":
    main()
