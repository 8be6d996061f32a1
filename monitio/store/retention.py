"""Retention: drop the text of old posts, keep everything counted from them.

A post published before the cutoff loses its `text` (set to "") and `raw` payload, and its row in the
search index (`post_search`); `text_dropped_at` records when. Everything else stays: the hourly
rollups and author keys, the post's categories, market, language, sentiment, engagement, author,
url, near-duplicate group and narrative, so counts, series, detection baselines and facets do not
change. Posts that are evidence are kept whole (`kept_post_ids`): every signal's evidence posts
(any status, so a brief built from them still shows them), posts linked to a case, and posts an
analyst labelled (training data).

Work goes in batches of whole transactions, oldest first through the partial index
`ix_posts_retention_due`, so a crash loses nothing and a re-run carries on where it stopped.

>>> from datetime import UTC, datetime
>>> cutoff_for(30, datetime(2026, 3, 31, 15, 20, tzinfo=UTC)).isoformat()
'2026-03-01T00:00:00+00:00'
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, and_, delete, func, insert, or_, select, update

from monitio.store.schema import posts, runs, signals
from monitio.store.schema_collab import case_links
from monitio.store.schema_intel import labels
from monitio.store.schema_search import post_search

KIND = "retention"


def cutoff_for(days: int, now: datetime | None = None) -> datetime:
    """Start of the UTC day `days` days before `now`: posts published before it are due."""
    now = (now or datetime.now(UTC)).astimezone(UTC)
    return (now - timedelta(days=days)).replace(hour=0, minute=0, second=0, microsecond=0)


def _ids(values) -> set[int]:
    out: set[int] = set()
    for v in values or []:
        try:
            out.add(int(v))
        except (TypeError, ValueError):
            continue
    return out


def kept_post_ids(conn: Connection) -> set[int]:
    """Ids of the posts retention never empties: signal evidence, case links, labelled posts."""
    kept: set[int] = set()
    for (evidence,) in conn.execute(select(signals.c.evidence)):
        kept |= _ids(evidence if isinstance(evidence, list) else [])
    kept |= _ids(conn.execute(select(case_links.c.ref_id).where(case_links.c.kind == "post")).scalars())
    kept |= _ids(conn.execute(select(labels.c.post_id).distinct()).scalars())
    return kept


def _due(cutoff: datetime):
    return and_(posts.c.text_dropped_at.is_(None), posts.c.published_at < cutoff)


def count_due(conn: Connection, cutoff: datetime) -> int:
    """Posts published before `cutoff` that still have their text (kept ones included)."""
    return conn.execute(select(func.count()).select_from(posts).where(_due(cutoff))).scalar_one()


@dataclass(frozen=True)
class Position:
    """Where the next batch starts: after this (published_at, id), in that order."""

    published_at: datetime
    id: int


@dataclass(frozen=True)
class Batch:
    """One batch's outcome: posts emptied, kept posts passed over, and where to go on (None: done)."""

    dropped: int
    kept: int
    next: Position | None


def next_batch(conn: Connection, cutoff: datetime, after: Position | None, size: int) -> list[tuple[int, datetime]]:
    """The next `size` due posts (id, published_at), oldest first, after `after`."""
    stmt = select(posts.c.id, posts.c.published_at).where(_due(cutoff))
    if after is not None:
        stmt = stmt.where(
            or_(
                posts.c.published_at > after.published_at,
                and_(posts.c.published_at == after.published_at, posts.c.id > after.id),
            )
        )
    stmt = stmt.order_by(posts.c.published_at, posts.c.id).limit(size)
    return [(r.id, r.published_at) for r in conn.execute(stmt)]


def drop_batch(
    conn: Connection,
    cutoff: datetime,
    after: Position | None,
    size: int,
    kept: set[int],
    *,
    now: datetime | None = None,
) -> Batch:
    """Empty the next batch of due posts (not the `kept` ones) in the caller's transaction."""
    rows = next_batch(conn, cutoff, after, size)
    if not rows:
        return Batch(0, 0, None)
    ids = [pid for pid, _ in rows if pid not in kept]
    if ids:
        when = now or datetime.now(UTC)
        conn.execute(
            update(posts)
            .where(posts.c.id.in_(ids), posts.c.text_dropped_at.is_(None))
            .values(text="", raw=None, text_dropped_at=when)
        )
        conn.execute(delete(post_search).where(post_search.c.post_id.in_(ids)))
    last_id, last_at = rows[-1]
    return Batch(len(ids), len(rows) - len(ids), Position(last_at, last_id))


def kept_due(conn: Connection, cutoff: datetime, kept: set[int], chunk: int = 5000) -> int:
    """How many of the due posts are kept ones (what a dry run reports as kept)."""
    ids, total = sorted(kept), 0
    for i in range(0, len(ids), chunk):
        part = ids[i : i + chunk]
        total += conn.execute(
            select(func.count()).select_from(posts).where(_due(cutoff), posts.c.id.in_(part))
        ).scalar_one()
    return total


def start_run(conn: Connection, cutoff: datetime, days: int, now: datetime) -> int:
    """Record a retention run (table `runs`, kind `retention`) before its first batch; returns its id."""
    stats = {"cutoff": cutoff.isoformat(), "days": days}
    return conn.execute(insert(runs).values(kind=KIND, started_at=now, stats=stats)).inserted_primary_key[0]


def finish_run(conn: Connection, run_id: int, stats: dict) -> None:
    old = conn.execute(select(runs.c.stats).where(runs.c.id == run_id)).scalar() or {}
    conn.execute(update(runs).where(runs.c.id == run_id).values(finished_at=datetime.now(UTC), stats={**old, **stats}))


def horizon(conn: Connection) -> datetime | None:
    """The latest cutoff any retention run started with: no post after it has lost its text."""
    rows = conn.execute(select(runs.c.stats).where(runs.c.kind == KIND)).scalars()
    cutoffs = [datetime.fromisoformat(s["cutoff"]) for s in rows if s and s.get("cutoff")]
    return max(cutoffs) if cutoffs else None
