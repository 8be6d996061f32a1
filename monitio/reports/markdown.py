"""The brief as Markdown, readable by a policy partner who has never seen Monitio.

Every string that comes from posts, sources or settings goes through `md_escape`; links are shown
only when they are plain http(s) URLs, as `<autolinks>`. Signals are listed in rank order.
"""

from __future__ import annotations

from monitio.reports.fmt import pct, size_text, when
from monitio.reports.model import Brief, BriefSignal, EvidencePost
from monitio.reports.safe import md_escape, safe_url
from monitio.reports.sections import STATUS_LABELS, activity_rows, change_rows, kind_label, share, signed

EVIDENCE_CHARS = 280
#: Headline totals in the order and words the brief uses; other keys follow with their own name.
TOTAL_LABELS = {
    "open_signals": "open signals",
    "risk_posts_in_period": "risk-category posts in the period",
    "posts": "posts in the workspace",
    "markets": "markets",
    "languages": "languages",
    "quarantined": "rows quarantined (could not be read)",
}
KINDS = {
    "spike": "a sudden rise above the normal level for those hours of the week",
    "build-up": "a slower rise that has lasted several days",
    "level-shift": "a series that moved to a new, higher level and stayed there",
    "campaign": "near-identical posts from many accounts in a short time (possible coordination)",
    "emerging_narrative": "a story (group of similar posts) that grew fast, scored on growth, novelty, "
    "negativity, reach and spread across markets",
    "term_burst": "words or hashtags mentioned far more often than usual for those hours in a market",
    "sentiment_shift": "a category's share of negative posts in a market rising well above its usual level",
}
HOW_TO_READ = [
    "**Signals** are listed most severe first. A signal is one risk category in one or more markets "
    "whose post count rose well above its normal level, or a copy-paste campaign across many accounts.",
    "**Severity** (1-10) combines how far above normal the count is, how sure the detector is, the "
    "volume, and the category's default severity.",
    "**Size** compares the posts seen with the posts expected for the same hours from the history of "
    "that series; the ratio says how many times the normal level it is.",
    "**Negative share** is the share of the signal's posts whose tone is negative; **complaint share** the share "
    "that are complaints (an expectation not met: a refund, payout or delivery still not there, no reply).",
    "**Kinds:** " + "; ".join(f"*{k}*: {v}" for k, v in KINDS.items()) + ".",
    "**Recommended response** comes from the category's playbook; the **owner team** is who acts first.",
    "**Evidence** posts are quoted as written (escaped, shortened) with where they come from. They may "
    "be offensive or fraudulent: do not call numbers or open links in them outside a safe environment.",
    "All times are UTC.",
]


def total_items(totals: dict[str, int]) -> list[tuple[str, int]]:
    """(label, value) pairs for the headline totals, known keys first.

    >>> total_items({"zeta_rows": 2, "posts": 10})
    [('posts in the workspace', 10), ('zeta rows', 2)]
    """
    known = [(TOTAL_LABELS[k], totals[k]) for k in TOTAL_LABELS if k in totals]
    return known + [(k.replace("_", " "), v) for k, v in totals.items() if k not in TOTAL_LABELS]


def ranked(brief: Brief) -> list[BriefSignal]:
    """The brief's signals in rank order (1 first)."""
    return sorted(brief.signals, key=lambda s: (s.rank, -s.severity))


def chart_categories(brief: Brief) -> list[str]:
    """Trend categories in chart order: those of the ranked signals first, then the rest by volume."""
    volume: dict[str, int] = {}
    for t in brief.trends:
        volume[t.category] = volume.get(t.category, 0) + t.count
    flagged = [c for s in ranked(brief) for c in s.categories if c in volume]
    rest = sorted(volume, key=lambda c: (-volume[c], c))
    return list(dict.fromkeys(flagged + rest))


def _number(value: object) -> str:
    return f"{value:,}" if isinstance(value, int | float) else md_escape(str(value))


def _names(brief: Brief, categories: list[str]) -> str:
    return ", ".join(md_escape(brief.category_name(c)) for c in categories) or "-"


def _joined(values: list[str], empty: str = "-") -> str:
    return ", ".join(md_escape(v) for v in values) or empty


def _evidence(e: EvidencePost) -> list[str]:
    meta = [
        f"{md_escape(e.source)} / {md_escape(e.source_id)}",
        f"market {md_escape(e.market or '?')}",
        f"language {md_escape(e.lang or '?')}",
        when(e.published_at),
    ]
    link = safe_url(e.url)
    if link:
        meta.append(f"<{link}>")
    lines = [f'- "{md_escape(e.text, EVIDENCE_CHARS)}"  ']
    if e.translation:
        by = md_escape(e.translated_by or "MT")
        lines.append(f"  *Machine translation ({by}):* {md_escape(e.translation, EVIDENCE_CHARS)}  ")
    if e.gloss:
        lines.append(f"  *In English:* {md_escape(e.gloss, EVIDENCE_CHARS)}  ")
    return [*lines, f"  {' · '.join(meta)}"]


