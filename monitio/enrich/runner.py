"""Enrich every stored post that has not been enriched yet, batch by batch.

Each batch's results and its rollup updates commit in one transaction; a batch replayed after a
crash is skipped by `save_enrichment`, so rollups never count a post twice.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Engine

from monitio.pipeline import Pipeline
from monitio.store.repo import iter_pending, save_enrichment


def enrich_pending(
    engine: Engine,
    pipeline: Pipeline,
    *,
    batch_size: int = 1000,
    on_batch: Callable[[int], None] | None = None,
) -> int:
    """Run the pipeline over pending posts; returns how many were enriched."""
    done = 0
    for docs in iter_pending(engine, batch_size):
        pipeline.run(docs)
        with engine.begin() as conn:
            save_enrichment(conn, docs)
        done += len(docs)
        if on_batch:
            on_batch(len(docs))
    return done
