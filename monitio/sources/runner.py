"""Running configured sources on their schedules, once (`monitio run`) or until stopped (`--watch`)."""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from monitio.sources.base import RunReport, run_source
from monitio.sources.config import SourceConfig, load_sources
from monitio.store.schema_intel import source_health


def due(ws, sources: list[SourceConfig], now: datetime) -> list[SourceConfig]:
    with ws.engine.connect() as conn:
        last = dict(conn.execute(select(source_health.c.source, source_health.c.last_run_at)).all())
    return [
        s
        for s in sources
        if s.enabled and (last.get(s.name) is None or last[s.name] + timedelta(seconds=s.schedule_seconds) <= now)
    ]


def run_due_sources(ws, now: datetime | None = None, *, force: bool = False) -> list[RunReport]:
    """Run every enabled source whose schedule is due (all enabled ones with `force`)."""
    now = now or datetime.now(UTC)
    sources = load_sources(ws.path)
    chosen = [s for s in sources if s.enabled] if force else due(ws, sources, now)
    return [run_source(ws.engine, s.connector(ws.settings.outbound_allow, ws.settings.http_proxy)) for s in chosen]


def watch_loop(ws, cycle: Callable[[], None], *, interval: float = 30.0, stop: threading.Event | None = None) -> int:
    """Collect due sources and run `cycle` (enrich, detect, alert) until SIGTERM/SIGINT; returns cycles run.

    A signal lets the current batch finish, then the loop exits cleanly.
    """
    stop = stop or threading.Event()
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
    cycles = 0
    while not stop.is_set():
        run_due_sources(ws)
        cycle()
        cycles += 1
        stop.wait(interval)
    return cycles
