"""The overview: a market x category heat map of the last days, daily trends of the top categories
with the open signals as annotations, and the series and rollup tables behind the charts.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from monitio.errors import Invalid
from monitio.services.signals import SignalQuery, list_signals
from monitio.store.schema import ALL, UNKNOWN, rollups
from monitio.workspace import Workspace

DIMENSIONS = ("market", "lang", "category", "source")


@dataclass
class Overview:
    """`cells[(category, market)]` = posts in the window; `trends[category][day]` = posts per day."""

    period_end: datetime
    days: int
    markets: list[str]
    categories: list[str]
    cells: dict[tuple[str, str], int]
    trends: dict[str, dict[datetime, int]]
    signals: list[dict[str, Any]]

    @property
    def max_cell(self) -> int:
        return max(self.cells.values(), default=1)


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def overview(ws: Workspace, *, days: int = 7, trend_days: int = 30, top: int = 6) -> Overview:
    """Heat map and trends ending at the newest hour with data."""
    with ws.engine.connect() as conn:
        end = conn.execute(select(func.max(rollups.c.bucket))).scalar() or datetime.now(UTC)
        rows = conn.execute(
            select(rollups.c.market, rollups.c.category, func.sum(rollups.c.count))
            .where(rollups.c.bucket >= end - timedelta(days=days), rollups.c.category != ALL)
            .where(rollups.c.market != UNKNOWN)
            .group_by(rollups.c.market, rollups.c.category)
        ).all()
        daily = conn.execute(
            select(rollups.c.bucket, rollups.c.category, func.sum(rollups.c.count))
            .where(rollups.c.bucket >= end - timedelta(days=trend_days), rollups.c.category != ALL)
            .group_by(rollups.c.bucket, rollups.c.category)
        ).all()
    cells = {(cat, m): int(n) for m, cat, n in rows}
    markets = sorted({m for _, m in cells}, key=lambda m: -sum(v for (_, mm), v in cells.items() if mm == m))
    cats = sorted({c for c, _ in cells}, key=lambda c: -sum(v for (cc, _), v in cells.items() if cc == c))
    per_day: dict[str, dict[datetime, int]] = defaultdict(lambda: defaultdict(int))
    for bucket, cat, n in daily:
        per_day[cat][bucket.replace(hour=0)] += int(n)
    keep = sorted(per_day, key=lambda c: -sum(per_day[c].values()))[:top]
    return Overview(
        period_end=end,
        days=days,
        markets=markets,
        categories=cats,
        cells=cells,
        trends={c: dict(per_day[c]) for c in keep},
        signals=list_signals(ws, SignalQuery(status="open"), limit=10).items,
    )


def series(
    ws: Workspace,
    *,
    category: str = ALL,
    market: str | None = None,
    lang: str | None = None,
    source: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    interval: str = "hour",
) -> list[dict]:
    """Counts over time from the rollups: count, negative, positive, engagement per hour or day (UTC)."""
    if interval not in ("hour", "day"):
        raise Invalid(f"unknown interval {interval!r}; use hour or day")
    start = _utc(since) if since else datetime.now(UTC) - timedelta(days=7)
    stmt = select(
        rollups.c.bucket,
        func.sum(rollups.c.count),
        func.sum(rollups.c.negative),
        func.sum(rollups.c.positive),
        func.sum(rollups.c.engagement),
    ).where(rollups.c.category == category, rollups.c.bucket >= start)
    for col, value in (
        (rollups.c.market, market and market.upper()),
        (rollups.c.lang, lang),
        (rollups.c.source, source),
    ):
        if value:
            stmt = stmt.where(col == value)
    if until:
        stmt = stmt.where(rollups.c.bucket <= _utc(until))
    stmt = stmt.group_by(rollups.c.bucket).order_by(rollups.c.bucket)
    points: dict[datetime, list[int]] = {}
    with ws.engine.connect() as conn:
        for bucket, n, neg, pos, eng in conn.execute(stmt):
            key = bucket.replace(hour=0) if interval == "day" else bucket
            acc = points.setdefault(key, [0, 0, 0, 0])
            for i, v in enumerate((n, neg, pos, eng)):
                acc[i] += int(v or 0)
    return [
        {"t": t.isoformat(), "count": v[0], "negative": v[1], "positive": v[2], "engagement": v[3]}
        for t, v in sorted(points.items())
    ]


def rollup_table(
    ws: Workspace, group_by: list[str], *, since: datetime | None = None, include_all: bool = False
) -> list[dict]:
    """Totals grouped by any of market, lang, category, source since a time (default: 7 days)."""
    bad = [d for d in group_by if d not in DIMENSIONS]
    if bad or not group_by:
        raise Invalid(f"group by one or more of {', '.join(DIMENSIONS)}")
    dims = [getattr(rollups.c, d) for d in group_by]
    start = _utc(since) if since else datetime.now(UTC) - timedelta(days=7)
    stmt = select(
        *dims,
        func.sum(rollups.c.count),
        func.sum(rollups.c.negative),
        func.sum(rollups.c.positive),
        func.sum(rollups.c.engagement),
    ).where(rollups.c.bucket >= start)
    if not include_all:
        stmt = (
            stmt.where(rollups.c.category != ALL) if "category" in group_by else stmt.where(rollups.c.category == ALL)
        )
    with ws.engine.connect() as conn:
        rows = conn.execute(stmt.group_by(*dims)).all()
    return [
        {
            **dict(zip(group_by, r[: len(group_by)], strict=True)),
            "count": int(r[-4]),
            "negative": int(r[-3]),
            "positive": int(r[-2]),
            "engagement": int(r[-1] or 0),
        }
        for r in rows
    ]
