"""A signal's curve as an inline SVG: observed counts over the expected band, rendered server-side.

Every text that reaches the markup is escaped; the chart has a `<title>` and an `aria-label`
summary for screen readers. The window the signal covers is shaded; a partial (still filling) last
hour is drawn as an open, dashed point.

>>> svg = curve_svg([{"t": "2026-01-01T00:00:00Z", "observed": 3, "expected": 2, "low": 0, "high": 5},
...                  {"t": "2026-01-01T01:00:00Z", "observed": 9, "expected": 2, "low": 0, "high": 5}])
>>> svg.startswith("<svg") and "observed" in svg and "<title>" in svg
True
"""

from __future__ import annotations

from html import escape


def _hour(stamp: str) -> str:
    """`2026-01-01T08:00:00Z` as people read it: `2026-01-01 08:00`.

    >>> _hour("2026-01-01T08:00:00Z")
    '2026-01-01 08:00'
    """
    return str(stamp)[:16].replace("T", " ")


def curve_svg(
    curve: list[dict], *, window_start: str | None = None, width: int = 640, height: int = 180, title: str = ""
) -> str:
    """SVG markup (a string) for `curve` points `{"t", "observed", "expected", "low", "high"[, "partial"]}`."""
    if not curve:
        return ""
    pad_l, pad_r, pad_t, pad_b = 40, 8, 10, 22
    w, h = width - pad_l - pad_r, height - pad_t - pad_b
    top = max(max(float(p["observed"]), float(p["high"]), float(p["expected"])) for p in curve) or 1.0
    n = len(curve)

    def x(i: int) -> float:
        return pad_l + (w * i / (n - 1) if n > 1 else w / 2)

    def y(v: float) -> float:
        return pad_t + h - h * float(v) / top

    band = [f"{x(i):.1f},{y(p['high']):.1f}" for i, p in enumerate(curve)]
    band += [f"{x(i):.1f},{y(p['low']):.1f}" for i, p in reversed(list(enumerate(curve)))]
    expected = " ".join(f"{x(i):.1f},{y(p['expected']):.1f}" for i, p in enumerate(curve))
    full = [p for p in curve if not p.get("partial")]
    observed = " ".join(f"{x(i):.1f},{y(p['observed']):.1f}" for i, p in enumerate(full))
    peak = max(curve, key=lambda p: float(p["observed"]))
    label = (
        f"{title + ': ' if title else ''}hourly posts from {_hour(curve[0]['t'])} to {_hour(curve[-1]['t'])} UTC; "
        f"peak {float(peak['observed']):g} at {_hour(peak['t'])} against about {float(peak['expected']):g} expected"
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="curve" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(label)}">',
        f"<title>{escape(label)}</title>",
    ]
    if window_start:
        i0 = next((i for i, p in enumerate(curve) if p["t"] >= window_start), None)
        if i0 is not None:
            parts.append(
                f'<rect x="{x(i0):.1f}" y="{pad_t}" width="{x(n - 1) - x(i0):.1f}" height="{h}" '
                'fill="#fde68a" fill-opacity="0.35"><title>signal window</title></rect>'
            )
    parts += [
        f'<polygon points="{" ".join(band)}" fill="#93c5fd" fill-opacity="0.45"><title>expected band</title></polygon>',
        f'<polyline points="{expected}" fill="none" stroke="#2563eb" stroke-dasharray="4 3" stroke-width="1.5">'
        "<title>expected</title></polyline>",
        f'<polyline points="{observed}" fill="none" stroke="#b91c1c" stroke-width="2">'
        "<title>observed</title></polyline>",
    ]
    if curve[-1].get("partial") and n > 1:
        p = curve[-1]
        parts.append(
            f'<line x1="{x(n - 2):.1f}" y1="{y(curve[-2]["observed"]):.1f}" x2="{x(n - 1):.1f}" '
            f'y2="{y(p["observed"]):.1f}" stroke="#b91c1c" stroke-dasharray="3 3" stroke-width="2"/>'
            f'<circle cx="{x(n - 1):.1f}" cy="{y(p["observed"]):.1f}" r="3.5" fill="white" stroke="#b91c1c">'
            f"<title>{escape(_hour(p['t']))} UTC: partial hour, {float(p['observed']):g} so far</title></circle>"
        )
    parts += [
        f'<text x="{pad_l - 4}" y="{pad_t + 8}" text-anchor="end" font-size="10">{top:g}</text>',
        f'<text x="{pad_l - 4}" y="{pad_t + h}" text-anchor="end" font-size="10">0</text>',
        f'<text x="{pad_l}" y="{height - 6}" font-size="10">{escape(_hour(curve[0]["t"]))}</text>',
        f'<text x="{width - pad_r}" y="{height - 6}" text-anchor="end" font-size="10">'
        f"{escape(_hour(curve[-1]['t']))}</text>",
        "</svg>",
    ]
    return "".join(parts)
