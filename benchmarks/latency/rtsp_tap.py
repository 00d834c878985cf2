#!/usr/bin/python3
"""The input tap: a TCP relay between an RTSP camera and the system under test.

  rtsp_tap.py --camera-port C --out FILE     prints {"port": P} once listening on 127.0.0.1:P

The system under test connects to rtsp://127.0.0.1:P/... instead of the camera and asks
for RTP over the RTSP connection (interleaved, RFC 2326 §10.12). Bytes pass unchanged
both ways, as soon as they are read; the camera-to-client direction is also parsed
('$' channel length packet, or an RTSP message with its Content-Length body) so that
every interleaved packet is recorded with the time the write that completed it to the
system under test returned: on loopback that is when it sits in the receiver's socket
queue. Records hold the channel byte then the packet (recording.py). SIGTERM writes
the file and ends the process, printing {"packets": N, "writes_buffered": N}.
"""
import argparse
import asyncio
import json
import os
import signal
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import realtime  # noqa: E402
import recording  # noqa: E402


class InterleavedParser:
    """Splits the camera's byte stream into RTSP messages and interleaved packets, across
    any chunking; hands each completed packet (channel byte + packet) to `on_packet`."""

    def __init__(self, on_packet):
        self.buf = bytearray()
        self.on_packet = on_packet

    def feed(self, chunk, ns):
        self.buf += chunk
        while self.buf:
            if self.buf[0] == 0x24:  # '$'
                if len(self.buf) < 4:
                    return
                n = int.from_bytes(self.buf[2:4], "big")
                if len(self.buf) < 4 + n:
                    return
                self.on_packet(ns, bytes(self.buf[1:2]) + bytes(self.buf[4:4 + n]))
                del self.buf[:4 + n]
                continue
            end = self.buf.find(b"\r\n\r\n")
            if end < 0:
                return
            length = 0
            for line in bytes(self.buf[:end]).split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            if len(self.buf) < end + 4 + length:
                return
            del self.buf[:end + 4 + length]


class CameraSide(asyncio.Protocol):
    """The connection to the camera: what it sends goes to the client side."""

    def __init__(self, client):
        self.client = client

    def data_received(self, data):
        self.client.from_camera(data)

    def connection_lost(self, exc):
        self.client.transport.close()


class ClientSide(asyncio.Protocol):
    """One system under test. Its connection opens one to the camera; what it sends before
    that is up waits in `pending`."""

    def __init__(self, tap):
        self.tap = tap
        self.transport = self.camera = None
        self.pending = bytearray()
        self.parser = InterleavedParser(tap.record)

    def connection_made(self, transport):
        self.transport = transport
        asyncio.ensure_future(self.connect())

    async def connect(self):
        try:
            self.camera, _ = await asyncio.get_running_loop().create_connection(
                lambda: CameraSide(self), "127.0.0.1", self.tap.camera_port)
        except OSError:
            self.transport.close()
            return
        if self.pending:
            self.camera.write(bytes(self.pending))
            self.pending.clear()

    def from_camera(self, data):
        self.transport.write(data)
        ns = time.monotonic_ns()
        if self.transport.get_write_buffer_size():
            self.tap.writes_buffered += 1
        self.parser.feed(data, ns)

    def data_received(self, data):
        if self.camera is None:
            self.pending += data
        else:
            self.camera.write(data)

    def connection_lost(self, exc):
        if self.camera is not None:
            self.camera.close()


class Tap:
    """What every client's camera stream recorded, and the camera's port."""

    def __init__(self, camera_port):
        self.camera_port = camera_port
        self.packets = []  # (ns, channel + packet)
        # Writes the kernel did not take at once: their packets reached the system under
        # test later than recorded. Anything but 0 means the run's input times are suspect.
        self.writes_buffered = 0

    def record(self, ns, packet):
        self.packets.append((ns, packet))


async def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--camera-port", type=int, required=True)
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    rt = realtime.become_realtime()
    loop = asyncio.get_running_loop()
    tap = Tap(args.camera_port)
    server = await loop.create_server(lambda: ClientSide(tap), "127.0.0.1", args.port)
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    print(json.dumps({"port": server.sockets[0].getsockname()[1], "realtime": rt}), flush=True)
    await stop.wait()
    server.close()
    recording.write(args.out, tap.packets)
    print(json.dumps({"packets": len(tap.packets), "writes_buffered": tap.writes_buffered}), flush=True)


if __name__ == "__main__":
    asyncio.run(main())
