"""The brief as a self-contained HTML page: escaped text, inline SVG charts, no scripts, no assets.

A strict Content-Security-Policy in the page (no scripts, no remote anything) means that even a browser
opening the file from disk runs nothing a post smuggled in. Every string from the brief goes through
`html.escape`; links are http(s) only, with `rel="noopener noreferrer"`.
"""

from __future__ import annotations

import html
import math
from collections import defaultdict
from datetime import datetime

from monitio.reports.curve_svg import curve_svg
from monitio.reports.fmt import pct, size_text, when
from monitio.reports.markdown import HOW_TO_READ, chart_categories, ranked, total_items
from monitio.reports.model import Brief, BriefSignal, EvidencePost
from monitio.reports.palette import category_color
from monitio.reports.safe import one_line, safe_url
from monitio.reports.sections import STATUS_LABELS, activity_rows, change_rows, kind_label, share, signed

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
CSS = """body{font:15px/1.5 system-ui,sans-serif;max-width:1100px;margin:2rem auto;padding:0 1rem;color:#1d2430}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2rem;border-top:1px solid #ddd;padding-top:1rem}
.meta{color:#5d6877}.sev{display:inline-block;color:#fff;border-radius:4px;padding:0 .4rem;font-weight:600}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.1rem 1rem;margin:.5rem 0}dt{font-weight:600}dd{margin:0}
blockquote{margin:.5rem 0;padding:.3rem .8rem;border-left:3px solid #ccd;background:#f6f7f9;overflow-wrap:anywhere}
blockquote small{display:block;color:#5d6877}ul.totals{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:1.5rem}
svg{max-width:100%;height:auto}svg text{font-size:11px;fill:#5d6877}
table{border-collapse:collapse;margin:.5rem 0;font-size:.92rem}th,td{border-bottom:1px solid #e3e6ea;
padding:.25rem .6rem;text-align:left}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.up{color:#c62828}.down{color:#2e7d32}ul.summary li{margin:.3rem 0}.partial{color:#5d6877;font-style:italic}"""
#: Extra rules for the printed (PDF) brief: A4 pages, page numbers, a cover, no page-wide flex.
PRINT_CSS = """@page{size:A4;margin:16mm 14mm 18mm;@bottom-right{content:"Page " counter(page) " of " counter(pages);
font:9px sans-serif;color:#5d6877}@bottom-left{content:string(doctitle);font:9px sans-serif;color:#5d6877}}
@page :first{@bottom-left{content:none}}body{max-width:none;margin:0;font-size:11pt;
font-family:"Noto Sans","Noto Sans Thai","Noto Sans CJK SC","Noto Sans Devanagari","Noto Sans Bengali",
"Noto Sans Tamil","Noto Sans Telugu","Noto Naskh Arabic","Noto Sans Myanmar","Noto Sans Khmer","DejaVu Sans",sans-serif}
h1{string-set:doctitle content()}.cover{page-break-after:always;padding-top:30mm}.cover h1{font-size:26pt}
section{page-break-inside:auto}h2{page-break-after:avoid}blockquote{page-break-inside:avoid}"""
EVIDENCE_CHARS = 400


def esc(value: object) -> str:
    """Escaped text for HTML content and quoted attributes.

    >>> esc('<img src=x onerror="alert(1)">')
    '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;'
    """
    return html.escape(str(value), quote=True)


def _number(value: object) -> str:
    return f"{value:,}" if isinstance(value, int | float) else str(value)


def _sev_color(severity: int) -> str:
    return "#c62828" if severity >= 8 else "#e08a00" if severity >= 5 else "#5d6877"


