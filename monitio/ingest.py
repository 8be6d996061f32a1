"""Import a file of posts into the store: map, validate, quarantine, de-duplicate, in batches.

Each batch (its new posts and its quarantined rows) commits in one transaction, and posts are keyed
by `uid`, so a run killed at any moment and started again ends with every post exactly once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlalchemy.exc import InterfaceError, OperationalError

from monitio.records import MAX_TEXT_CHARS, Post, Quarantined, RecordError
from monitio.sources.dates import AmbiguousDates, DateRule, DateSniffer, Order
from monitio.sources.files import RawRow, TableInfo, detect_format, read_rows
from monitio.sources.mapping import FIELDS, ColumnMap, MappingError, map_row, with_time
from monitio.sources.presets import ImportPreset
from monitio.store.repo import add_quarantine, insert_posts


@dataclass
class IngestReport:
    """What an import did. `as_json()` is the `monitio ingest --json` contract (the four counts first;
    the rest is additive: the mapping used, the columns ignored, the zone assumed, ...)."""

    read: int = 0
    new: int = 0
    duplicate: int = 0
    quarantined: int = 0
    mapping: dict[str, str] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)
    skipped_rows: list[str] = field(default_factory=list)
    encoding: str | None = None
    date_order: str | None = None
    timezone: dict[str, str] | None = None
    dry_run: bool = False
    rows: list[dict[str, Any]] = field(default_factory=list)
    quarantine: list[dict[str, str]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        out = asdict(self)
        if not self.dry_run:
            for key in ("dry_run", "rows", "quarantine"):
                out.pop(key)
        return out

    def summary_lines(self) -> list[str]:
        """The human summary: what was read where, the mapping, what was ignored or assumed."""
        lines = []
        if self.skipped_rows:
            lines.append(f"skipped {len(self.skipped_rows)} row(s) above the column row: {self.skipped_rows[0][:80]!r}")
        if self.mapping:
            lines.append("mapping: " + ", ".join(f"{f} <- {c!r}" for f, c in self.mapping.items()))
        if self.ignored:
            lines.append("ignored columns (kept in raw): " + ", ".join(repr(c) for c in self.ignored))
        if self.date_order:
            lines.append(f"dates read {'day-first' if self.date_order.startswith('dmy') else self.date_order}")
        if self.timezone:
            lines.append(f"dates without a zone taken in {self.timezone['zone']} ({self.timezone['from']})")
        return lines


@dataclass
class ImportOptions:
    """How to read a file, from the command line, a preset and the workspace (in that order of weight)."""

    source: str | None = None
    overrides: dict[str, str] = field(default_factory=dict)
    fmt: str | None = None
    timezone: str | None = None
    """A zone the user gave (`--timezone`): used for dates without one, before a zone in the header."""
    preset_timezone: str | None = None
    default_timezone: str = "UTC"
    """The workspace zone: the last resort for dates without one."""
    order: Order | None = None
    order_from: str = "option"
    date_format: str | None = None
    workspace_order: Order | None = None
    skip_rows: int | None = None
    sheet: str | None = None

    @classmethod
    def build(cls, preset: ImportPreset | None = None, **given: Any) -> ImportOptions:
        """Options from explicit values (None = not given) over a preset."""
        given = {k: v for k, v in given.items() if v is not None}
        opts = cls(**given)
        if preset is None:
            return opts
        opts.overrides = {**preset.columns, **opts.overrides}
        opts.source = opts.source or preset.source
        opts.fmt = opts.fmt or preset.format
        opts.preset_timezone = preset.timezone
        opts.skip_rows = opts.skip_rows if opts.skip_rows is not None else preset.skip_rows
        opts.sheet = opts.sheet or preset.sheet
        if opts.order is None and opts.date_format is None:
            opts.date_format = preset.date_format
            if preset.order:
                opts.order, opts.order_from = preset.order, "preset"  # type: ignore[assignment]
            if preset.date_format:
                opts.order_from = "preset"
        return opts


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


class _Maps:
    """Column maps per set of keys (JSONL rows may differ), each built once."""

    def __init__(self, overrides: dict[str, str]):
        self.overrides = overrides
        self.maps: dict[frozenset, ColumnMap | MappingError] = {}
        self.first: ColumnMap | None = None

    def __call__(self, keys: list[str]) -> ColumnMap:
        fk = frozenset(keys)
        if fk not in self.maps:
            try:
                self.maps[fk] = ColumnMap.from_headers(keys, self.overrides)
            except MappingError as exc:
                self.maps[fk] = exc
        found = self.maps[fk]
        if isinstance(found, MappingError):
            raise found
        if self.first is None:
            self.first = found
        return found


def _is_header(overrides: dict[str, str]) -> Callable[[list[str]], bool]:
    def check(cells: list[str]) -> bool:
        try:
            ColumnMap.from_headers([c for c in cells if c], overrides)
        except MappingError:
            return False
        return True

    return check


def ingest_file(
    engine: Engine,
    path: Path,
    *,
    source: str | None = None,
    overrides: dict[str, str] | None = None,
    fmt: str | None = None,
    timezone: str | None = None,
    batch_size: int = 1000,
    max_text_chars: int = MAX_TEXT_CHARS,
    sheet: str | None = None,
    on_progress: Callable[[int], None] | None = None,
    options: ImportOptions | None = None,
    dry_run: bool = False,
    preview: int = 10,
) -> IngestReport:
    """Import one file; bad rows are quarantined with their row number and reason.

    `source` names where the posts come from (default: the file name); with the item's own id it
    makes the post's `uid`, so importing the same file again adds nothing. The file is read twice:
    first every date is looked at to settle how the dates are written (day-first or month-first:
    `AmbiguousDates` when nothing says, before anything is written), then the rows are imported.
    With `dry_run` nothing is written: the report holds the first `preview` rows as parsed.
    """
    opts = options or ImportOptions(
        source=source, overrides=dict(overrides or {}), fmt=fmt, timezone=timezone, sheet=sheet
    )
    source = opts.source or path.name
    report = IngestReport(dry_run=dry_run)
    read = lambda info=None, progress=None: read_rows(  # noqa: E731
        path,
        opts.fmt,
        on_bytes=progress,
        sheet=opts.sheet,
        skip_rows=opts.skip_rows,
        is_header=_is_header(opts.overrides),
        info=info,
    )
    rules, zones = _plan_dates(read, opts, report)
    maps = _Maps(opts.overrides)
    good: list[Post] = []
    bad: list[Quarantined] = []

    def flush() -> None:
        if not good and not bad:
            return
        if dry_run:
            report.quarantined += len(bad)
        else:
            stored = store_batch(engine, good, bad, locate=lambda p: f"{path.name} id {p.source_id[:200]}")
            report.new += stored.new
            report.duplicate += stored.duplicate
            report.quarantined += len(bad) + stored.refused
        good.clear()
        bad.clear()

    info = TableInfo()
    fixed_header = detect_format(path, opts.fmt) != "jsonl"
    seen: set[str] = set()
    for row in read(info, on_progress):
        report.read += 1
        post, reason = _map(row, maps, source, rules, zones, max_text_chars)
        if post is not None:
            if dry_run:
                report.new += post.uid not in seen
                report.duplicate += post.uid in seen
                seen.add(post.uid)
                if len(report.rows) < preview:
                    report.rows.append(_preview(post, next(iter(zones.values()), None)))
            good.append(post)
        else:
            if fixed_header and reason.startswith("mapping: "):
                # Every row shares the header: nothing in this file can be mapped. Stop before writing.
                raise MappingError(reason[len("mapping: ") :])
            bad.append(Quarantined(source=source, locator=f"{path.name} {row.locator}", reason=reason, raw=row.raw))
            if dry_run and len(report.quarantine) < preview:
                report.quarantine.append({"locator": row.locator, "reason": reason})
        if len(good) + len(bad) >= batch_size:
            flush()
    flush()
    if maps.first is not None:
        report.mapping = dict(maps.first.columns)
        report.ignored = list(maps.first.ignored)
    report.skipped_rows = info.skipped
    report.encoding = info.encoding
    return report


def _plan_dates(read, opts: ImportOptions, report: IngestReport) -> tuple[dict[str, DateRule], dict[str, tzinfo]]:
    """First pass: every value of every date column, to settle their order and zone."""
    return decide_dates(sniff_dates(read(), opts.overrides), opts, report)


def sniff_dates(rows, overrides: dict[str, str]) -> dict[str, DateSniffer]:
    """The evidence of every date column of `rows` (a whole file, or a part of one: see `DateSniffer.merge`)."""
    maps = _Maps(overrides)
    sniffers: dict[str, DateSniffer] = {}
    for row in rows:
        if row.error is not None:
            continue
        data = _flatten(row.data or {})
        try:
            cmap = maps(list(data))
        except MappingError:
            continue
        column = cmap.columns["published_at"]
        sniffer = sniffers.get(column)
        if sniffer is None:
            sniffer = sniffers[column] = DateSniffer(column)
        sniffer.add(with_time(data.get(column), data.get(cmap.columns.get("published_time", "\x00"))))
    return sniffers


def decide_dates(
    sniffers: dict[str, DateSniffer], opts: ImportOptions, report: IngestReport
) -> tuple[dict[str, DateRule], dict[str, tzinfo]]:
    """Each date column's rule and zone from its evidence; notes what was decided in the report."""
    rules: dict[str, DateRule] = {}
    zones: dict[str, tzinfo] = {}
    for column, sniffer in sniffers.items():
        if opts.date_format or (opts.order and opts.order_from != "workspace"):
            rule = sniffer.decide(opts.order, opts.date_format, source=opts.order_from)
        elif opts.workspace_order:
            rule = sniffer.decide(opts.workspace_order, source="workspace")
        else:
            rule = sniffer.decide()
        rules[column] = rule
        zone, label = _zone_for(rule, opts)
        zones[column] = zone
        if rule.order:
            report.date_order = f"{rule.order} ({rule.settled_by})"
        elif rule.fmt:
            report.date_order = f"format {rule.fmt!r} ({rule.settled_by})"
        if sniffer.counts["naive"] or rule.fmt:
            report.timezone = {"zone": str(zone), "from": label}
    return rules, zones


