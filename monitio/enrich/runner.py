"""Enrich every stored post that has not been enriched yet, batch by batch.

Each batch's results and its rollup updates commit in one transaction; `save_enrichment` writes only
the posts its transaction claims, so a batch replayed after a crash, or taken at the same time by a
second `monitio run`, never counts a post twice. Posts with a copy-paste
key join their near-duplicate group (`dupgroups.py`) in that same transaction.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Engine

from monitio.enrich.dupgroups import grouper, prune_bands
from monitio.pipeline import Pipeline
from monitio.store.repo import iter_pending, lock_enrichment, save_enrichment


def enrich_pending(
    engine: Engine,
    pipeline: Pipeline,
    *,
    batch_size: int = 1000,
    on_batch: Callable[[int], None] | None = None,
    group_dupes: bool = True,
) -> int:
    """Run the pipeline over pending posts; returns how many were enriched."""
    done = 0
    for docs in iter_pending(engine, batch_size):
        pipeline.run(docs)
        with engine.begin() as conn:
            lock_enrichment(conn)
            saved = save_enrichment(conn, docs, grouper=grouper if group_dupes else None)
        done += len(saved)
        if on_batch:
            on_batch(len(docs))
    if group_dupes and done:
        with engine.begin() as conn:
            prune_bands(conn)
    return done
