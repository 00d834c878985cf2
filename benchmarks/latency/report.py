"""The run's JSON document from the per-run figures: medians over runs per system and
resolution, and where Switchboard stands against the goals of issue 5."""
import statistics

# cpu_p50_ms/cpu_p99_ms: the codec floor's per-frame CPU time (wall minus that is waiting for a core)
FIELDS = ("p50_ms", "p99_ms", "frames_matched", "cpu_percent", "peak_rss_mib", "output_first_keyframe_ms",
          "cpu_p50_ms", "cpu_p99_ms")


def median_of(runs, field):
    values = [r[field] for r in runs if r.get(field) is not None]
    return round(statistics.median(values), 3) if values else None


def summarize(runs):
    return {field: median_of(runs, field) for field in FIELDS if any(field in r for r in runs)}


def goals(results):
    """Issue 5's goals, checked on the medians; None where a figure is missing."""
    out = {}
    for size, systems in results.items():
        passthrough = systems.get("switchboard_passthrough", {}).get("median")
        vp8 = systems.get("switchboard_vp8", {}).get("median")
        floor = systems.get("codec_floor", {}).get("median")
        checks = {}
        if passthrough:
            checks["passthrough_p50_le_0.3ms"] = _le(passthrough["p50_ms"], 0.3)
            checks["passthrough_p99_le_1.5ms"] = _le(passthrough["p99_ms"], 1.5)
        if vp8 and floor:
            checks["vp8_p50_le_floor_plus_1.5ms"] = _le(vp8["p50_ms"], _plus(floor["p50_ms"], 1.5))
            checks["vp8_p99_le_floor_p99_plus_5ms"] = _le(vp8["p99_ms"], _plus(floor["p99_ms"], 5))
            checks["vp8_cpu_le_floor_plus_5_points"] = _le(vp8["cpu_percent"], _plus(floor["cpu_percent"], 5))
        out[size] = checks
    return out


def _plus(a, b):
    return None if a is None else a + b


def _le(a, b):
    return None if a is None or b is None else a <= b
