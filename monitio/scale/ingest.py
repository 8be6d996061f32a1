"""Import a Parquet file or folder with its row groups read and mapped on a Dask cluster's workers.

The same two passes as `monitio.ingest.ingest_file`, cut by row group (`sources.parquet_units`):

1. every worker collects the date evidence of its row groups (`sniff_unit`); the driver merges it in
   reading order and decides each date column's order and zone once (`AmbiguousDates` before writing);
2. every worker reads its row group again and maps each row to a `Post` or a quarantine reason
   (`map_unit`); the driver takes the results **in reading order**, numbers the rows, and writes
   batches of `batch_size` rows with `store_batch`, exactly as one process cuts them.

Workers never touch the database; posts are keyed by `uid`, so a row group recomputed after a worker
died, or an import run again, stores nothing twice. The report is the one `ingest_file` gives. Workers
open the files by their absolute path: on several machines the folder must be at the same path.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import tzinfo
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from monitio.ingest import ImportOptions, IngestReport, _map, _Maps, decide_dates, sniff_dates, store_batch
from monitio.records import MAX_TEXT_CHARS, Post, Quarantined
from monitio.scale.cluster import worker_count
from monitio.sources.dates import DateRule, DateSniffer
from monitio.sources.mapping import MappingError
from monitio.sources.parquet_units import ParquetUnit, locator, parquet_units, read_unit
from monitio.store.fts import search_row

AHEAD_PER_WORKER = 2
"""Row groups being mapped per worker thread while the driver writes."""


@dataclass
class UnitRows:
    """One row group as mapped by a worker: per row (position in its file, post or None, reason, raw)."""

    items: list[tuple[int, Post | None, str, str]] = field(default_factory=list)
    error: str | None = None
    """Why reading stopped early (a corrupt page), after `items`."""
    mapping: tuple[dict[str, str], list[str]] | None = None
    """The first column map used: (field -> column, columns ignored)."""
    views: dict[str, dict] = field(default_factory=dict)
    """The posts' search-index rows by text (`fts.search_row` without the id): worked out here, not by the driver."""


def _rows(unit: ParquetUnit, errors: list[str]):
    try:
        yield from read_unit(unit)
    except Exception as exc:  # a corrupt page or column chunk: the rows before it count, then stop
        errors.append(f"unreadable Parquet data: {exc}")


def sniff_unit(unit: ParquetUnit, overrides: dict[str, str]) -> tuple[dict[str, DateSniffer], bool]:
    """The date evidence of one row group, and whether reading it broke (pure: runs on a worker)."""
    errors: list[str] = []
    sniffers = sniff_dates((row for _, row in _rows(unit, errors)), overrides)
    return sniffers, bool(errors)


def map_unit(
    unit: ParquetUnit,
    source: str,
    overrides: dict[str, str],
    rules: dict[str, DateRule],
    zones: dict[str, tzinfo],
    max_text_chars: int = MAX_TEXT_CHARS,
) -> UnitRows:
    """Every row of one row group mapped to a post or a reason (pure: runs on a worker)."""
    out = UnitRows()
    maps = _Maps(overrides)
    errors: list[str] = []
    for at, row in _rows(unit, errors):
        post, reason = _map(row, maps, source, rules, zones, max_text_chars)
        out.items.append((at, post, reason, "" if post is not None else row.raw))
        if post is not None and post.text not in out.views:
            view = search_row(0, post.text)
            del view["post_id"]
            out.views[post.text] = view
    out.error = errors[0] if errors else None
    if maps.first is not None:
        out.mapping = (dict(maps.first.columns), list(maps.first.ignored))
    return out


def ingest_parquet_on_cluster(
    client: Any,
    engine: Engine,
    path: Path,
    *,
    options: ImportOptions | None = None,
    batch_size: int = 1000,
    max_text_chars: int = MAX_TEXT_CHARS,
    on_progress: Callable[[int], None] | None = None,
) -> IngestReport:
    """Like `ingest_file` for a Parquet file or folder, the reading and mapping done on the workers."""
    opts = options or ImportOptions()
    source = opts.source or path.name
    report = IngestReport(encoding="parquet")
    units = parquet_units(path)
    sniffers: dict[str, DateSniffer] = {}
    broken: set[str] = set()
    sniffed = client.gather([client.submit(sniff_unit, u, opts.overrides, pure=False) for u in units])
    for unit, (found, stopped) in zip(units, sniffed, strict=True):
        if unit.path in broken:
            continue  # one process stops reading a file at its first corrupt page
        for column, sniffer in found.items():
            sniffers[column] = sniffers[column].merge(sniffer) if column in sniffers else sniffer
        if stopped:
            broken.add(unit.path)
    rules, zones = decide_dates(sniffers, opts, report)
    writer = _Writer(engine, report, source, path.name, batch_size)
    window: deque = deque()
    todo = iter(units)
    done_bytes = 0
    try:
        while True:
            while len(window) < AHEAD_PER_WORKER * worker_count(client):
                unit = next(todo, None)
                if unit is None:
                    break
                args = (unit, source, opts.overrides, rules, zones, max_text_chars)
                window.append((unit, client.submit(map_unit, *args, pure=False)))
            if not window:
                break
            unit, future = window.popleft()
            result = future.result()
            future.release()
            writer.add(unit, result)
            done_bytes += unit.size
            if on_progress:
                on_progress(done_bytes)
    finally:
        for _, future in window:
            future.cancel()
    writer.flush()
    return report


class _Writer:
    """Numbers the mapped rows in reading order and stores them in `batch_size` batches (driver side)."""

    def __init__(self, engine: Engine, report: IngestReport, source: str, name: str, batch_size: int):
        self.engine, self.report, self.source, self.name, self.batch_size = engine, report, source, name, batch_size
        self.number = 0
        self.broken: set[str] = set()
        self.good: list[Post] = []
        self.bad: list[Quarantined] = []
        self.views: dict[str, dict] = {}

    def add(self, unit: ParquetUnit, rows: UnitRows) -> None:
        if unit.path in self.broken:
            return
        if rows.mapping and not self.report.mapping:
            self.report.mapping, self.report.ignored = rows.mapping
        for at, post, reason, raw in rows.items:
            if post is not None and post.text in rows.views:
                self.views[post.text] = rows.views[post.text]
            self._row(post, reason, raw, lambda at=at: locator(self.number, unit, at))
        if rows.error is not None:
            self.broken.add(unit.path)
            stopped = rows.items[-1][0] if rows.items else unit.at
            where = Path(unit.path).name
            self._row(None, rows.error, "", lambda: f"row {self.number} ({where} after row {stopped})")

    def _row(self, post: Post | None, reason: str, raw: str, where: Callable[[], str]) -> None:
        self.number += 1
        self.report.read += 1
        if post is not None:
            self.good.append(post)
        elif reason.startswith("mapping: "):
            # Every row shares the schema: nothing in this file can be mapped. Stop before writing it.
            raise MappingError(reason[len("mapping: ") :])
        else:
            self.bad.append(Quarantined(source=self.source, locator=f"{self.name} {where()}", reason=reason, raw=raw))
        if len(self.good) + len(self.bad) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        if not self.good and not self.bad:
            return
        locate = lambda p: f"{self.name} id {p.source_id[:200]}"  # noqa: E731
        stored = store_batch(self.engine, self.good, self.bad, locate=locate, views=self.views)
        self.report.new += stored.new
        self.report.duplicate += stored.duplicate
        self.report.quarantined += len(self.bad) + stored.refused
        self.good, self.bad = [], []
        self.views.clear()
