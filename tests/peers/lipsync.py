"""Lip-sync measurement: white flashes in the video, 1 kHz beeps in the audio, paired.

The source is rtsp_camera.py --flash-beep: once a second a few full-frame white frames
(Y=235 on a dark Y=16 picture) and, starting at the same instant, a 100 ms 1 kHz beep
(silence otherwise). A receiver feeds every decoded video frame and every decoded audio
frame, each with the time it stands for on one clock of the receiver's choice, and gets
audio-minus-video offsets in ms (positive: the sound comes late).

  flashes = FlashDetector()                 beeps = BeepDetector(rate=48000)
  flashes.add(t, mean_luma(frame))          beeps.add(t_first_sample, mono_samples)
  summary(flashes.onsets, beeps.onsets)  -> {"median": ms, "list": [...], ...}

Resolution: a flash is timed by its first white frame (the frame period is the
receiver's own uncertainty); a beep by the first 5 ms window whose 1 kHz level crosses
the threshold, placed inside that window by the next window's level (see BeepDetector). Needs only numpy, so any benchmark or peer
can import it; PyAV frames are accepted where noted.
"""
import math
import statistics

import numpy as np

FLASH_HIGH = 180.0   # mean luma at or above: a flash (white frames are 235, dark ones ~16-30,
                     # a test pattern ~120-130)
FLASH_LOW = 100.0    # mean luma below: dark again, the next flash may start
BEEP_HZ = 1000.0
WINDOW_MS = 5.0
BEEP_ON_DBFS = -30.0   # 1 kHz RMS at or above: a beep (the source's is -6 dBFS)
BEEP_OFF_DBFS = -40.0  # below: quiet again
MIN_GAP_S = 0.3        # two onsets of one kind at least this far apart (the source: 1 s)
MAX_PAIR_S = 0.5       # a flash and a beep further apart than this are not a pair


def mean_luma(frame):
    """Mean of the luma plane. frame: a 2-D numpy array of Y, or a PyAV VideoFrame in a
    YUV format (its first plane, padding columns left out)."""
    if isinstance(frame, np.ndarray):
        return float(frame.mean())
    plane = frame.planes[0]
    y = np.frombuffer(plane, np.uint8).reshape(-1, plane.line_size)[:frame.height, :frame.width]
    return float(y.mean())


def mono_samples(frame):
    """A PyAV AudioFrame as one 1-D float array in [-1, 1): the first channel."""
    a = frame.to_ndarray()
    channels = len(frame.layout.channels)
    if frame.format.is_planar:
        a = a[0]
    else:
        a = a.reshape(-1)[::channels]
    if a.dtype.kind == "i":
        return a.astype(np.float64) / float(2 ** (8 * a.dtype.itemsize - 1))
    return a.astype(np.float64)


def tone_dbfs(window, rate, hz=BEEP_HZ):
    """RMS level in dBFS of the `hz` component of `window` (floats, full scale 1.0):
    one DFT bin at exactly `hz` (Goertzel without the recursion)."""
    n = len(window)
    if n == 0:
        return -200.0
    phase = np.exp(-2j * np.pi * hz * np.arange(n) / rate)
    amplitude = 2.0 * abs(np.dot(window, phase)) / n
    rms = amplitude / math.sqrt(2.0)
    return 20.0 * math.log10(rms) if rms > 1e-10 else -200.0


class FlashDetector:
    """Dark-to-white transitions of the mean luma, with hysteresis."""

    def __init__(self, high=FLASH_HIGH, low=FLASH_LOW, min_gap_s=MIN_GAP_S):
        self.high, self.low, self.min_gap = high, low, min_gap_s
        self.armed = False  # armed by a dark frame (a stream may start inside a flash)
        self.onsets = []   # seconds, on the caller's clock
        self.frames = 0

    def add(self, t, luma):
        """t: the frame's time in seconds; luma: its mean luma. Returns t on an onset."""
        self.frames += 1
        if self.armed and luma >= self.high:
            self.armed = False
            if not self.onsets or t - self.onsets[-1] >= self.min_gap:
                self.onsets.append(t)
                return t
        elif not self.armed and luma < self.low:
            self.armed = True
        return None


