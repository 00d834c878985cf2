"""The run's chart: p50 and p99 added latency per system, side by side, one panel per
resolution, as a hand-written SVG (no plotting package needed). The axis is logarithmic:
passthrough relays add tenths of a millisecond, transcoders tens."""
import math

P50, P99 = "#4c78a8", "#f58518"
LO = 0.1  # ms, the axis' bottom; its top is the power of ten above the largest figure


def _y(ms, top, height, hi):
    ms = min(max(ms, LO), hi)
    return top + height * (1 - (math.log10(ms) - math.log10(LO)) / (math.log10(hi) - math.log10(LO)))


def _label(ms):
    """Three significant digits, never in exponent form."""
    return f"{ms:.3g}" if ms < 100 else f"{ms:.0f}"


def _esc(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def svg(title, panels):
    """panels: [(panel title, [(label, p50 ms or None, p99 ms or None)])]."""
    bar, gap, left, top, height = 18, 34, 70, 60, 300
    figures = [v for _, rows in panels for _, p50, p99 in rows for v in (p50, p99) if v]
    hi = 10.0 ** max(1, math.ceil(math.log10(max(figures)))) if figures else 100.0
    widths = [len(rows) * (2 * bar + gap) + gap for _, rows in panels]
    # The last bar's label runs down to the right: leave it room.
    width = max(560, left + sum(widths) + 40 * len(panels) + 140)
    total_h = top + height + 170
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{total_h}" '
           f'font-family="sans-serif" font-size="11">',
           f'<rect width="{width}" height="{total_h}" fill="white"/>',
           f'<text x="{left}" y="22" font-size="15">{_esc(title)}</text>',
           f'<rect x="{left}" y="32" width="10" height="10" fill="{P50}"/><text x="{left + 14}" y="41">p50</text>',
           f'<rect x="{left + 50}" y="32" width="10" height="10" fill="{P99}"/>'
           f'<text x="{left + 64}" y="41">p99 (ms added per frame, log scale)</text>']
    for exp in range(round(math.log10(LO)), round(math.log10(hi)) + 1):
        ms = 10.0 ** exp
        y = _y(ms, top, height, hi)
        out.append(f'<line x1="{left}" x2="{width - 10}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{ms:g}</text>')
    x0 = left + 20
    for (name, rows), w in zip(panels, widths):
        out.append(f'<text x="{x0 + w / 2:.1f}" y="{top + height + 150}" text-anchor="middle" '
                   f'font-size="13">{_esc(name)}</text>')
        x = x0 + gap
        for label, p50, p99 in rows:
            for i, (value, colour) in enumerate(((p50, P50), (p99, P99))):
                if value is None:
                    continue
                y = _y(value, top, height, hi)
                bx = x + i * bar
                out.append(f'<rect x="{bx}" y="{y:.1f}" width="{bar - 2}" height="{top + height - y:.1f}" '
                           f'fill="{colour}"><title>{_esc(label)}: {value:.3f} ms</title></rect>')
                out.append(f'<text x="{bx + bar / 2 - 1:.1f}" y="{y - 3:.1f}" text-anchor="middle" '
                           f'font-size="9">{_label(value)}</text>')
            cx, cy = x + bar, top + height + 8
            out.append(f'<text x="{cx}" y="{cy}" transform="rotate(40 {cx} {cy})">{_esc(label)}</text>')
            x += 2 * bar + gap
        x0 += w + 40
    out.append(f'<line x1="{left}" x2="{width - 10}" y1="{top + height}" y2="{top + height}" stroke="#444"/>')
    out.append("</svg>")
    return "\n".join(out) + "\n"
