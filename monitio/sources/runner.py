"""Running configured sources on their schedules, once (`monitio run`) or until stopped (`--watch`).

A source is due when its schedule has passed since its last run. A failing source backs off: after
`n` failures in a row it waits `schedule * 2**(n-1)`, at most `max(schedule, 1h)`, so a dead
endpoint is not hammered while its health shows the failures.

>>> next_due(datetime(2026, 1, 1, tzinfo=UTC), 900, 0).isoformat()
'2026-01-01T00:15:00+00:00'
>>> next_due(datetime(2026, 1, 1, tzinfo=UTC), 900, 3).isoformat()
'2026-01-01T01:00:00+00:00'
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from monitio.sources.base import RunReport, failing_sources, run_source, source_health_rows
from monitio.sources.config import SourceConfig, load_sources

log = logging.getLogger(__name__)
__all__ = ["due", "failing_sources", "next_due", "run_due_sources", "watch_loop"]


def next_due(last_run: datetime, schedule_seconds: int, failures: int) -> datetime:
    """When a source that last ran at `last_run` is due again."""
    wait = float(schedule_seconds)
    if failures > 0:
        wait = min(wait * 2 ** min(failures - 1, 20), max(wait, 3600.0))
    return last_run + timedelta(seconds=wait)


def due(ws: Any, sources: list[SourceConfig], now: datetime) -> list[SourceConfig]:
    """The enabled sources whose schedule has come (never-run sources are due at once)."""
    health = source_health_rows(ws.engine)
    chosen = []
    for s in sources:
        h = health.get(s.name)
        if not s.enabled:
            continue
        if h is None or h.last_run_at is None:
            chosen.append(s)
        elif next_due(h.last_run_at, s.schedule_seconds, h.consecutive_failures) <= now:
            chosen.append(s)
    return chosen


def run_due_sources(
    ws: Any,
    now: datetime | None = None,
    *,
    force: bool = False,
    names: list[str] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> list[RunReport]:
    """Run every enabled source whose schedule is due (all enabled ones with `force`, or those `names`).

    With `should_stop`, stops after the current page once it returns True.
    """
    now = now or datetime.now(UTC)
    sources = load_sources(ws.path)
    if names is not None:
        chosen = [s for s in sources if s.name in names]
    else:
        chosen = [s for s in sources if s.enabled] if force else due(ws, sources, now)
    reports = []
    for s in chosen:
        if should_stop and should_stop():
            break
        connector = s.connector(ws.settings.outbound_allow, ws.settings.http_proxy)
        reports.append(run_source(ws.engine, connector, s.name, max_pages=s.max_pages, should_stop=should_stop))
    return reports


def watch_loop(
    ws: Any,
    cycle: Callable[[], Any] | threading.Event | None = None,
    on_cycle: Callable[[], Any] | None = None,
    *,
    interval: float = 30.0,
    stop: threading.Event | None = None,
) -> int:
    """Collect due sources, then call the cycle callback (enrich, detect, alert), until stopped.

    Call it as `watch_loop(ws, on_cycle, interval=..)` or `watch_loop(ws, stop_event, on_cycle)`.
    SIGTERM/SIGINT (in the main thread) or `stop.set()` lets the current page finish, then the loop
    returns the number of cycles run. A failing cycle or a broken monitio.toml is logged, not fatal.
    """
    if isinstance(cycle, threading.Event):
        stop, cycle = cycle, on_cycle
    callback = cycle or on_cycle or (lambda: None)
    stop = stop or threading.Event()
    previous = {}
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGTERM, signal.SIGINT):
            previous[sig] = signal.signal(sig, lambda *_: stop.set())
    cycles = 0
    try:
        while not stop.is_set():
            try:
                for r in run_due_sources(ws, should_stop=stop.is_set):
                    if r.error:
                        log.warning("source %s failed: %s", r.source, r.error)
                if stop.is_set():
                    break
                callback()
            except Exception:  # unattended: log and try again next cycle
                log.exception("watch cycle failed")
            cycles += 1
            stop.wait(interval)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return cycles