class BeepDetector:
    """Onsets of a 1 kHz tone over consecutive windows of WINDOW_MS. A window is "tonal"
    when its 1 kHz level is at least BEEP_ON_DBFS and at most 6 dB under the window's
    whole RMS (the tone dominates it: a loud tone of another frequency leaking into the
    1 kHz bin is no beep); "quiet" when the 1 kHz level is under BEEP_OFF_DBFS or 10 dB
    under the whole. An onset is the first tonal window after a quiet one (so a stream
    that starts inside a beep does not count it). It is placed within the windows by
    amplitude: a tone present over the fraction q of a window has q times the full
    amplitude (rectangular window), the full one read from the next window, so
      onset = start of the tonal window + (1 - q_tonal - q_previous) * window
    which times a clean tone to well under a millisecond (5 ms without it).
    Samples may come in chunks of any size: a window that spans two chunks is timed from
    its first sample (the chunks are taken as contiguous)."""

    def __init__(self, rate, hz=BEEP_HZ, window_ms=WINDOW_MS, on_dbfs=BEEP_ON_DBFS,
                 off_dbfs=BEEP_OFF_DBFS, min_gap_s=MIN_GAP_S):
        self.rate, self.hz = rate, hz
        self.n = max(1, int(round(rate * window_ms / 1000.0)))
        self.on, self.off, self.min_gap = on_dbfs, off_dbfs, min_gap_s
        self.pending = np.zeros(0)
        self.pending_t = None
        self.armed = False  # armed by quiet
        self.prev_amp = 0.0  # 1 kHz amplitude of the previous window
        self.candidate = None  # (tonal window's start, its amplitude, the one before's)
        self.onsets = []
        self.peak_dbfs = -200.0

    def _settle(self, full_amp):
        t, amp, prev = self.candidate
        self.candidate = None
        full = max(full_amp, amp)
        q, q_prev = (amp / full, min(1.0, prev / full)) if full > 0 else (1.0, 0.0)
        onset = t + ((1.0 - q) - q_prev) * self.n / self.rate
        if not self.onsets or onset - self.onsets[-1] >= self.min_gap:
            self.onsets.append(onset)
            return onset
        return None

    def add(self, t0, samples):
        """t0: time in seconds of samples[0]; samples: 1-D mono, floats in [-1, 1) or int16.
        Returns the onsets settled by this chunk."""
        x = np.asarray(samples)
        x = x.astype(np.float64) / 32768.0 if x.dtype.kind == "i" else x.astype(np.float64)
        if len(self.pending) == 0:
            self.pending_t = t0
        buf = np.concatenate([self.pending, x]) if len(self.pending) else x
        t = self.pending_t
        found = []
        i = 0
        while i + self.n <= len(buf):
            window = buf[i:i + self.n]
            level = tone_dbfs(window, self.rate, self.hz)
            rms = math.sqrt(float(np.dot(window, window)) / self.n)
            whole = 20.0 * math.log10(rms) if rms > 1e-10 else -200.0
            amp = 10.0 ** (level / 20.0)
            self.peak_dbfs = max(self.peak_dbfs, level)
            if self.candidate is not None:
                onset = self._settle(amp)
                if onset is not None:
                    found.append(onset)
            if self.armed and level >= self.on and level >= whole - 6.0:
                self.armed = False
                self.candidate = (t + i / self.rate, amp, self.prev_amp)
            elif not self.armed and (level < self.off or level < whole - 10.0):
                self.armed = True
            self.prev_amp = amp
            i += self.n
        self.pending = buf[i:]
        self.pending_t = t + i / self.rate
        return found

    def flush(self):
        """Settles a tonal last window (taken as full) and returns all onsets."""
        if self.candidate is not None:
            self._settle(self.candidate[1])
        return self.onsets


def pair(flashes, beeps, max_pair_s=MAX_PAIR_S):
    """Each flash with its nearest beep (within max_pair_s): a list of (flash, beep)."""
    pairs = []
    beeps = sorted(beeps)
    for f in sorted(flashes):
        if not beeps:
            break
        b = min(beeps, key=lambda b: abs(b - f))
        if abs(b - f) <= max_pair_s:
            pairs.append((f, b))
    return pairs


def summary(flashes, beeps, max_pair_s=MAX_PAIR_S):
    """{"median": audio minus video in ms (None without a pair), "list": each pair's,
    "flashes": n, "beeps": n, "pairs": n}"""
    offsets = [round((b - f) * 1000.0, 1) + 0.0 for f, b in pair(flashes, beeps, max_pair_s)]  # no -0.0
    return {"median": round(statistics.median(offsets), 1) + 0.0 if offsets else None,
            "list": offsets, "flashes": len(flashes), "beeps": len(beeps), "pairs": len(offsets)}


