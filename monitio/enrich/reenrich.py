"""Re-run enrichment over stored posts: after an upgrade, a taxonomy edit, a new watch list or a newly
trained model, old posts get the same treatment as new ones.

A range of whole UTC hours is reset in one transaction (posts back to pending, their category rows
and the hourly rollups of those hours removed); the normal enrichment then runs again, batch by batch,
and rebuilds the rollups of those hours exactly (every post of a reset hour is pending again, so
nothing is counted twice or lost). A crash in between leaves pending posts that the next `monitio run`
or `monitio reenrich` finishes. Near-duplicate groups and narratives are kept: they depend on the
text, which does not change. Posts older than the latest retention cutoff (`monitio.store.retention`)
have no text left, so the range starts at that cutoff at the earliest (reported as `retention_cutoff`).

>>> start, end = hour_range(datetime(2026, 3, 1, 10, 30, tzinfo=UTC), datetime(2026, 3, 1, 12, 5, tzinfo=UTC))
>>> start.isoformat(), end.isoformat()
('2026-03-01T10:00:00+00:00', '2026-03-01T13:00:00+00:00')
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, and_, true, update

from monitio.store.schema import post_categories, posts, rollup_authors, rollups


def hour_range(since: datetime | None, until: datetime | None) -> tuple[datetime | None, datetime | None]:
    """Widen (since, until) to whole UTC hours: from the hour holding `since` to the end of `until`'s."""
    start = since.astimezone(UTC).replace(minute=0, second=0, microsecond=0) if since else None
    end = None
    if until:
        end = until.astimezone(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    return start, end


def _between(column, start: datetime | None, end: datetime | None):
    conds = []
    if start is not None:
        conds.append(column >= start)
    if end is not None:
        conds.append(column < end)
    return and_(*conds) if conds else true()


def reset_range(conn: Connection, start: datetime | None, end: datetime | None) -> int:
    """Mark the enriched posts of [start, end) pending and drop what enrichment derived from them.

    `start`/`end` must be whole UTC hours (see `hour_range`) so that every rollup row removed is
    rebuilt from posts that are all pending again. Returns how many posts were reset.
    """
    for value in (start, end):
        if value is not None and (value.minute or value.second or value.microsecond):
            raise ValueError("reset_range needs whole hours; use hour_range()")
    conn.execute(post_categories.delete().where(_between(post_categories.c.published_at, start, end)))
    conn.execute(rollups.delete().where(_between(rollups.c.bucket, start, end)))
    conn.execute(rollup_authors.delete().where(_between(rollup_authors.c.bucket, start, end)))
    reset = conn.execute(
        update(posts)
        .where(posts.c.enriched_at.is_not(None), _between(posts.c.published_at, start, end))
        .values(enriched_at=None)
    )
    return reset.rowcount


def reenrich(
    ws,
    since: datetime | None = None,
    until: datetime | None = None,
    *,
    on_pending: Callable[[int], Callable[[int], None] | None] | None = None,
    client=None,
) -> dict:
    """Reset the posts published between `since` and `until` (all when both are None) and enrich them
    again with the workspace's current pipeline (on a Dask `client`'s workers when given); returns
    counts for the report."""
    from monitio.enrich.runner import enrich_pending
    from monitio.pipeline import default_pipeline
    from monitio.store.repo import count_pending, lock_enrichment
    from monitio.store.retention import horizon

    start, end = hour_range(since, until)
    pipeline = default_pipeline(ws.settings)  # built first: a broken taxonomy or model fails before any reset
    with ws.engine.begin() as conn:
        lock_enrichment(conn)
        kept_from = horizon(conn)
        clamped = kept_from is not None and (start is None or start < kept_from)
        if clamped:  # posts before the retention cutoff have no text left to enrich from
            start = kept_from
        reset = reset_range(conn, start, end) if end is None or start is None or start < end else 0
    pending = count_pending(ws.engine)
    advance = on_pending(pending) if on_pending else None
    if client is not None:
        from monitio.scale.enrich import enrich_on_cluster

        enriched = enrich_on_cluster(
            client, ws.engine, ws.settings, batch_size=ws.settings.batch_size, on_batch=advance
        )
    else:
        enriched = enrich_pending(ws.engine, pipeline, batch_size=ws.settings.batch_size, on_batch=advance)
    report = {
        "reset": reset,
        "enriched": enriched,
        "from": start.isoformat() if start else None,
        "to": end.isoformat() if end else None,
    }
    if clamped:
        report["retention_cutoff"] = kept_from.isoformat()
    return report
