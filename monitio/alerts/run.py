"""The alerting step of `monitio run`: queue alerts for open signals, then deliver what is due."""

from __future__ import annotations

from monitio.alerts.outbox import deliver_due, enqueue
from monitio.detect.store import list_open_signals


def alert_step(ws) -> dict[str, int]:
    """Queue and deliver; returns counts (queued, delivered, retry, dead)."""
    signals = list_open_signals(ws.engine, limit=500)
    with ws.engine.begin() as conn:
        queued = enqueue(conn, signals, base_url=ws.settings.public_url)
    counts = deliver_due(ws.engine, allow=ws.settings.outbound_allow)
    return {"queued": queued, **counts}
