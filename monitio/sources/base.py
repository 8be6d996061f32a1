"""Connectors and the loop that runs them: page by page, each page committed with its cursor.

A connector has a `name`, `fetch(cursor) -> Page` (network) and a pure `map_item(raw) -> Post` that
raises `RecordError` for items it cannot map. `run_source` loads the stored cursor, fetches pages and,
for every page, in ONE transaction: inserts the new posts, quarantines the bad items with their reason,
and stores the next cursor. A crash at any moment therefore loses nothing and duplicates nothing: the
page is either fully recorded with its cursor, or not at all and fetched again.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from sqlalchemy import Engine, select

from monitio.records import Post, Quarantined, RecordError
from monitio.store.repo import add_quarantine, dialect_insert, insert_posts
from monitio.store.schema import source_cursors
from monitio.store.schema_intel import source_health


@dataclass
class Page:
    """One fetch: raw items, the cursor to store once they are saved, and whether the source is drained."""

    items: list[dict[str, Any]]
    cursor: dict[str, Any]
    done: bool = True


class Connector(Protocol):
    name: str

    def fetch(self, cursor: dict[str, Any]) -> Page: ...

    def map_item(self, raw: dict[str, Any]) -> Post: ...


@dataclass
class RunReport:
    source: str
    pages: int = 0
    fetched: int = 0
    new: int = 0
    duplicate: int = 0
    quarantined: int = 0
    error: str | None = None
    newest: datetime | None = field(default=None, repr=False)


def load_cursor(engine: Engine, source: str) -> dict[str, Any]:
    with engine.connect() as conn:
        value = conn.execute(select(source_cursors.c.cursor).where(source_cursors.c.source == source)).scalar()
    return dict(value or {})


def map_items(connector: Connector, items: Iterable[dict]) -> tuple[list[Post], list[Quarantined]]:
    """Map raw items; anything that fails becomes a quarantined item with the reason. Never raises."""
    good, bad = [], []
    for i, raw in enumerate(items):
        try:
            good.append(connector.map_item(raw))
        except (RecordError, ValueError, TypeError, KeyError, AttributeError) as exc:
            reason = str(exc) if isinstance(exc, RecordError) else f"{type(exc).__name__}: {exc}"
            try:
                text = json.dumps(raw, ensure_ascii=False, default=str)[:2000]
            except (TypeError, ValueError):
                text = repr(raw)[:2000]
            bad.append(Quarantined(connector.name, f"item {i}", reason, text))
    return good, bad


def _save_cursor(conn, source: str, cursor: dict) -> None:
    ins = dialect_insert(conn, source_cursors)
    conn.execute(
        ins.on_conflict_do_update(
            index_elements=["source"], set_={"cursor": ins.excluded.cursor, "updated_at": ins.excluded.updated_at}
        ),
        {"source": source, "cursor": cursor, "updated_at": datetime.now(UTC)},
    )


def _health(conn, report: RunReport) -> None:
    now = datetime.now(UTC)
    row = conn.execute(select(source_health).where(source_health.c.source == report.source)).first()
    failures = (row.consecutive_failures + 1 if row else 1) if report.error else 0
    values = {
        "source": report.source,
        "last_run_at": now,
        "items_last_run": report.fetched,
        "consecutive_failures": failures,
        "last_success_at": (row.last_success_at if row else None) if report.error else now,
        "last_error_at": now if report.error else (row.last_error_at if row else None),
        "last_error": (report.error or "")[:1000] if report.error else (row.last_error if row else None),
        "newest_item_at": max(filter(None, [report.newest, row.newest_item_at if row else None]), default=None),
    }
    ins = dialect_insert(conn, source_health)
    conn.execute(
        ins.on_conflict_do_update(
            index_elements=["source"], set_={k: ins.excluded[k] for k in values if k != "source"}
        ),
        values,
    )


def run_source(engine: Engine, connector: Connector, *, max_pages: int = 50) -> RunReport:
    """Fetch and store pages until the source is drained or `max_pages`; records the source's health."""
    report = RunReport(connector.name)
    cursor = load_cursor(engine, connector.name)
    try:
        for _ in range(max_pages):
            page = connector.fetch(cursor)
            good, bad = map_items(connector, page.items)
            with engine.begin() as conn:
                new = insert_posts(conn, good)
                add_quarantine(conn, bad)
                _save_cursor(conn, connector.name, page.cursor)
            report.pages += 1
            report.fetched += len(page.items)
            report.new += len(new)
            report.duplicate += len(good) - len(new)
            report.quarantined += len(bad)
            if good:
                newest = max(p.published_at for p in good)
                report.newest = max(report.newest, newest) if report.newest else newest
            cursor = page.cursor
            if page.done:
                break
    except Exception as exc:  # a failing source is recorded and reported, never crashes the runner
        report.error = f"{type(exc).__name__}: {exc}"
    with engine.begin() as conn:
        _health(conn, report)
    return report


def failing_sources(engine: Engine, threshold: int = 3) -> list[dict]:
    """Sources that failed `threshold` times in a row (a silent collector must be noticed)."""
    with engine.connect() as conn:
        rows = conn.execute(select(source_health).where(source_health.c.consecutive_failures >= threshold)).all()
    return [
        {
            "source": r.source,
            "failures": r.consecutive_failures,
            "last_error": r.last_error,
            "last_success_at": r.last_success_at,
        }
        for r in rows
    ]
