"""Import a file of posts into the store: map, validate, quarantine, de-duplicate, in batches.

Each batch (its new posts and its quarantined rows) commits in one transaction, and posts are keyed
by `uid`, so a run killed at any moment and started again ends with every post exactly once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlalchemy.exc import InterfaceError, OperationalError

from monitio.records import MAX_TEXT_CHARS, Post, Quarantined, RecordError
from monitio.sources.files import RawRow, detect_format, read_rows
from monitio.sources.mapping import ColumnMap, MappingError, map_row
from monitio.store.repo import add_quarantine, insert_posts


@dataclass
class IngestReport:
    """What an import did. `as_json()` is the `monitio ingest --json` contract."""

    read: int = 0
    new: int = 0
    duplicate: int = 0
    quarantined: int = 0

    def as_json(self) -> dict[str, int]:
        return asdict(self)


def _flatten(data: dict[str, Any], prefix: str = "", depth: int = 0) -> dict[str, Any]:
    """Nested JSON objects become dotted keys (`user.name`), so `--map author=user.name` works."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and depth < 3:
            out.update(_flatten(value, f"{name}.", depth + 1))
        else:
            out[name] = value
    return out


def ingest_file(
    engine: Engine,
    path: Path,
    *,
    source: str | None = None,
    overrides: dict[str, str] | None = None,
    fmt: str | None = None,
    timezone: str = "UTC",
    batch_size: int = 1000,
    max_text_chars: int = MAX_TEXT_CHARS,
    sheet: str | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> IngestReport:
    """Import one file; bad rows are quarantined with their row number and reason.

    `source` names where the posts come from (default: the file name); with the item's own id it
    makes the post's `uid`, so importing the same file again adds nothing.
    """
    source = source or path.name
    zone = ZoneInfo(timezone)
    overrides = overrides or {}
    report = IngestReport()
    maps: dict[frozenset, ColumnMap | MappingError] = {}
    good: list[Post] = []
    bad: list[Quarantined] = []

    def column_map(keys: list[str]) -> ColumnMap:
        fk = frozenset(keys)
        if fk not in maps:
            try:
                maps[fk] = ColumnMap.from_headers(keys, overrides)
            except MappingError as exc:
                maps[fk] = exc
        found = maps[fk]
        if isinstance(found, MappingError):
            raise found
        return found

    def flush() -> None:
        if not good and not bad:
            return
        stored = store_batch(engine, good, bad, locate=lambda p: f"{path.name} id {p.source_id[:200]}")
        report.new += stored.new
        report.duplicate += stored.duplicate
        report.quarantined += stored.refused
        good.clear()
        bad.clear()

    fixed_header = detect_format(path, fmt) != "jsonl"
    for row in read_rows(path, fmt, on_bytes=on_progress, sheet=sheet):
        report.read += 1
        post, reason = _map(row, column_map, source, zone, max_text_chars)
        if post is not None:
            good.append(post)
        else:
            if fixed_header and reason.startswith("mapping: "):
                # Every row shares the header: nothing in this file can be mapped. Stop before writing.
                raise MappingError(reason[len("mapping: ") :])
            bad.append(Quarantined(source=source, locator=f"{path.name} {row.locator}", reason=reason, raw=row.raw))
            report.quarantined += 1
        if len(good) + len(bad) >= batch_size:
            flush()
    flush()
    return report


def _map(row: RawRow, column_map, source: str, zone, max_text_chars: int) -> tuple[Post | None, str]:
    if row.error is not None:
        return None, row.error
    data = _flatten(row.data or {})
    try:
        cmap = column_map(list(data))
    except MappingError as exc:
        return None, f"mapping: {exc}"
    try:
        return map_row(data, cmap, source=source, default_zone=zone, max_text_chars=max_text_chars), ""
    except RecordError as exc:
        return None, str(exc)
    except Exception as exc:  # an odd value must cost its row, never the batch
        return None, f"cannot map the row: {type(exc).__name__}: {exc}"[:500]


@dataclass
class Stored:
    """What `store_batch` did: posts new and already stored, and good posts the database refused."""

    new: int = 0
    duplicate: int = 0
    refused: int = 0
    new_uids: set[str] | None = None


def store_batch(
    engine: Engine,
    good: list[Post],
    bad: list[Quarantined],
    *,
    locate: Callable[[Post], str] = lambda p: f"id {p.source_id[:200]}",
) -> Stored:
    """Store one batch (new posts and quarantined rows) in one transaction.

    Should the database refuse the batch for a value (not for being unreachable), every post is
    stored on its own and each one refused is quarantined with the database's reason, so one bad
    row never costs the rest. `Post.create` enforces the limits first, so this is the last line.
    """
    try:
        with engine.begin() as conn:
            new = insert_posts(conn, good)
            add_quarantine(conn, bad)
        return Stored(new=len(new), duplicate=len(good) - len(new), new_uids=new)
    except (OperationalError, InterfaceError):
        raise  # the database, not the data: the caller retries the whole batch later
    except Exception:  # a value the database refused: find which row, keep the others
        pass
    out = Stored(new_uids=set())
    refused: list[Quarantined] = []
    for post in good:
        try:
            with engine.begin() as conn:
                new = insert_posts(conn, [post])
        except (OperationalError, InterfaceError):
            raise
        except Exception as exc:
            reason = f"database refused the row: {type(exc).__name__}: {str(exc).splitlines()[0]}"
            raw = f"{post.source_id[:500]}\t{post.text[:2000]}"
            refused.append(Quarantined(post.source, locate(post), reason[:500], raw))
            continue
        out.new += len(new)
        out.duplicate += 1 - len(new)
        out.new_uids |= new
    with engine.begin() as conn:
        add_quarantine(conn, [*bad, *refused])
    out.refused = len(refused)
    return out
