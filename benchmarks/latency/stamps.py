"""Frame stamps read back from video: decode each frame with PyAV and read the stamp
that tests/peers/stamp.py drew into the picture (wall-clock ms, frame counter)."""
import os
import sys

import av
import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "peers"))
import stamp  # noqa: E402

av.logging.set_level(av.logging.FATAL)  # concealment chatter before the first keyframe


def read_frames(codec, frames, prefix=b""):
    """frames: list of (rtp timestamp, last arrival ns, encoded bytes), in sending order.
    Returns {counter: (ms32, rtp timestamp, last arrival ns)} for each frame that decoded
    (a counter already seen keeps its first frame: a decoder repeating a picture is not
    a new frame). `prefix` goes to the decoder before the first frame (out-of-band parameter sets)."""
    ctx = av.CodecContext.create(codec, "r")
    ctx.thread_count = 1
    out = {}

    def take(decoded):
        for picture in decoded:
            index = picture.pts
            if index is None or not 0 <= index < len(frames):
                continue
            plane = picture.planes[0]
            y = np.frombuffer(plane, np.uint8).reshape(picture.height, plane.line_size)
            ms32, counter = stamp.read(y, picture.width)
            ts, arrival, _ = frames[index]
            out.setdefault(counter, (ms32, ts, arrival))

    for index, (_, _, data) in enumerate(frames):
        if not data:
            continue
        if prefix:
            data, prefix = prefix + data, b""
        packet = av.Packet(data)
        packet.pts = index
        try:
            take(ctx.decode(packet))
        except av.error.FFmpegError:
            continue  # a picture before the first keyframe
    try:
        take(ctx.decode(None))
    except av.error.FFmpegError:
        pass
    return out