def trend_svg(brief: Brief, top: int = 5, width: int = 900, height: int = 280) -> str:
    """A line per top category (the signals' first, then by volume) per UTC day; "" without data."""
    per: dict[str, dict[datetime, int]] = defaultdict(dict)
    for t in brief.trends:
        per[t.category][t.day] = per[t.category].get(t.day, 0) + t.count
    if not per:
        return ""
    cats = chart_categories(brief)[:top]
    days = sorted({d for c in cats for d in per[c]})
    step = max(1, math.ceil(max(v for c in cats for v in per[c].values()) / 4))
    ymax = 4 * step  # four whole-number gridline steps
    left, right, top_pad, bottom = 44, 12, 10, 44

    def x(i: int) -> float:
        return left + (i / max(len(days) - 1, 1)) * (width - left - right)

    def y(v: float) -> float:
        return height - bottom - v / ymax * (height - bottom - top_pad)

    out = [f'<svg viewBox="0 0 {width} {height}" role="img" aria-label="Daily posts in the top risk categories">']
    for k in range(5):
        v = step * k
        out.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#e6e8ec"/>'
            f'<text x="{left - 6}" y="{y(v) + 4:.1f}" text-anchor="end">{v:.0f}</text>'
        )
    every = max(1, math.ceil(len(days) / 8))
    ticks = sorted({*range(0, len(days), every), len(days) - 1})
    for i in ticks:
        anchor = "start" if i == 0 else "end" if i == len(days) - 1 else "middle"
        out.append(f'<text x="{x(i):.1f}" y="{height - bottom + 16}" text-anchor="{anchor}">{days[i]:%m-%d}</text>')
    partial = brief.partial_after is not None and len(days) > 1 and days[-1] <= brief.partial_after
    if partial:
        out.append(
            f'<text x="{x(len(days) - 1):.1f}" y="{top_pad + 10}" text-anchor="end" font-style="italic">'
            f"last day so far (partial)</text>"
        )
    for j, c in enumerate(cats):
        color = category_color(c)
        full = days[:-1] if partial else days
        pts = " ".join(f"{x(i):.1f},{y(per[c].get(d, 0)):.1f}" for i, d in enumerate(full))
        out.append(f'<polyline fill="none" stroke="{color}" stroke-width="2" points="{pts}"/>')
        if partial:
            i = len(days) - 2
            out.append(
                f'<polyline fill="none" stroke="{color}" stroke-width="2" stroke-dasharray="4 3" '
                f'points="{x(i):.1f},{y(per[c].get(days[i], 0)):.1f} '
                f'{x(i + 1):.1f},{y(per[c].get(days[i + 1], 0)):.1f}"/>'
            )
        if len(days) == 1:
            out.append(f'<circle cx="{x(0):.1f}" cy="{y(per[c].get(days[0], 0)):.1f}" r="3" fill="{color}"/>')
        name = one_line(brief.category_name(c), 24)
        out.append(f'<text x="{left + 170 * j}" y="{height - 6}" style="fill:{color}">■ {esc(name)}</text>')
    out.append("</svg>")
    return "".join(out)


def severity_svg(severity: int) -> str:
    """A 0-10 bar for one signal's severity."""
    sev = max(0, min(10, int(severity)))
    return (
        f'<svg width="120" height="12" viewBox="0 0 120 12" role="img" aria-label="severity {sev} of 10">'
        f'<rect width="120" height="12" rx="2" fill="#eceef2"/>'
        f'<rect width="{sev * 12}" height="12" rx="2" fill="{_sev_color(sev)}"/></svg>'
    )


def _evidence(ev: EvidencePost) -> str:
    link = safe_url(ev.url)
    a = f' · <a href="{esc(link)}" rel="noopener noreferrer" target="_blank">link</a>' if link else ""
    meta = " · ".join(
        esc(v)
        for v in (
            f"{ev.source} / {ev.source_id}",
            f"market {ev.market or '?'}",
            f"language {ev.lang or '?'}",
            when(ev.published_at),
        )
    )
    lang = f' lang="{esc(ev.lang)}"' if ev.lang and ev.lang.isascii() and ev.lang.replace("-", "").isalnum() else ""
    extra = ""
    if ev.translation:
        extra += (
            f'<small class="mt" lang="en"><em>Machine translation ({esc(ev.translated_by or "MT")}):</em> '
            f"{esc(one_line(ev.translation, EVIDENCE_CHARS))}</small>"
        )
    if ev.gloss:
        extra += (
            f'<small class="gloss" lang="en"><em>In English:</em> {esc(one_line(ev.gloss, EVIDENCE_CHARS))}</small>'
        )
    return (
        f'<blockquote><span dir="auto"{lang}>{esc(one_line(ev.text, EVIDENCE_CHARS))}</span>'
        f"{extra}<small>{meta}{a}</small></blockquote>"
    )


def _delay(s: BriefSignal) -> str:
    """Hours from when the anomaly began to when it was raised."""
    hours = max(0.0, (s.detected_at - s.first_seen).total_seconds() / 3600) if s.detected_at else 0.0
    return f"{hours:.0f} h"


def _signal(brief: Brief, s: BriefSignal, evidence_per_signal: int) -> list[str]:
    cats = ", ".join(brief.category_name(c) for c in s.categories) or "-"
    rows = [
        ("Kind", f"{kind_label(s.kind)} (score {s.score:.2f})"),
        ("Status", STATUS_LABELS.get(s.status, s.status)),
        ("Markets", ", ".join(brief.market_name(m) for m in s.markets) or "all markets"),
        ("Languages", ", ".join(s.langs) or "-"),
        ("Categories", cats),
        ("First seen", f"{when(s.first_seen)} (last seen {when(s.last_seen)})"),
        *([("Detected", f"{when(s.detected_at)} ({_delay(s)} after it began)")] if s.detected_at else []),
        ("Size", size_text(s.observed, s.expected)),
        ("Negative share", pct(s.negative_share) or "not measured"),
        *([("Complaint share", pct(s.complaint_share))] if s.complaint_share is not None else []),
        ("Owner team", s.owner_team),
    ]
    out = [
        f'<section><h2 dir="auto">{int(s.rank)}. {esc(s.title)}</h2>',
        f'<p><span class="sev" style="background:{_sev_color(s.severity)}">{int(s.severity)}/10</span> '
        f"{severity_svg(s.severity)}</p>",
        "<dl>" + "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in rows) + "</dl>",
        *([f'<figure class="curve">{curve_svg(s.curve, title=s.title)}</figure>'] if s.curve else []),
        f'<p><strong>Why it was flagged:</strong> <span dir="auto">{esc(one_line(s.why))}</span></p>',
        "<p><strong>Recommended response</strong></p><ol>",
        *(f"<li>{esc(one_line(step))}</li>" for step in s.playbook),
        "</ol>",
    ]
    shown = s.evidence[:evidence_per_signal]
    if shown:
        out.append(f"<p><strong>Evidence</strong> ({len(shown)} of {len(s.evidence)} posts shown)</p>")
        out += [_evidence(ev) for ev in shown]
    return [*out, "</section>"]


