"""Connectors and the loop that runs them: page by page, each page committed with its cursor.

A connector has a `name`, `fetch(cursor) -> Page` (network) and a pure `map_item(raw) -> Post` that
raises `RecordError` for items it cannot map. `run_source` loads the stored cursor, fetches pages and,
for every page, in ONE transaction: inserts the new posts, quarantines the bad items with their reason,
and stores the next cursor. A crash at any moment therefore loses nothing and duplicates nothing: the
page is either fully recorded with its cursor, or not at all and fetched again (posts are keyed by
`uid`, so a page fetched twice adds nothing twice).

>>> p = Page([{"id": 1}], {"after": "x"}, done=False)
>>> p.cursor == p.next_cursor
True
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from sqlalchemy import Engine, select

from monitio.records import Post, Quarantined, RecordError
from monitio.store.repo import add_quarantine, dialect_insert, insert_posts
from monitio.store.schema import source_cursors
from monitio.store.schema_intel import source_health

EPHEMERAL = ("_fetched_at", "_article")
"""Keys connectors add to raw items while fetching; left out of quarantined copies so they stay stable."""
ID_KEYS = ("id", "guid", "uri", "url", "link", "name")


@dataclass
class Page:
    """One fetch: raw items, the cursor to store once they are saved, and whether the source is drained."""

    items: list[Any]
    next_cursor: dict[str, Any]
    done: bool = True

    @property
    def cursor(self) -> dict[str, Any]:
        return self.next_cursor


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


def _dump(raw: Any) -> str:
    if isinstance(raw, dict):
        raw = {k: v for k, v in raw.items() if k not in EPHEMERAL}
    try:
        return json.dumps(raw, ensure_ascii=False, default=str, sort_keys=True)[:4000]
    except (TypeError, ValueError, RecursionError):
        return repr(raw)[:4000]


def _locator(raw: Any, text: str) -> str:
    """A stable locator (the item's own id when it has one), so a bad item seen twice is kept once."""
    if isinstance(raw, dict):
        for key in ID_KEYS:
            value = raw.get(key)
            if isinstance(value, str | int) and not isinstance(value, bool) and str(value).strip():
                return f"item {key}={str(value)[:200]}"
    return "item #" + hashlib.blake2b(text.encode("utf-8", "replace"), digest_size=8).hexdigest()


def _fields(post: Post) -> dict[str, Any]:
    return {k: getattr(post, k) for k in Post.__dataclass_fields__ if k != "uid"}


def map_items(connector: Connector, items: Iterable[Any], source: str | None = None) -> tuple[list[Post], list]:
    """Map raw items; anything that fails becomes a quarantined item with the reason. Never raises.

    `source` (default: the connector's name) is the name the posts are stored under.
    """
    good: list[Post] = []
    bad: list[Quarantined] = []
    name = source or connector.name
    for raw in items:
        try:
            if not isinstance(raw, dict):
                raise RecordError(f"item is a {type(raw).__name__}, not an object")
            post = connector.map_item(raw)
            if post.source != name:
                post = Post.create(**{**_fields(post), "source": name})
            good.append(post)
        except Exception as exc:  # one bad item never stops the batch
            reason = str(exc) if isinstance(exc, RecordError) else f"{type(exc).__name__}: {exc}"
            text = _dump(raw)
            bad.append(Quarantined(name, _locator(raw, text), reason[:1000] or type(exc).__name__, text))
    return good, bad


def save_cursor(conn, source: str, cursor: dict) -> None:
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


def run_source(
    engine: Engine,
    connector: Connector,
    source_name: str | None = None,
    *,
    max_pages: int = 50,
    should_stop: Callable[[], bool] | None = None,
) -> RunReport:
    """Fetch and store pages until the source is drained, `max_pages`, or `should_stop()`; records health.

    `source_name` (default: the connector's name) keys the cursor, the health row and the posts.
    Never raises for a failing source: the error is in the report and in `source_health`.
    """
    name = source_name or connector.name
    report = RunReport(name)
    try:
        cursor = load_cursor(engine, name)
        for _ in range(max_pages):
            page = connector.fetch(cursor)
            good, bad = map_items(connector, page.items, name)
            with engine.begin() as conn:
                new = insert_posts(conn, good)
                add_quarantine(conn, bad)
                save_cursor(conn, name, page.next_cursor)
            report.pages += 1
            report.fetched += len(page.items)
            report.new += len(new)
            report.duplicate += len(good) - len(new)
            report.quarantined += len(bad)
            if good:
                newest = max(p.published_at for p in good)
                report.newest = max(report.newest, newest) if report.newest else newest
            cursor = page.next_cursor
            if page.done or (should_stop and should_stop()):
                break
    except Exception as exc:  # a failing source is recorded and reported, never crashes the runner
        report.error = f"{type(exc).__name__}: {exc}"[:1000]
    try:
        with engine.begin() as conn:
            _health(conn, report)
    except Exception as exc:  # e.g. the database went away: keep the report, say so
        report.error = report.error or f"health not recorded: {type(exc).__name__}: {exc}"
    return report


def failing_sources(ws_or_engine: Any, threshold: int = 3) -> list[dict]:
    """Sources that failed `threshold` times in a row, most failures first (takes a workspace or engine)."""
    engine = getattr(ws_or_engine, "engine", ws_or_engine)
    with engine.connect() as conn:
        rows = conn.execute(select(source_health).where(source_health.c.consecutive_failures >= threshold)).all()
    return [
        {
            "source": r.source,
            "failures": r.consecutive_failures,
            "last_error": r.last_error,
            "last_success_at": r.last_success_at,
            "last_error_at": r.last_error_at,
        }
        for r in sorted(rows, key=lambda r: -r.consecutive_failures)
    ]


def source_health_rows(engine: Engine) -> dict[str, Any]:
    """Health rows by source name."""
    with engine.connect() as conn:
        return {r.source: r for r in conn.execute(select(source_health))}


def _iso(value: Any) -> str | None:
    from monitio.sources.mapping import parse_timestamp

    try:
        return parse_timestamp(value, UTC).isoformat()
    except (ValueError, TypeError, OverflowError):
        return None


def sweep(cursor: dict[str, Any], token: Any, times: list[Any], *, max_pages: int = 20) -> tuple[dict, bool]:
    """Cursor for newest-first APIs paged backwards by a token (Reddit, YouTube, Bluesky).

    A *sweep* starts at the newest page and follows `token` back until it reaches items at or before
    the watermark `high` of the last finished sweep (or runs out of pages, or `max_pages`); then the
    watermark moves to the newest item of this sweep and the next fetch starts at the top again.
    Returns the next cursor and whether the sweep is done.

    >>> c, done = sweep({}, "t2", ["2026-11-24T10:00:00Z", "2026-11-24T09:00:00Z"])
    >>> done, c["token"], c["sweep_high"]
    (False, 't2', '2026-11-24T10:00:00+00:00')
    >>> sweep(c, "t3", ["2026-11-24T08:00:00Z"])[1]
    False
    >>> c2, done = sweep(c, None, ["2026-11-24T07:00:00Z"])
    >>> done, c2
    (True, {'high': '2026-11-24T10:00:00+00:00'})
    >>> sweep(c2, "t9", ["2026-11-24T11:00:00Z", "2026-11-24T10:00:00Z"])
    ({'high': '2026-11-24T11:00:00+00:00'}, True)
    """
    high = cursor.get("high")
    stamps = [s for s in (_iso(t) for t in times) if s]
    sweep_high = max([cursor.get("sweep_high") or "", *stamps]) or None
    pages = int(cursor.get("pages") or 0) + 1
    reached = bool(high) and any(s <= high for s in stamps)
    if isinstance(token, str) and token and not reached and pages < max_pages:
        state = {"token": token, "high": high, "sweep_high": sweep_high, "pages": pages}
        return {k: v for k, v in state.items() if v}, False
    newest = max(filter(None, [high, sweep_high]), default=None)
    return ({"high": newest} if newest else {}), True
