"""Scheduling for the harness' own processes, so that they measure the system under test
without competing with it for the cores.

The taps are the harness' clocks. They run SCHED_FIFO, so that a tap never waits behind a
busy process to stamp a packet, and they are pinned to the machine's last core. At that
priority, a tap on the core of the system it measures preempts it at every datagram it is
woken for. The output tap, woken by a frame's first datagram, then ran before the rest of
the frame was sent, for up to 2 ms a frame. The taps sleep in poll nearly all the time, so
this costs the machine little. It needs root (or CAP_SYS_NICE); without it the taps run as
they are, and the document says so.

The load the harness makes itself runs SCHED_IDLE: the camera's encoder and the WebRTC
viewer. They stand in for devices elsewhere on the network. At normal priority on this
2-core machine, the camera's encoder kept a core for its full time slice (1.5-2 ms) from a
system just woken to forward the camera's last frame. That happened to every system alike
(GStreamer's p99 was 1.7-2.0 ms), and it was the camera's cost, not theirs."""
import os

PRIORITY = 10  # above every normal task, below the kernel's own real-time threads


def become_realtime():
    """SCHED_FIFO on the last core; True when this process now runs so."""
    try:
        cpus = sorted(os.sched_getaffinity(0))
        if len(cpus) > 1:
            os.sched_setaffinity(0, {cpus[-1]})
        os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(PRIORITY))
        return True
    except (OSError, AttributeError):
        return False


def background():
    """SCHED_IDLE for this process and the threads it starts (a preexec_fn for the camera
    and the viewer): it runs only when no other task wants the core."""
    os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