def _zone_for(rule: DateRule, opts: ImportOptions) -> tuple[tzinfo, str]:
    if opts.timezone:
        return ZoneInfo(opts.timezone), "--timezone"
    if rule.header_zone is not None:
        return rule.header_zone, f"the column name {rule.column!r}"
    if opts.preset_timezone:
        return ZoneInfo(opts.preset_timezone), "the preset"
    return ZoneInfo(opts.default_timezone), "the workspace setting timezone"


def _preview(post: Post, zone: tzinfo | None) -> dict[str, Any]:
    local = post.published_at.astimezone(zone) if zone is not None else None
    return {
        "source": post.source,
        "source_id": post.source_id,
        "published_at": post.published_at.isoformat(),
        "published_local": local.isoformat() if local is not None else None,
        "author": post.author,
        "text": post.text[:200],
        "url": post.url,
        "lang": post.lang_hint,
        "market": post.market_hint,
        "likes": post.likes,
        "shares": post.shares,
        "comments": post.comments,
        "views": post.views,
    }


def _map(row: RawRow, column_map, source: str, rules, zones, max_text_chars: int) -> tuple[Post | None, str]:
    if row.error is not None:
        return None, row.error
    data = _flatten(row.data or {})
    try:
        cmap = column_map(list(data))
    except MappingError as exc:
        return None, f"mapping: {exc}"
    column = cmap.columns["published_at"]
    try:
        post = map_row(
            data,
            cmap,
            source=source,
            default_zone=zones.get(column, UTC),
            max_text_chars=max_text_chars,
            date_rule=rules.get(column),
        )
        return post, ""
    except RecordError as exc:
        return None, str(exc)
    except Exception as exc:  # an odd value must cost its row, never the batch
        return None, f"cannot map the row: {type(exc).__name__}: {exc}"[:500]


