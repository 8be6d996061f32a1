"""The figures a brief compares between its period and the one before: read from the store only.

Every number a brief or a response draft prints comes from here, so tests can recompute it from the
store and compare. Volumes come from the hourly rollups (never a scan of raw posts); the risk score is
the mean `posts.risk_score` of a cell's categorised posts; case and signal figures from their tables.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Connection, and_, func, or_, select

from monitio.reports.period import BriefScope
from monitio.store.schema import ALL, post_categories, posts, rollups, signals
from monitio.store.schema_collab import case_links, cases
from monitio.store.schema_intel import narratives, post_narratives


@dataclass(slots=True)
class Cell:
    """One market x category cell of one period."""

    count: int = 0
    negative: int = 0
    risk_score: float | None = None

    @property
    def negative_share(self) -> float | None:
        return self.negative / self.count if self.count else None


@dataclass(slots=True)
class Change:
    """A market x category cell now and in the previous period of the same scope."""

    market: str
    category: str
    now: Cell
    before: Cell

    @property
    def delta(self) -> int:
        return self.now.count - self.before.count

    @property
    def ratio(self) -> float | None:
        return self.now.count / self.before.count if self.before.count else None

    @property
    def direction(self) -> str:
        return "up" if self.delta > 0 else "down" if self.delta < 0 else "flat"


@dataclass(slots=True)
class Activity:
    """What the team did in a period: signals, narratives, cases and the hours each step took."""

    signals_opened: int = 0
    signals_escalated: int = 0
    signals_closed: int = 0
    narratives_new: int = 0
    narratives_growing: int = 0
    cases_opened: int = 0
    cases_resolved: int = 0
    sla_breaches: int = 0
    hours_to_detect: float | None = None
    hours_to_triage: float | None = None
    hours_to_resolve: float | None = None


@dataclass(slots=True)
class Comparison:
    """The period against the previous one: per-cell changes (largest first) and activity of both."""

    changes: list[Change] = field(default_factory=list)
    activity: Activity = field(default_factory=Activity)
    previous_activity: Activity = field(default_factory=Activity)
    totals: tuple[int, int] = (0, 0)  # categorised posts now, before


def _in_scope(col_market, col_category, scope: BriefScope, categories: tuple[str, ...]) -> list:
    where = []
    if scope.markets:
        where.append(col_market.in_(scope.markets))
    if categories:
        where.append(col_category.in_(categories))
    return where


def cells(conn: Connection, scope: BriefScope, categories: tuple[str, ...]) -> dict[tuple[str, str], Cell]:
    """Volume, negatives and mean risk score per (market, category) in the scope's window."""
    out: dict[tuple[str, str], Cell] = {}
    rows = conn.execute(
        select(rollups.c.market, rollups.c.category, func.sum(rollups.c.count), func.sum(rollups.c.negative))
        .where(
            rollups.c.bucket >= scope.since,
            rollups.c.bucket < scope.until,
            rollups.c.category != ALL,
            *_in_scope(rollups.c.market, rollups.c.category, scope, categories),
        )
        .group_by(rollups.c.market, rollups.c.category)
    ).all()
    for market, category, count, negative in rows:
        out[(market, category)] = Cell(count=int(count or 0), negative=int(negative or 0))
    risk = conn.execute(
        select(post_categories.c.market, post_categories.c.category, func.avg(posts.c.risk_score))
        .join(posts, posts.c.id == post_categories.c.post_id)
        .where(
            post_categories.c.published_at >= scope.since,
            post_categories.c.published_at < scope.until,
            *_in_scope(post_categories.c.market, post_categories.c.category, scope, categories),
        )
        .group_by(post_categories.c.market, post_categories.c.category)
    ).all()
    for market, category, avg in risk:
        if (market, category) in out and avg is not None:
            out[(market, category)].risk_score = round(float(avg), 3)
    return out


def _median_hours(pairs: list[tuple[datetime | None, datetime | None]]) -> float | None:
    hours = [(b - a).total_seconds() / 3600 for a, b in pairs if a is not None and b is not None and b >= a]
    return round(statistics.median(hours), 1) if hours else None


def _signal_matches(row, scope: BriefScope, categories: tuple[str, ...]) -> bool:
    if scope.markets and not set(row.markets or []) & set(scope.markets):
        return False
    return not (categories and not set(row.categories or []) & set(categories))


