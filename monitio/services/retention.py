"""Retention: drop the raw text of posts older than `retention_days`, keep counts and evidence.

What is dropped and kept is described in `monitio.store.retention`. A run records itself in `runs`
(kind `retention`) and in the audit log (`retention.apply`, with the cutoff and counts), works in
batches of whole transactions and can be stopped and run again at any point.

>>> apply_retention(None, days=0)  # doctest: +IGNORE_EXCEPTION_DETAIL
Traceback (most recent call last):
monitio.errors.Invalid: retention needs a number of days >= 1 (setting retention_days or --days)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime

from monitio.auth.users import User
from monitio.errors import Invalid
from monitio.services.access import actor_name, require

BATCH = 5000


@dataclass(frozen=True)
class RetentionReport:
    """What one retention run did (or, with `dry_run`, would do)."""

    days: int
    cutoff: str
    dry_run: bool
    due: int
    """Posts published before the cutoff that still had their text when the run began."""
    dropped: int
    """Posts whose text was dropped (with `dry_run`: would be)."""
    kept: int
    """Due posts left whole because they are evidence (signals, cases, labels)."""
    seconds: float

    def as_json(self) -> dict:
        return asdict(self)


def resolve_days(ws, days: int | None) -> int:
    """`days` if given, else the workspace's `retention_days`; Invalid when neither is a positive number."""
    value = days if days is not None else (ws.settings.retention_days if ws is not None else None)
    if value is None or value < 1:
        raise Invalid("retention needs a number of days >= 1 (setting retention_days or --days)")
    return value


def apply_retention(
    ws,
    *,
    days: int | None = None,
    dry_run: bool = False,
    actor: User | None = None,
    batch_size: int = BATCH,
    now: datetime | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> RetentionReport:
    """Drop the text of the posts published more than `days` days ago (default: the setting).

    `on_progress(done, due)` is called after each batch. With `dry_run` nothing is written.
    """
    import time

    from monitio import audit
    from monitio.store import retention as store

    n_days = resolve_days(ws, days)
    require(actor, "retention:write")
    started = time.perf_counter()
    now = (now or datetime.now(UTC)).astimezone(UTC)
    cutoff = store.cutoff_for(n_days, now)
    with ws.engine.connect() as conn:
        kept_ids = store.kept_post_ids(conn)
        due = store.count_due(conn, cutoff)
        kept_due = store.kept_due(conn, cutoff, kept_ids) if dry_run else 0
    if dry_run or due == 0:
        took = round(time.perf_counter() - started, 3)
        return RetentionReport(n_days, cutoff.isoformat(), dry_run, due, due - kept_due, kept_due, took)
    with ws.engine.begin() as conn:
        run_id = store.start_run(conn, cutoff, n_days, now)
        audit.record(
            conn,
            actor=actor_name(actor),
            action="retention.start",
            entity="retention",
            entity_id=run_id,
            after={"cutoff": cutoff.isoformat(), "days": n_days, "due": due},
        )
    dropped = kept = 0
    position = None
    while True:
        with ws.engine.begin() as conn:
            batch = store.drop_batch(conn, cutoff, position, batch_size, kept_ids, now=now)
        if batch.next is None:
            break
        dropped, kept, position = dropped + batch.dropped, kept + batch.kept, batch.next
        if on_progress is not None:
            on_progress(dropped + kept, due)
    stats = {"due": due, "dropped": dropped, "kept": kept}
    with ws.engine.begin() as conn:
        store.finish_run(conn, run_id, stats)
        audit.record(
            conn,
            actor=actor_name(actor),
            action="retention.apply",
            entity="retention",
            entity_id=run_id,
            after={"cutoff": cutoff.isoformat(), "days": n_days, **stats},
        )
    return RetentionReport(
        n_days, cutoff.isoformat(), False, due, dropped, kept, round(time.perf_counter() - started, 3)
    )