@dataclass
class PushResult:
    """What `push_items` did: the counts and, per refused item, its index and reason."""

    read: int = 0
    new: int = 0
    duplicate: int = 0
    quarantined: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


def push_items(
    engine: Engine,
    source: str,
    items: list[dict[str, Any]],
    *,
    zone: tzinfo = UTC,
    max_text_chars: int = MAX_TEXT_CHARS,
) -> PushResult:
    """Store pushed items (the API's `POST /posts`): each mapped on its own, bad ones quarantined.

    The items' `published_at` values are read together like a file's column: one value such as
    `13/12/2026` settles day-first for the batch; a batch where every value fits both orders has those
    items refused with the reason (send ISO 8601).
    """
    cmap = ColumnMap({f: f for f in FIELDS})
    sniffer = DateSniffer("published_at")
    for item in items:
        sniffer.add(item.get("published_at"))
    try:
        rule: DateRule | None = sniffer.decide()
    except AmbiguousDates:
        rule = None
    result = PushResult(read=len(items))
    good: list[Post] = []
    bad: list[Quarantined] = []
    index_of: dict[str, int] = {}
    for i, item in enumerate(items):
        try:
            post = map_row(item, cmap, source=source, default_zone=zone, max_text_chars=max_text_chars, date_rule=rule)
        except Exception as exc:  # one bad item costs only itself
            reason = str(exc) if isinstance(exc, RecordError) else f"cannot map the item: {type(exc).__name__}"
            if "fits both day-first and month-first" in reason:
                reason += "; send ISO 8601 (2026-12-04T15:00:00+07:00)"
            result.errors.append((i, reason))
            bad.append(Quarantined(source, f"api item {i}", reason, repr(item)[:2000]))
            continue
        good.append(post)
        index_of.setdefault(post.uid, i)
    stored = store_batch(engine, good, bad, locate=lambda p: f"api item {index_of.get(p.uid)}")
    result.new, result.duplicate = stored.new, stored.duplicate
    result.quarantined = len(bad) + stored.refused
    return result


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
    views: Mapping[str, dict] | None = None,
) -> Stored:
    """Store one batch (new posts and quarantined rows) in one transaction.

    Should the database refuse the batch for a value (not for being unreachable), every post is
    stored on its own and each one refused is quarantined with the database's reason, so one bad
    row never costs the rest. `Post.create` enforces the limits first, so this is the last line.
    `views`: the posts' search-index rows already worked out (see `insert_posts`).
    """
    try:
        with engine.begin() as conn:
            new = insert_posts(conn, good, views)
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
                new = insert_posts(conn, [post], views)
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