def activity(conn: Connection, scope: BriefScope, categories: tuple[str, ...]) -> Activity:
    """Signals opened/escalated/closed, narratives new/growing, cases opened/resolved, SLA breaches, medians."""
    a = Activity()
    since, until = scope.since, scope.until
    sig_rows = conn.execute(
        select(
            signals.c.id,
            signals.c.status,
            signals.c.markets,
            signals.c.categories,
            signals.c.first_seen,
            signals.c.created_at,
            signals.c.updated_at,
        ).where(or_(and_(signals.c.created_at >= since, signals.c.created_at < until), signals.c.updated_at >= since))
    ).all()
    sig_rows = [r for r in sig_rows if _signal_matches(r, scope, categories)]
    opened = [r for r in sig_rows if since <= r.created_at < until]
    a.signals_opened = len(opened)
    a.signals_closed = sum(1 for r in sig_rows if r.status != "open" and since <= r.updated_at < until)
    a.hours_to_detect = _median_hours([(r.first_seen, r.created_at) for r in opened])
    linked = conn.execute(
        select(case_links.c.ref_id).where(
            case_links.c.kind == "signal", case_links.c.created_at >= since, case_links.c.created_at < until
        )
    ).scalars()
    ids = {r.id for r in sig_rows}
    a.signals_escalated = len({int(x) for x in linked if str(x).isdigit()} & ids)

    case_rows = conn.execute(
        select(
            cases.c.markets,
            cases.c.categories,
            cases.c.owner_team,
            cases.c.created_at,
            cases.c.triaged_at,
            cases.c.resolved_at,
            cases.c.sla_due_at,
        ).where(
            or_(
                and_(cases.c.created_at >= since, cases.c.created_at < until),
                and_(cases.c.resolved_at >= since, cases.c.resolved_at < until),
                and_(cases.c.sla_due_at >= since, cases.c.sla_due_at < until),
            )
        )
    ).all()
    if scope.team:
        case_rows = [r for r in case_rows if r.owner_team == scope.team]
    case_rows = [r for r in case_rows if _signal_matches(r, scope, categories)]
    new_cases = [r for r in case_rows if since <= r.created_at < until]
    resolved = [r for r in case_rows if r.resolved_at is not None and since <= r.resolved_at < until]
    a.cases_opened, a.cases_resolved = len(new_cases), len(resolved)
    a.sla_breaches = sum(
        1
        for r in case_rows
        if since <= r.sla_due_at < until and (r.resolved_at is None or r.resolved_at > r.sla_due_at)
    )
    a.hours_to_triage = _median_hours([(r.created_at, r.triaged_at) for r in new_cases])
    a.hours_to_resolve = _median_hours([(r.created_at, r.resolved_at) for r in resolved])

    nar = conn.execute(
        select(narratives.c.id, narratives.c.first_seen, narratives.c.markets, narratives.c.categories).where(
            narratives.c.last_seen >= since, narratives.c.first_seen < until
        )
    ).all()
    nar = [r for r in nar if _signal_matches(r, scope, categories)]
    a.narratives_new = sum(1 for r in nar if r.first_seen >= since)
    if nar:
        prev_since = since - (until - since)
        counts = _narrative_counts(conn, [r.id for r in nar], prev_since, since, until)
        a.narratives_growing = sum(1 for nid, (before, now) in counts.items() if now > before and before > 0)
    return a


def _narrative_counts(
    conn: Connection, ids: list[int], prev_since: datetime, since: datetime, until: datetime
) -> dict[int, tuple[int, int]]:
    out: dict[int, tuple[int, int]] = {i: (0, 0) for i in ids}
    for chunk_start in range(0, len(ids), 500):
        chunk = ids[chunk_start : chunk_start + 500]
        for window, slot in (((prev_since, since), 0), ((since, until), 1)):
            rows = conn.execute(
                select(post_narratives.c.narrative_id, func.count())
                .where(
                    post_narratives.c.narrative_id.in_(chunk),
                    post_narratives.c.published_at >= window[0],
                    post_narratives.c.published_at < window[1],
                )
                .group_by(post_narratives.c.narrative_id)
            ).all()
            for nid, n in rows:
                pair = list(out[nid])
                pair[slot] = int(n)
                out[nid] = (pair[0], pair[1])
    return out


def query_cells(engine, scope: BriefScope, categories: tuple[str, ...]) -> dict[tuple[str, str], Cell]:
    """The same figures for a saved search's scope: counted over the posts the query matches (indexed)."""
    from monitio.services.search import Filters, iter_matches

    out: dict[tuple[str, str], Cell] = {}
    risk: dict[tuple[str, str], list[float]] = {}
    filters = Filters(since=scope.since, until=scope.until - timedelta(microseconds=1))
    for hit in iter_matches(engine, scope.query, filters):
        row = hit.row
        market = row.market or "unknown"
        if scope.markets and market not in scope.markets:
            continue
        for cat in [c for c in (row.categories or "").split(",") if c]:
            if categories and cat not in categories:
                continue
            cell = out.setdefault((market, cat), Cell())
            cell.count += 1
            cell.negative += row.sentiment_label == "negative"
            if row.risk_score is not None:
                risk.setdefault((market, cat), []).append(float(row.risk_score))
    for key, values in risk.items():
        out[key].risk_score = round(sum(values) / len(values), 3)
    return out


def compare(conn: Connection, scope: BriefScope, categories: tuple[str, ...]) -> Comparison:
    """This period against the previous one of the same scope; changes sorted by size of change."""
    prev = scope.previous()
    if scope.query:
        now_cells, before_cells = (
            query_cells(conn.engine, scope, categories),
            query_cells(conn.engine, prev, categories),
        )
    else:
        now_cells, before_cells = cells(conn, scope, categories), cells(conn, prev, categories)
    keys = sorted(set(now_cells) | set(before_cells))
    changes = [Change(m, c, now_cells.get((m, c), Cell()), before_cells.get((m, c), Cell())) for m, c in keys]
    changes.sort(key=lambda ch: (-abs(ch.delta), -ch.now.count, ch.market, ch.category))
    return Comparison(
        changes=changes,
        activity=activity(conn, scope, categories),
        previous_activity=activity(conn, prev, categories),
        totals=(sum(c.count for c in now_cells.values()), sum(c.count for c in before_cells.values())),
    )
