"""Jobs: one pass of the pipeline (collect, enrich, group, detect, alert), enrichment alone, and
re-enrichment of stored posts. The CLI and schedulers call these; each reports plain counts.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from monitio.auth.users import User
from monitio.errors import Invalid
from monitio.services.access import require
from monitio.workspace import Workspace

Progress = Callable[[int], Callable[[int], None] | None] | None
"""`on_pending(total)` may return a per-batch callback `advance(n)` (a progress bar)."""


def run(ws: Workspace, actor: User | None = None, *, on_pending: Progress = None, client=None) -> dict:
    """One pass: collect due sources, enrich new posts (on a Dask `client`'s workers when given), group
    narratives, detect, alert, send due scheduled briefs (the counts)."""
    from monitio.jobs import run_cycle

    require(actor, "signals:write")
    return run_cycle(ws, on_pending=on_pending, client=client)


def enrich(ws: Workspace, actor: User | None = None, *, on_pending: Progress = None) -> int:
    """Enrich the posts not enriched yet (no detection); returns how many were enriched."""
    from monitio.enrich.runner import enrich_pending
    from monitio.pipeline import default_pipeline
    from monitio.store.repo import count_pending

    require(actor, "signals:write")
    advance = on_pending(count_pending(ws.engine)) if on_pending else None
    return enrich_pending(ws.engine, default_pipeline(ws.settings), batch_size=ws.settings.batch_size, on_batch=advance)


def reenrich(
    ws: Workspace,
    since: datetime | None,
    until: datetime | None,
    *,
    everything: bool = False,
    actor: User | None = None,
    on_pending: Progress = None,
    client=None,
) -> dict:
    """Enrich the posts published in [since, until] again (`everything` for all of them); on a Dask
    `client`'s workers when given.

    >>> reenrich(None, None, None)  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    monitio.errors.Invalid: say which posts to redo: --since DATE (and/or --until DATE), or --all
    """
    from monitio.enrich.reenrich import reenrich as run_reenrich

    if not (since or until or everything):
        raise Invalid("say which posts to redo: --since DATE (and/or --until DATE), or --all")
    if since and until and until < since:
        raise Invalid("--until is before --since")
    require(actor, "signals:write")
    return run_reenrich(ws, since, until, on_pending=on_pending, client=client)