def _signal(brief: Brief, s: BriefSignal, evidence_per_signal: int) -> list[str]:
    size = size_text(s.observed, s.expected)
    lines = [
        f"## {int(s.rank)}. {md_escape(s.title)}",
        "",
        f"- **Severity:** {int(s.severity)}/10 · kind: {md_escape(kind_label(s.kind))} · score {s.score:.2f}"
        f" · status: {md_escape(STATUS_LABELS.get(s.status, s.status))}",
        f"- **Markets:** {_joined([brief.market_name(m) for m in s.markets], 'all markets')}"
        f" · languages: {_joined(s.langs)}",
        f"- **Categories:** {_names(brief, s.categories)}",
        f"- **First seen:** {when(s.first_seen)} · last seen {when(s.last_seen)}"
        + (f" · detected {when(s.detected_at)} ({_delay_hours(s):.0f} h later)" if s.detected_at else ""),
        f"- **Size:** {size}",
        f"- **Negative share:** {pct(s.negative_share) or 'not measured'}"
        + (f" · complaint share {pct(s.complaint_share)}" if s.complaint_share is not None else ""),
        f"- **Owner team:** {md_escape(s.owner_team)}",
        "",
        f"**Why it was flagged:** {md_escape(s.why)}",
        "",
        "**Recommended response:**",
        "",
    ]
    lines += [f"{i}. {md_escape(step)}" for i, step in enumerate(s.playbook, start=1)] or ["1. Review the evidence."]
    shown = s.evidence[:evidence_per_signal]
    if shown:
        lines += ["", f"**Evidence** ({len(shown)} of {len(s.evidence)} posts shown):", ""]
        for e in shown:
            lines += _evidence(e)
    return [*lines, ""]


def render_markdown(brief: Brief, evidence_per_signal: int = 5) -> str:
    """The whole brief as one Markdown document."""
    lines = [
        f"# {md_escape(brief.title)}",
        "",
        f"**Period:** {when(brief.period_start)} to {when(brief.period_end)}  ",
        *([f"**Scope:** {md_escape(brief.scope.describe())}  "] if brief.scope else []),
        f"**Generated:** {when(brief.generated_at)}",
        "",
        "## At a glance",
        "",
    ]
    lines += [f"- **{_number(value)}** {md_escape(label)}" for label, value in total_items(brief.totals)]
    lines.append("")
    lines += _comparison(brief)
    signals = ranked(brief)
    if not signals:
        lines += ["No open signals: nothing is above its normal level right now.", ""]
    for s in signals:
        lines += _signal(brief, s, evidence_per_signal)
    lines += ["---", "", "## How to read this brief", ""]
    lines += [f"- {item}" for item in HOW_TO_READ]
    return "\n".join([*lines, ""])


def _comparison(brief: Brief) -> list[str]:
    """Executive summary, the largest changes against the previous period, and the team's activity."""
    lines: list[str] = []
    if brief.summary:
        lines += ["## Summary", ""]
        for item in brief.summary:
            link = safe_url(item.link)
            lines.append(f"- {md_escape(item.text)}" + (f" <{link}>" if link else ""))
        lines.append("")
    rows = change_rows(brief, limit=10)
    if rows:
        lines += [
            "## What changed since the previous period",
            "",
            "| Market | Category | Posts | Before | Change | Negative share | Risk score |",
            "|---|---|---:|---:|---:|---:|---:|",
        ]
        for r in rows:
            neg = f"{share(r.negative_now) or '-'} (was {share(r.negative_before) or '-'})"
            risk = "-" if r.risk_now is None else f"{r.risk_now:.2f}"
            lines.append(
                f"| {md_escape(r.market_name)} | {md_escape(r.category_name)} | {r.now:,} | {r.before:,} | "
                f"{r.direction} {signed(r.delta)} | {neg} | {risk} |"
            )
        lines.append("")
    act = activity_rows(brief)
    if act:
        lines += ["## Signals, narratives and cases", "", "| | This period | Previous period |", "|---|---:|---:|"]
        lines += [f"| {k} | {a} | {b} |" for k, a, b in act]
        lines.append("")
    return lines


def _delay_hours(s) -> float:
    """Hours from when a signal's anomaly began to when it was raised (0 when unknown)."""
    return max(0.0, (s.detected_at - s.first_seen).total_seconds() / 3600) if s.detected_at else 0.0
