"""The overview: a market x category heat map of the last days, daily trends of the top categories
with the open signals as annotations, and the series and rollup tables behind the charts.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from monitio.errors import Invalid
from monitio.services.search_cache import Frozen, cache_for
from monitio.services.signals import SignalQuery, list_signals
from monitio.store.schema import ALL, UNKNOWN, rollups
from monitio.store.versions import POSTS, data_version
from monitio.workspace import Workspace

DIMENSIONS = ("market", "lang", "category", "source")


@dataclass
class Overview:
    """The overview of a window `[since, until)`.

    `cells[(category, market)]` = risk posts; `market_posts[market]` = all posts of the market (a market
    with none in the window shows blank cells, one with posts but none in a category shows 0);
    `trends[category][bucket]` = posts per bucket (day, or hour for windows up to two days), every
    bucket present; `partial_from` is the start of the last bucket when it is still filling up.
    """

    since: datetime
    until: datetime
    markets: list[str]
    categories: list[str]
    cells: dict[tuple[str, str], int]
    trends: dict[str, dict[datetime, int]]
    signals: list[dict[str, Any]]
    market_posts: dict[str, int] = field(default_factory=dict)
    bucket: str = "day"
    partial_from: datetime | None = None

    @property
    def max_cell(self) -> int:
        return max(self.cells.values(), default=0) or 1

    @property
    def days(self) -> float:
        return round((self.until - self.since).total_seconds() / 86400, 1)

    @property
    def period_end(self) -> datetime:
        return self.until


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def data_end(ws: Workspace) -> datetime:
    """The end of the newest hour with data (now when the workspace is empty): where preset ranges end."""
    with ws.engine.connect() as conn:
        newest = conn.execute(select(func.max(rollups.c.bucket))).scalar()
    return _utc(newest) + timedelta(hours=1) if newest else datetime.now(UTC).replace(minute=0, second=0, microsecond=0)


def dimensions(ws: Workspace) -> tuple[list[str], list[str]]:
    """Every market and language that has posts in the workspace (for the filter bar), most posts first."""
    with ws.engine.connect() as conn:
        rows = conn.execute(
            select(rollups.c.market, rollups.c.lang, func.sum(rollups.c.count))
            .where(rollups.c.category == ALL)
            .group_by(rollups.c.market, rollups.c.lang)
        ).all()
    by_market: dict[str, int] = defaultdict(int)
    by_lang: dict[str, int] = defaultdict(int)
    for market, lang, n in rows:
        by_market[market] += int(n or 0)
        by_lang[lang] += int(n or 0)
    return (
        sorted(by_market, key=lambda m: (m == UNKNOWN, -by_market[m], m)),
        sorted(by_lang, key=lambda la: (la in (UNKNOWN, "und"), -by_lang[la], la)),
    )


def _day_of(column, dialect: str):
    """SQL: the UTC day (`YYYY-MM-DD`) of a timestamp column, so days are grouped in the database."""
    if dialect == "postgresql":
        return func.to_char(func.timezone("UTC", column), "YYYY-MM-DD")
    return func.substr(column, 1, 10)


def _filtered(stmt, markets: tuple[str, ...], langs: tuple[str, ...]):
    if markets:
        stmt = stmt.where(rollups.c.market.in_(markets))
    if langs:
        stmt = stmt.where(rollups.c.lang.in_(langs))
    return stmt


def _rollup_view(ws, since, until, markets, categories, langs, top, all_markets) -> dict[str, Any]:
    """The heat map and trends of a window (everything the overview reads from the rollups)."""
    hourly = until - since <= timedelta(days=2)
    in_window = (rollups.c.bucket >= since, rollups.c.bucket < until)
    with ws.engine.connect() as conn:
        by_market = conn.execute(
            _filtered(
                select(rollups.c.market, rollups.c.category, func.sum(rollups.c.count))
                .where(*in_window)
                .group_by(rollups.c.market, rollups.c.category),
                markets,
                langs,
            )
        ).all()
        when = rollups.c.bucket if hourly else _day_of(rollups.c.bucket, conn.dialect.name)
        trend_q = select(when, rollups.c.category, func.sum(rollups.c.count)).where(
            *in_window, rollups.c.category != ALL
        )
        if categories:
            trend_q = trend_q.where(rollups.c.category.in_(categories))
        daily = conn.execute(_filtered(trend_q.group_by(when, rollups.c.category), markets, langs)).all()
    cat_rows = [(m, cat, n) for m, cat, n in by_market if cat != ALL]
    totals = [(m, n) for m, cat, n in by_market if cat == ALL]
    cells = {(cat, m): int(n) for m, cat, n in cat_rows if not categories or cat in categories}
    market_posts = {m: int(n or 0) for m, n in totals}
    risk = defaultdict(int)
    for (_, m), v in cells.items():
        risk[m] += v
    shown = set(market_posts) | set(all_markets or [])
    if markets:
        shown &= set(markets) | set(market_posts)
        shown |= set(markets)
    market_order = sorted(shown, key=lambda m: (m == UNKNOWN, -risk[m], -market_posts.get(m, 0), m))
    by_cat: dict[str, int] = defaultdict(int)
    for (cat, _), v in cells.items():
        by_cat[cat] += v
    cats = sorted(set(by_cat) | set(categories), key=lambda c: (-by_cat[c], c))
    step = timedelta(hours=1) if hourly else timedelta(days=1)
    first = since.replace(minute=0, second=0, microsecond=0)
    if not hourly:
        first = first.replace(hour=0)
    buckets = []
    t = first
    while t < until:
        buckets.append(t)
        t += step
    per: dict[str, dict[datetime, int]] = defaultdict(lambda: dict.fromkeys(buckets, 0))
    for bucket, cat, n in daily:
        key = _utc(bucket) if hourly else datetime.fromisoformat(str(bucket)[:10]).replace(tzinfo=UTC)
        if key in per[cat]:
            per[cat][key] += int(n)
    keep = sorted(per, key=lambda c: -sum(per[c].values()))[:top]
    last = buckets[-1] if buckets else None
    partial = last is not None and (last + step > until or (last + step > datetime.now(UTC)))
    return {
        "markets": market_order,
        "categories": cats,
        "cells": cells,
        "trends": {c: dict(per[c]) for c in keep},
        "market_posts": market_posts,
        "bucket": "hour" if hourly else "day",
        "partial_from": last if partial else None,
    }


def overview(
    ws: Workspace,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    markets: tuple[str, ...] = (),
    categories: tuple[str, ...] = (),
    langs: tuple[str, ...] = (),
    top: int = 6,
    all_markets: list[str] | None = None,
) -> Overview:
    """Heat map, trends and open signals of a window (default: the 7 days up to the newest data hour).

    Every market in `all_markets` (default: every market with posts) gets a column, ordered by its risk
    posts, so a quiet market is visible as blank rather than missing."""
    until = _utc(until) if until else data_end(ws)
    since = _utc(since) if since else until - timedelta(days=7)
    key = ("overview", since, until, markets, categories, langs, top, tuple(all_markets or ()))
    with ws.engine.connect() as conn:
        version = data_version(conn, POSTS)
    cache = cache_for(ws.engine).other if version >= 0 else None
    view = cache.get((*key, version)) if cache else None
    if view is None:  # rollups change only with posts (same transaction), so the posts version keys them
        view = _rollup_view(ws, since, until, markets, categories, langs, top, all_markets)
        if cache is not None:
            cache.put((*key, version), view)
    found = list_signals(
        ws,
        SignalQuery(status="open", markets=markets, categories=categories, langs=langs, since=since, until=until),
        limit=10,
        evidence=False,
    ).items
    return Overview(
        since=since,
        until=until,
        markets=view["markets"],
        categories=view["categories"],
        cells=view["cells"],
        trends=view["trends"],
        signals=found,
        market_posts=view["market_posts"],
        bucket=view["bucket"],
        partial_from=view["partial_from"],
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
    """Counts over time from the rollups: count, negative, positive, engagement per hour or day (UTC).

    Reused while no post changes (rollups change only with posts, in the same transaction) and the
    default window starts in the same hour."""
    if interval not in ("hour", "day"):
        raise Invalid(f"unknown interval {interval!r}; use hour or day")
    start = _utc(since) if since else _week_ago()
    points: dict[datetime, list[int]] = {}
    with ws.engine.connect() as conn:
        cache, key = _cached(conn, ws, ("series", category, market, lang, source, start, until, interval))
        if (hit := cache.get(key) if cache else None) is not None:
            return hit.thaw()
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
        for bucket, n, neg, pos, eng in conn.execute(stmt):
            key_t = bucket.replace(hour=0) if interval == "day" else bucket
            acc = points.setdefault(key_t, [0, 0, 0, 0])
            for i, v in enumerate((n, neg, pos, eng)):
                acc[i] += int(v or 0)
    found = [
        {"t": t.isoformat(), "count": v[0], "negative": v[1], "positive": v[2], "engagement": v[3]}
        for t, v in points.items()
    ]
    if cache is not None:
        cache.put(key, Frozen(found))
    return found


def _week_ago() -> datetime:
    """The start of the default window, seven days ago, rounded up to a whole hour: rollup buckets
    are whole hours, so the same buckets are in the window as with the exact time, and the answer
    can be reused until the next hour."""
    start = datetime.now(UTC) - timedelta(days=7)
    floor = start.replace(minute=0, second=0, microsecond=0)
    return floor if floor == start else floor + timedelta(hours=1)


def _cached(conn, ws: Workspace, key: tuple):
    """The cache of answers and `key` under the posts version (which also versions the rollups)."""
    version = data_version(conn, POSTS)
    return (cache_for(ws.engine).other if version >= 0 else None), (*key, version)


def rollup_table(
    ws: Workspace, group_by: list[str], *, since: datetime | None = None, include_all: bool = False
) -> list[dict]:
    """Totals grouped by any of market, lang, category, source since a time (default: 7 days), reused
    like `series`."""
    bad = [d for d in group_by if d not in DIMENSIONS]
    if bad or not group_by:
        raise Invalid(f"group by one or more of {', '.join(DIMENSIONS)}")
    start = _utc(since) if since else _week_ago()
    with ws.engine.connect() as conn:
        cache, key = _cached(conn, ws, ("rollup_table", tuple(group_by), start, include_all))
        if (hit := cache.get(key) if cache else None) is not None:
            return hit.thaw()
        rows = conn.execute(_rollup_stmt(group_by, start, include_all)).all()
    found = [
        {
            **dict(zip(group_by, r[: len(group_by)], strict=True)),
            "count": int(r[-4]),
            "negative": int(r[-3]),
            "positive": int(r[-2]),
            "engagement": int(r[-1] or 0),
        }
        for r in rows
    ]
    if cache is not None:
        cache.put(key, Frozen(found))
    return found


def _rollup_stmt(group_by: list[str], start: datetime, include_all: bool):
    dims = [getattr(rollups.c, d) for d in group_by]
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
    return stmt.group_by(*dims)
