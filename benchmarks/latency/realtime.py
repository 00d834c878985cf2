"""Real-time scheduling for the taps, which are the harness' clocks: a tap that waits for a
core behind a busy process would stamp a packet late and add its own delay to the system
it measures. They sleep in poll nearly all the time, so a real-time priority costs the
machine nothing. Needs root (or CAP_SYS_NICE); without it the taps run as they are and
the document says so."""
import os

PRIORITY = 10  # above every normal task, below the kernel's own real-time threads


def become_realtime():
    """True when this process now runs SCHED_FIFO."""
    try:
        os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(PRIORITY))
        return True
    except (OSError, AttributeError):
        return False
