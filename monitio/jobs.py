"""One pass of the whole pipeline over a workspace: collect due sources, enrich, group, detect, alert,
then drop the text of posts past the retention period (when `retention_days` is set)."""

from __future__ import annotations

import time
from collections.abc import Callable


def run_cycle(ws, *, on_pending: Callable[[int], Callable[[int], None]] | None = None, client=None) -> dict:
    """Run every step once; `on_pending(total)` may return a per-batch progress callback.

    With a Dask `client` (see `monitio.scale`) the enrichment batches run on the cluster's workers, and so
    do the detection pass's per-series and per-market groups.
    """
    from monitio.alerts.run import alert_step
    from monitio.detect.narratives import assign_pending
    from monitio.detect.signals import detect_signals
    from monitio.enrich.embeddings import encoder_for
    from monitio.enrich.runner import enrich_pending
    from monitio.pipeline import default_pipeline
    from monitio.sources.runner import run_due_sources
    from monitio.store.repo import count_pending

    started = time.perf_counter()
    collected = run_due_sources(ws)
    pending = count_pending(ws.engine)
    advance = on_pending(pending) if on_pending else None
    fanout = None
    if client is not None:
        from monitio.scale.detect import ClusterFanout
        from monitio.scale.enrich import enrich_on_cluster

        enriched = enrich_on_cluster(
            client, ws.engine, ws.settings, batch_size=ws.settings.batch_size, on_batch=advance
        )
        fanout = ClusterFanout(client)
    else:
        enriched = enrich_pending(
            ws.engine, default_pipeline(ws.settings), batch_size=ws.settings.batch_size, on_batch=advance
        )
    narrated = assign_pending(ws.engine, encoder=encoder_for(ws.settings.embeddings))
    report = detect_signals(ws, fanout=fanout)
    alerts = alert_step(ws)
    retention = None
    if ws.settings.retention_days:  # after detection: evidence chosen in this pass is kept
        from monitio.services.retention import apply_retention

        retention = apply_retention(ws).as_json()
    return {
        "collected": {r.source: {"new": r.new, "quarantined": r.quarantined, "error": r.error} for r in collected},
        "enriched": enriched,
        "narrated": narrated,
        **report.as_json(),
        "alerts": alerts,
        "retention": retention,
        "seconds": round(time.perf_counter() - started, 2),
    }
