"""The executive summary: a few sentences written only from the brief's own figures.

Each line states a number the store holds (a market x category volume now and in the previous
period, or the team's activity counts) and links to the posts behind it; nothing is claimed that
the figures do not show. Lines are plain text; renderers escape them.

>>> from datetime import datetime, UTC
>>> from monitio.reports.figures import Cell, Change
>>> ch = Change("ID", "scam_ads", Cell(120, 80), Cell(40, 10))
>>> change_sentence(ch, "Scam ads", "Indonesia", "week")
'Scam ads in Indonesia: 120 posts, up 80 from 40 the previous week (3.0x); negative share 67% (was 25%).'
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import quote

from monitio.reports.figures import Change
from monitio.reports.model import Brief, SummaryLine

#: A change smaller than this many posts is not worth a line of a leader's time.
MIN_CHANGE = 5


def _previous(period: str) -> str:
    return {"day": "the previous day", "week": "the previous week", "month": "the previous month"}.get(
        period, "the previous period of the same length"
    )


def change_sentence(ch: Change, category: str, market: str, period: str) -> str:
    """One sentence about one cell's change, with exact numbers."""
    now, before = ch.now.count, ch.before.count
    if before == 0:
        move = f"new this {period}" if period in ("day", "week", "month") else "none in the period before"
        text = f"{category} in {market}: {now:,} posts ({move})"
    else:
        word = "up" if ch.delta > 0 else "down"
        ratio = f" ({now / before:.1f}x)" if now else ""
        text = f"{category} in {market}: {now:,} posts, {word} {abs(ch.delta):,} from {before:,}"
        text += f" {_previous(period)}{ratio}"
    share, old = ch.now.negative_share, ch.before.negative_share
    if share is not None:
        text += f"; negative share {share:.0%}" + (f" (was {old:.0%})" if old is not None else "")
    return text + "."


def evidence_link(base_url: str | None, ch: Change, brief: Brief) -> str | None:
    """A dashboard search for the cell's posts in the period (None without `public_url`)."""
    if not base_url:
        return None
    last = (brief.period_end - timedelta(seconds=1)).date()
    q = f"market:{ch.market} category:{ch.category} date:{brief.period_start.date()}..{last}"
    return f"{base_url.rstrip('/')}/search?q={quote(q)}"


def executive_summary(brief: Brief, base_url: str | None = None, top: int = 3) -> list[SummaryLine]:
    """The three largest changes (each with its number and evidence link), then the team's activity."""
    comp, scope = brief.comparison, brief.scope
    if comp is None or scope is None:
        return []
    period = scope.period
    lines = []
    for ch in [c for c in comp.changes if abs(c.delta) >= MIN_CHANGE][:top]:
        text = change_sentence(ch, brief.category_name(ch.category), brief.market_name(ch.market), period)
        lines.append(SummaryLine(text=text, link=evidence_link(base_url, ch, brief)))
    if not lines:
        now, before = comp.totals
        lines.append(
            SummaryLine(
                text=f"No market and category moved by {MIN_CHANGE} posts or more: {now:,} risk-category posts, "
                f"{before:,} {_previous(period)}."
            )
        )
    a = comp.activity
    lines.append(
        SummaryLine(
            text=f"{a.signals_opened} signals opened ({comp.previous_activity.signals_opened} {_previous(period)}), "
            f"{a.signals_escalated} escalated to a case, {a.signals_closed} closed; {a.cases_opened} cases opened, "
            f"{a.cases_resolved} resolved, {a.sla_breaches} SLA breaches."
        )
    )
    return lines
