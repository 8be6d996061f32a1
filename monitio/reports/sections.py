"""Rows every renderer shows the same way: kind names, what changed, what the team did.

>>> kind_label("emerging_narrative")
'Emerging narrative'
>>> signed(12), signed(-3), signed(0)
('+12', '-3', '0')
"""

from __future__ import annotations

from dataclasses import dataclass

from monitio.reports.model import Brief

KIND_LABELS = {
    "spike": "Spike",
    "campaign": "Copy-paste campaign",
    "build-up": "Build-up",
    "level-shift": "New level",
    "emerging_narrative": "Emerging narrative",
    "term_burst": "Term burst",
    "sentiment_shift": "Sentiment shift",
}
STATUS_LABELS = {"open": "Open", "closed": "Closed", "dismissed": "Dismissed", "acknowledged": "Acknowledged"}


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind.replace("_", " ").capitalize())


def signed(n: int) -> str:
    return f"+{n:,}" if n > 0 else f"{n:,}"


def share(value: float | None) -> str:
    return "" if value is None else f"{value:.0%}"


@dataclass(slots=True)
class ChangeRow:
    """One market x category line of the 'what changed' table, readable names included."""

    market: str
    market_name: str
    category: str
    category_name: str
    now: int
    before: int
    delta: int
    direction: str
    negative_now: float | None
    negative_before: float | None
    risk_now: float | None
    risk_before: float | None


def change_rows(brief: Brief, limit: int | None = 15) -> list[ChangeRow]:
    """The largest changes first (all of them with `limit=None`)."""
    if brief.comparison is None:
        return []
    changes = brief.comparison.changes if limit is None else brief.comparison.changes[:limit]
    return [
        ChangeRow(
            market=c.market,
            market_name=brief.market_name(c.market),
            category=c.category,
            category_name=brief.category_name(c.category),
            now=c.now.count,
            before=c.before.count,
            delta=c.delta,
            direction={"up": "▲", "down": "▼", "flat": "="}[c.direction],
            negative_now=c.now.negative_share,
            negative_before=c.before.negative_share,
            risk_now=c.now.risk_score,
            risk_before=c.before.risk_score,
        )
        for c in changes
    ]


def _hours(value: float | None) -> str:
    return "-" if value is None else f"{value:g} h"


def activity_rows(brief: Brief) -> list[tuple[str, str, str]]:
    """(what, this period, previous period) for signals, narratives, cases and median hours."""
    if brief.comparison is None:
        return []
    a, b = brief.comparison.activity, brief.comparison.previous_activity
    counts = [
        ("Signals opened", a.signals_opened, b.signals_opened),
        ("Signals escalated to a case", a.signals_escalated, b.signals_escalated),
        ("Signals closed or dismissed", a.signals_closed, b.signals_closed),
        ("New narratives", a.narratives_new, b.narratives_new),
        ("Growing narratives", a.narratives_growing, b.narratives_growing),
        ("Cases opened", a.cases_opened, b.cases_opened),
        ("Cases resolved", a.cases_resolved, b.cases_resolved),
        ("SLA breaches", a.sla_breaches, b.sla_breaches),
    ]
    rows = [(k, f"{x:,}", f"{y:,}") for k, x, y in counts]
    rows += [
        ("Median hours to detect", _hours(a.hours_to_detect), _hours(b.hours_to_detect)),
        ("Median hours to triage", _hours(a.hours_to_triage), _hours(b.hours_to_triage)),
        ("Median hours to resolve", _hours(a.hours_to_resolve), _hours(b.hours_to_resolve)),
    ]
    return rows
