"""Enrich pending posts on a Dask cluster; the driver alone writes, in batch order.

The driver reads pending posts in id-ordered batches (`iter_pending`), submits each batch to the
workers (`worker.enrich_packed`, at most a few batches ahead per worker; only the fields the stages
set come back, as tuples, onto the driver's own copy of the batch), and writes each result with
the same transaction as the one-process runner: `lock_enrichment`, `save_enrichment` (which claims the
posts with `enriched_at IS NULL`, so a replayed or duplicated batch writes and counts nothing twice),
then near-duplicate grouping. Results are written in submission order whatever order workers finish
in, so groups are numbered exactly as in one process. A worker killed mid-run has its batch
recomputed by Dask on another worker; if the run dies, every committed batch stays, and the next
`monitio run` enriches what is still pending.
"""

from __future__ import annotations

import uuid
from collections import deque
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine

from monitio.enrich.dupgroups import grouper, prune_bands
from monitio.records import Doc
from monitio.scale.cluster import worker_count
from monitio.scale.worker import enrich_packed, pack_docs, pack_settings, unpack_results
from monitio.store.repo import iter_pending, lock_enrichment, save_enrichment

AHEAD_PER_WORKER = 2
"""Batches in flight per worker thread: enough to keep workers busy while the driver writes."""
REFRESH_WORKERS = 8
"""Batches between two looks at how many workers there are (workers may join or die during a run)."""


def write_batch(engine: Engine, docs: list[Doc], *, group_dupes: bool = True) -> int:
    """Write one enriched batch in one transaction; returns how many posts this call claimed."""
    with engine.begin() as conn:
        lock_enrichment(conn)
        saved = save_enrichment(conn, docs, grouper=grouper if group_dupes else None)
    return len(saved)


def enrich_on_cluster(
    client: Any,
    engine: Engine,
    settings,
    *,
    batch_size: int = 1000,
    on_batch: Callable[[int], None] | None = None,
    group_dupes: bool = True,
) -> int:
    """Like `enrich_pending`, with the pipeline run on the cluster's workers; returns posts enriched."""
    blob = client.scatter(pack_settings(settings), broadcast=True)
    token = uuid.uuid4().hex
    window: deque = deque()
    done = 0

    def write_oldest() -> None:
        nonlocal done
        sent, future = window.popleft()
        docs = unpack_results(sent, future.result())
        done += write_batch(engine, docs, group_dupes=group_dupes)
        future.release()
        if on_batch:
            on_batch(len(docs))

    ahead = AHEAD_PER_WORKER * worker_count(client)
    try:
        for n, docs in enumerate(iter_pending(engine, batch_size), start=1):
            window.append((docs, client.submit(enrich_packed, blob, token, pack_docs(docs), pure=False)))
            if n % REFRESH_WORKERS == 0:  # asking the scheduler is a round trip: not every batch
                ahead = AHEAD_PER_WORKER * worker_count(client)
            while len(window) >= ahead:
                write_oldest()
        while window:
            write_oldest()
    finally:
        for _, future in window:
            future.cancel()
    if group_dupes and done:
        with engine.begin() as conn:
            prune_bands(conn)
    return done
