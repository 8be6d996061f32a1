"""The server's background minute: fire due scheduled briefs and deliver due outbox items.

`monitio serve` starts one daemon thread; each tick runs in its own transactions and logs (never
raises) a failure, so a broken schedule or an unreachable mail server never stops the server.
Two servers on one database are safe: the outbox's unique idempotency keys let only one queue a
period's brief.
"""

from __future__ import annotations

import logging
import threading

log = logging.getLogger(__name__)


def tick(ws) -> dict[str, int]:
    """One round: queue due briefs, then deliver what is due."""
    from monitio.alerts.outbox import deliver_due
    from monitio.services.schedules import fire_due

    queued = sum(fire_due(ws).values())
    return {"briefs_queued": queued, **deliver_due(ws.engine, allow=ws.settings.outbound_allow)}


def start_ticker(ws, interval: float = 60.0) -> threading.Event:
    """Run `tick` every `interval` seconds in a daemon thread; set the returned event to stop it."""
    stop = threading.Event()

    def loop() -> None:
        while not stop.is_set():
            try:
                tick(ws)
            except Exception:  # the server must outlive any one bad round
                log.exception("scheduled briefs and deliveries: this round failed")
            stop.wait(interval)

    threading.Thread(target=loop, name="monitio-ticker", daemon=True).start()
    return stop
