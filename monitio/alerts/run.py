"""The alerting step of `monitio run`: queue alerts for open signals and scheduled briefs, then deliver."""

from __future__ import annotations

from monitio.alerts.outbox import deliver_due, enqueue
from monitio.detect.store import list_open_signals


def alert_step(ws) -> dict[str, int]:
    """Queue and deliver; returns counts (queued, delivered, retry, dead)."""
    from monitio.services.schedules import fire_due
    from monitio.taxonomy.loader import load_taxonomy

    signals = list_open_signals(ws.engine, limit=500)
    names = {cid: c.name for cid, c in load_taxonomy(ws.settings.taxonomy).categories.items()}
    with ws.engine.begin() as conn:
        queued = enqueue(conn, signals, base_url=ws.settings.public_url, names=names)
    briefs = sum(fire_due(ws).values())
    counts = deliver_due(ws.engine, allow=ws.settings.outbound_allow)
    return {"queued": queued, "briefs_queued": briefs, **counts}
