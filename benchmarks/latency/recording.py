"""Packet recordings: what a tap saw, written once at its end and read by the analysis.

A file is a sequence of records, each `<QH` (arrival time in time.monotonic_ns, length)
followed by that many bytes of the packet exactly as it travelled. The taps keep
packets in memory while measuring and write only when told to stop, so no disk write
competes with the timing they take.
"""
import struct

_HEAD = struct.Struct("<QH")


def write(path, packets):
    """packets: iterable of (arrival_ns, bytes)."""
    with open(path, "wb") as f:
        for ns, data in packets:
            f.write(_HEAD.pack(ns, len(data)))
            f.write(data)


def read(path):
    """The list of (arrival_ns, bytes) in the order they were recorded."""
    out = []
    with open(path, "rb") as f:
        blob = f.read()
    pos = 0
    while pos + _HEAD.size <= len(blob):
        ns, n = _HEAD.unpack_from(blob, pos)
        pos += _HEAD.size
        out.append((ns, blob[pos:pos + n]))
        pos += n
    return out