class RtpClock:
    """One RTP stream's clock: unwraps its 32-bit timestamps into seconds and, once an
    RTCP sender report has been seen, maps those seconds to the sender's NTP clock
    (RFC 3550 section 6.4.1), the clock on which a sender lines its streams up."""

    def __init__(self, clock_rate):
        self.rate = clock_rate
        self.last = None
        self.high = 0
        self.sr = None  # (NTP seconds, RTP timestamp) of the latest sender report

    def seconds(self, ts):
        """An RTP timestamp as seconds on this stream's unwrapped timeline."""
        ts &= 0xFFFFFFFF
        if self.last is not None:
            if self.last - ts > 0x80000000:
                self.high += 1 << 32
            elif ts - self.last > 0x80000000:
                self.high -= 1 << 32
        self.last = ts
        return (self.high + ts) / float(self.rate)

    def sender_report(self, ntp64, rtp_ts):
        """ntp64: the SR's 64-bit NTP timestamp; rtp_ts: its RTP timestamp."""
        self.sr = (ntp64 / float(1 << 32), rtp_ts & 0xFFFFFFFF)

    def sender_time(self, seconds):
        """A time from seconds() on the sender's NTP clock; None before any SR."""
        if self.sr is None:
            return None
        ticks = int(round(seconds * self.rate)) & 0xFFFFFFFF
        delta = ((ticks - self.sr[1] + 0x80000000) & 0xFFFFFFFF) - 0x80000000
        return self.sr[0] + delta / float(self.rate)


class Meter:
    """Flashes and beeps of one received call on several clocks at once. A receiver
    feeds every decoded frame with its times on the clocks it has, by name, e.g.
      "arrival":        when the decoded frame reached the receiver (what a viewer sees
                        and hears: a video frame shows when it arrives, an audio frame
                        starts playing then; includes the receiver's own buffering);
      "packet_arrival": when the first RTP packet of the frame reached the receiver
                        (what the network delivered, before the receiver's buffers);
    and, given the frame's RTP timestamp, "rtcp_sr": that timestamp mapped through the
    stream's latest RTCP sender report to the sender's NTP clock (how the sender says
    its streams line up; what a receiver that syncs on SRs would play).
    report() pairs flashes and beeps per clock."""

    SR = "rtcp_sr"

    def __init__(self):
        self.flash = {}
        self.beep = {}
        self.video_clock = None
        self.audio_clock = None

    def video(self, luma, times, rtp_ts=None, clock_rate=90000):
        """luma: the frame's mean luma; times: {clock name: seconds}."""
        for name, t in times.items():
            self.flash.setdefault(name, FlashDetector()).add(t, luma)
        if rtp_ts is not None:
            if self.video_clock is None:
                self.video_clock = RtpClock(clock_rate)
            self.flash.setdefault(self.SR, FlashDetector()).add(self.video_clock.seconds(rtp_ts), luma)

    def audio(self, samples, rate, times, rtp_ts=None, clock_rate=None):
        """samples: 1-D mono at `rate`; times: {clock name: seconds of the first sample}."""
        for name, t in times.items():
            self.beep.setdefault(name, BeepDetector(rate)).add(t, samples)
        if rtp_ts is not None:
            if self.audio_clock is None:
                self.audio_clock = RtpClock(clock_rate or rate)
            self.beep.setdefault(self.SR, BeepDetector(rate)).add(self.audio_clock.seconds(rtp_ts), samples)

    def video_sender_report(self, ntp64, rtp_ts):
        if self.video_clock is not None:
            self.video_clock.sender_report(ntp64, rtp_ts)

    def audio_sender_report(self, ntp64, rtp_ts):
        if self.audio_clock is not None:
            self.audio_clock.sender_report(ntp64, rtp_ts)

    def report(self):
        """{clock name: summary(...)}; "rtcp_sr" is None unless both streams had an SR."""
        out = {}
        for name in sorted(set(self.flash) | set(self.beep)):
            flashes = self.flash[name].onsets if name in self.flash else []
            beeps = self.beep[name].flush() if name in self.beep else []
            if name == self.SR:
                vc, ac = self.video_clock, self.audio_clock
                if vc is None or ac is None or vc.sr is None or ac.sr is None:
                    out[name] = None
                    continue
                flashes = [vc.sender_time(t) for t in flashes]
                beeps = [ac.sender_time(t) for t in beeps]
            out[name] = summary(flashes, beeps)
        return out
