"""The brief as a self-contained HTML page: escaped text, inline SVG charts, no scripts.

A strict Content-Security-Policy (no scripts at all) is set in the page itself, so even a browser that
opened it from disk would run nothing that a post smuggled in.
"""

from __future__ import annotations

import html
from collections import defaultdict

from monitio.reports.fmt import pct, size_text, when
from monitio.reports.model import Brief
from monitio.reports.safe import one_line, safe_url

CSS = """body{font:15px/1.5 system-ui,sans-serif;max-width:1100px;margin:2rem auto;padding:0 1rem;color:#1d2430}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem;border-top:1px solid #ddd;padding-top:1rem}
.meta{color:#5d6877}.sev{display:inline-block;background:#c62828;color:#fff;border-radius:4px;padding:0 .4rem}
blockquote{margin:.4rem 0;padding:.3rem .8rem;border-left:3px solid #ccd;background:#f6f7f9;white-space:pre-wrap}
svg text{font-size:11px;fill:#5d6877}"""
COLORS = ["#0b5fff", "#c62828", "#2e7d32", "#e08a00", "#6a1b9a", "#00838f"]


def e(text) -> str:
    return html.escape(str(text), quote=True)


def _trend_svg(brief: Brief, width: int = 900, height: int = 260) -> str:
    per: dict[str, dict] = defaultdict(dict)
    for t in brief.trends:
        per[t.category][t.day] = t.count
    if not per:
        return ""
    top = sorted(per, key=lambda c: -sum(per[c].values()))[:6]
    days = sorted({d for c in top for d in per[c]})
    ymax = max(max(per[c].values()) for c in top) or 1
    left, bottom = 40, 24

    def x(i):
        return left + (i / max(len(days) - 1, 1)) * (width - left - 10)

    def y(v):
        return height - bottom - v / ymax * (height - bottom - 10)

    parts = [f'<svg viewBox="0 0 {width} {height}" role="img" aria-label="daily trends">']
    for k in range(5):
        v = ymax * k / 4
        parts.append(
            f'<line x1="{left}" x2="{width - 10}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#eee"/>'
            f'<text x="{left - 4}" y="{y(v) + 4:.1f}" text-anchor="end">{v:.0f}</text>'
        )
    for j, c in enumerate(top):
        pts = " ".join(f"{x(i):.1f},{y(per[c].get(d, 0)):.1f}" for i, d in enumerate(days))
        parts.append(f'<polyline fill="none" stroke="{COLORS[j]}" stroke-width="1.8" points="{pts}"/>')
        parts.append(
            f'<text x="{left + 8 + 150 * j}" y="{height - 6}" fill="{COLORS[j]}">'
            f"■ {e(brief.category_names.get(c, c))}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _sev_svg(severity: int) -> str:
    return (
        f'<svg width="100" height="10" role="img" aria-label="severity {severity} of 10">'
        f'<rect width="100" height="10" fill="#eee"/><rect width="{severity * 10}" height="10" fill="#c62828"/></svg>'
    )


def render_html(brief: Brief) -> str:
    out = [
        '<!doctype html><html lang="en"><head><meta charset="utf-8">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
        'img-src data:">',
        f"<title>{e(brief.title)}</title><style>{CSS}</style></head><body>",
        f"<h1>{e(brief.title)}</h1>",
        f'<p class="meta">Period {e(when(brief.period_start))} to {e(when(brief.period_end))} · generated '
        f"{e(when(brief.generated_at))}</p>",
    ]
    t = brief.totals
    out.append(
        f"<p><strong>{t.get('open_signals', 0)} open signals</strong> · {t.get('posts', 0):,} posts · "
        f"{t.get('risk_posts_in_period', 0):,} risk posts in the period · {t.get('markets', 0)} markets · "
        f"{t.get('languages', 0)} languages</p>"
    )
    out.append("<h2>Daily posts in the top risk categories</h2>" + _trend_svg(brief))
    for s in brief.signals:
        out.append(f"<h2>{s.rank}. {e(s.title)}</h2>")
        out.append(
            f'<p><span class="sev">{s.severity}/10</span> {_sev_svg(s.severity)} {e(s.kind)} · '
            f"{e(', '.join(s.markets) or 'all markets')} · {e(size_text(s.observed, s.expected))}"
            + (f" · {e(pct(s.negative_share))} negative" if s.negative_share is not None else "")
            + f"<br>first seen {e(when(s.first_seen))}, last seen {e(when(s.last_seen))} · owner "
            f"{e(s.owner_team)}</p>"
        )
        out.append(f"<p><strong>Why:</strong> {e(one_line(s.why))}</p><p><strong>Recommended response</strong></p><ol>")
        out += [f"<li>{e(step)}</li>" for step in s.playbook]
        out.append("</ol>")
        for ev in s.evidence[:5]:
            link = safe_url(ev.url)
            a = f' · <a href="{e(link)}" rel="noopener noreferrer nofollow">link</a>' if link else ""
            out.append(
                f"<blockquote>{e(one_line(ev.text, 400))}<br><small>{e(ev.market or '?')}, "
                f"{e(ev.lang or '?')}, {e(when(ev.published_at))}, {e(ev.source)} / {e(ev.source_id)}{a}"
                "</small></blockquote>"
            )
    out.append(
        '<p class="meta">Times are UTC. Post texts are quoted as written and may be fraudulent: do not '
        "call numbers or open links in them outside a safe environment.</p></body></html>"
    )
    return "\n".join(out)