def render_html(brief: Brief, evidence_per_signal: int = 5, *, for_print: bool = False) -> str:
    """The whole brief as one HTML document (UTF-8, no external resources); `for_print` adds pages."""
    style = CSS + (PRINT_CSS if for_print else "")
    scope = f" · {esc(brief.scope.describe())}" if brief.scope else ""
    head = [
        f"<h1>{esc(brief.title)}</h1>",
        f'<p class="meta">Period {esc(when(brief.period_start))} to {esc(when(brief.period_end))}{scope} · '
        f"generated {esc(when(brief.generated_at))}</p>",
    ]
    out = [
        '<!doctype html><html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="referrer" content="no-referrer">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(brief.title)}</title><style>{style}</style></head><body>",
        *(['<div class="cover">', *head, *_summary(brief), "</div>"] if for_print else [*head, *_summary(brief)]),
        '<ul class="totals">',
        *(f"<li><strong>{esc(_number(v))}</strong> {esc(k)}</li>" for k, v in total_items(brief.totals)),
        "</ul>",
        *_changes(brief),
    ]
    chart = trend_svg(brief)
    if chart:
        out += ["<h2>Daily posts in the top risk categories (UTC days)</h2>", chart]
    signals = ranked(brief)
    if not signals:
        out.append("<p>No open signals: nothing is above its normal level right now.</p>")
    for s in signals:
        out += _signal(brief, s, evidence_per_signal)
    out += ["<h2>How to read this brief</h2><ul>"]
    out += [f"<li>{_md_bold(item)}</li>" for item in HOW_TO_READ]
    out.append("</ul></body></html>")
    return "\n".join(out)


def _md_bold(text: str) -> str:
    """Our own footer text (no post content): escape it, then turn **x** / *x* into <strong>/<em>.

    >>> _md_bold("**Size** <b> *spike*")
    '<strong>Size</strong> &lt;b&gt; <em>spike</em>'
    """
    out = esc(text)
    for mark, tag in (("**", "strong"), ("*", "em")):
        parts = out.split(mark)
        out = "".join(p if i % 2 == 0 else f"<{tag}>{p}</{tag}>" for i, p in enumerate(parts))
    return out


def _summary(brief: Brief) -> list[str]:
    if not brief.summary:
        return []
    out = ['<h2>Summary</h2><ul class="summary">']
    for item in brief.summary:
        link = safe_url(item.link)
        a = f' <a href="{esc(link)}" rel="noopener noreferrer">evidence</a>' if link else ""
        out.append(f"<li>{esc(item.text)}{a}</li>")
    return [*out, "</ul>"]


def _changes(brief: Brief) -> list[str]:
    out: list[str] = []
    rows = change_rows(brief, limit=10)
    if rows:
        out += [
            "<h2>What changed since the previous period</h2><table><thead><tr><th>Market</th><th>Category</th>"
            '<th class="n">Posts</th><th class="n">Before</th><th class="n">Change</th>'
            '<th class="n">Negative share</th><th class="n">Risk score</th></tr></thead><tbody>'
        ]
        for r in rows:
            cls = "up" if r.delta > 0 else "down" if r.delta < 0 else ""
            risk = "-" if r.risk_now is None else f"{r.risk_now:.2f}"
            out.append(
                f"<tr><td>{esc(r.market_name)}</td>"
                f'<td><span style="color:{category_color(r.category)}">■</span> {esc(r.category_name)}</td>'
                f'<td class="n">{r.now:,}</td><td class="n">{r.before:,}</td>'
                f'<td class="n {cls}">{esc(r.direction)} {esc(signed(r.delta))}</td>'
                f'<td class="n">{esc(share(r.negative_now) or "-")} (was {esc(share(r.negative_before) or "-")})</td>'
                f'<td class="n">{esc(risk)}</td></tr>'
            )
        out.append("</tbody></table>")
    act = activity_rows(brief)
    if act:
        out.append(
            '<h2>Signals, narratives and cases</h2><table><thead><tr><th></th><th class="n">This period</th>'
            '<th class="n">Previous period</th></tr></thead><tbody>'
        )
        out += [f'<tr><td>{esc(k)}</td><td class="n">{esc(a)}</td><td class="n">{esc(b)}</td></tr>' for k, a, b in act]
        out.append("</tbody></table>")
    return out
