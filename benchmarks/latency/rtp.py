"""RTP as the analysis needs it: headers (RFC 3550 §5.1), packets grouped into frames
by timestamp, and the two depayloaders the systems under test send, H264 (RFC 6184:
single NAL unit, STAP-A, FU-A) and VP8 (RFC 7741). Pure functions on bytes."""
import collections

START_CODE = b"\x00\x00\x00\x01"


class Packet:
    __slots__ = ("arrival_ns", "pt", "marker", "seq", "ts", "ssrc", "payload")

    def __init__(self, arrival_ns, pt, marker, seq, ts, ssrc, payload):
        self.arrival_ns, self.pt, self.marker = arrival_ns, pt, marker
        self.seq, self.ts, self.ssrc, self.payload = seq, ts, ssrc, payload


def is_rtp(data):
    """RTP, and neither RTCP (payload types 64-95 under rtcp-mux, RFC 5761 §4) nor STUN or
    DTLS (first byte outside 128-191, RFC 7983)."""
    return len(data) >= 12 and 128 <= data[0] <= 191 and not 64 <= (data[1] & 0x7F) <= 95


def parse(arrival_ns, data):
    """A Packet, or None for anything that is not a whole RTP packet."""
    if not is_rtp(data):
        return None
    cc = data[0] & 0x0F
    pos = 12 + 4 * cc
    if data[0] & 0x10:  # header extension: 16-bit profile, 16-bit length in words
        if len(data) < pos + 4:
            return None
        pos += 4 + 4 * int.from_bytes(data[pos + 2:pos + 4], "big")
    end = len(data)
    if data[0] & 0x20:  # padding: the last byte says how much
        end -= data[-1]
    if pos > end:
        return None
    return Packet(arrival_ns, data[1] & 0x7F, bool(data[1] & 0x80), int.from_bytes(data[2:4], "big"),
                  int.from_bytes(data[4:8], "big"), int.from_bytes(data[8:12], "big"), bytes(data[pos:end]))


def main_stream(packets):
    """The packets of the SSRC that sent the most (the video, not RTX or a stray stream)."""
    counts = collections.Counter(p.ssrc for p in packets)
    if not counts:
        return []
    ssrc = counts.most_common(1)[0][0]
    return [p for p in packets if p.ssrc == ssrc]


def frames(packets):
    """Groups one stream's packets by RTP timestamp, in order of first arrival. Returns a list
    of (timestamp, arrival of the frame's last packet in ns, packets in sequence order).
    Sequence numbers are unwrapped along arrival order, so a wrap inside a frame sorts right."""
    groups = collections.OrderedDict()
    last_seq, ext = None, 0
    for p in packets:
        if last_seq is not None:
            step = (p.seq - last_seq) & 0xFFFF
            ext += step if step < 0x8000 else step - 0x10000
        else:
            ext = p.seq
        last_seq = p.seq
        groups.setdefault(p.ts, []).append((ext, p))
    out = []
    for ts, items in groups.items():
        items.sort(key=lambda x: x[0])
        out.append((ts, max(p.arrival_ns for _, p in items), [p for _, p in items]))
    return out


def depay_h264(packets):
    """Annex B bytes of one access unit's packets (in sequence order)."""
    out = bytearray()
    fu = None
    for p in packets:
        b = p.payload
        if not b:
            continue
        kind = b[0] & 0x1F
        if 1 <= kind <= 23:
            out += START_CODE + b
        elif kind == 24:  # STAP-A: 16-bit size, NAL unit, ...
            pos = 1
            while pos + 2 <= len(b):
                n = int.from_bytes(b[pos:pos + 2], "big")
                out += START_CODE + b[pos + 2:pos + 2 + n]
                pos += 2 + n
        elif kind == 28 and len(b) >= 2:  # FU-A: indicator, header (S E R type), fragment
            if b[1] & 0x80:
                fu = bytearray([(b[0] & 0xE0) | (b[1] & 0x1F)])
            if fu is not None:
                fu += b[2:]
                if b[1] & 0x40:
                    out += START_CODE + fu
                    fu = None
    return bytes(out)


def depay_vp8(packets):
    """The VP8 frame carried by one picture's packets (in sequence order)."""
    out = bytearray()
    for p in packets:
        b = p.payload
        if not b:
            continue
        pos = 1
        if b[0] & 0x80:  # X: the extension byte I L T K follows
            ext = b[1]
            pos = 2
            if ext & 0x80:  # I: picture id, 15 bits when its M bit is set
                pos += 2 if b[pos] & 0x80 else 1
            if ext & 0x40:  # L: TL0PICIDX
                pos += 1
            if ext & 0x30:  # T or K: TID/Y/KEYIDX
                pos += 1
        out += b[pos:]
    return bytes(out)


def parameter_sets(annex_b):
    """The SPS and PPS NAL units (types 7 and 8) of an Annex B stream, each with its start code."""
    out = bytearray()
    for nal in annex_b.split(START_CODE):
        if nal and (nal[0] & 0x1F) in (7, 8):
            out += START_CODE + nal
    return bytes(out)


def is_keyframe(codec, data):
    """An H264 access unit with an IDR slice (NAL type 5), or a VP8 key frame (RFC 6386
    §9.1: frame tag bit 0 clear, then the start code 9d 01 2a)."""
    if codec == "vp8":
        return len(data) >= 6 and not data[0] & 1 and data[3:6] == b"\x9d\x01\x2a"
    return any(nal and nal[0] & 0x1F == 5 for nal in data.split(START_CODE))


def starts_keyframe(codec, payload):
    """Whether one packet's payload begins a keyframe, so a receiver can tell online: an
    H264 IDR slice (NAL type 5) alone, first in an FU-A or inside a STAP-A; a VP8 partition
    start of partition 0 whose frame tag marks a key frame."""
    if not payload:
        return False
    if codec == "vp8":
        pos = 1
        if payload[0] & 0x80:
            ext = payload[1] if len(payload) > 1 else 0
            pos = 2 + (0 if not ext & 0x80 else 2 if len(payload) > 2 and payload[2] & 0x80 else 1)
            pos += (1 if ext & 0x40 else 0) + (1 if ext & 0x30 else 0)
        starts = payload[0] & 0x10 and payload[0] & 0x07 == 0
        return bool(starts) and len(payload) > pos and not payload[pos] & 1
    kind = payload[0] & 0x1F
    if kind == 5:
        return True
    if kind == 28:
        return len(payload) > 1 and bool(payload[1] & 0x80) and payload[1] & 0x1F == 5
    if kind == 24:
        pos = 1
        while pos + 2 < len(payload):
            if payload[pos + 2] & 0x1F == 5:
                return True
            pos += 2 + int.from_bytes(payload[pos:pos + 2], "big")
    return False
