"""Column mapping and value parsing: turn one raw row (a dict) into a `Post`.

Header names are matched case-insensitively after folding spaces and dashes to underscores.
`ColumnMap.from_headers` picks sensible defaults; `--map text=body` overrides them.

>>> cm = ColumnMap.from_headers(["Message", "Created At", "User"], overrides={})
>>> cm.columns["text"], cm.columns["published_at"], cm.columns["author"]
('Message', 'Created At', 'User')
>>> parse_count("1.2K")
1200
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, tzinfo
from typing import Any

from monitio.errors import Invalid
from monitio.records import MAX_COUNT, MAX_TEXT_CHARS, Post, RecordError
from monitio.sources import dates, layouts

FIELDS = (
    "id",
    "text",
    "published_at",
    "url",
    "author",
    "lang",
    "market",
    "likes",
    "shares",
    "comments",
    "views",
    "platform",
    "published_time",
)
"""Monitio fields a column can feed (`platform`: a per-row source; `published_time`: a separate time column)."""

DEFAULT_NAMES = layouts.ALIASES
ALIASES = {
    "date": "published_at",
    "time": "published_time",
    "timestamp": "published_at",
    "created_at": "published_at",
    "language": "lang",
    "country": "market",
    "user": "author",
    "source": "platform",
    "network": "platform",
    "reach": "views",
}
"""Other names accepted for a field in `--map FIELD=COLUMN` and in presets."""

_COUNT_RE = re.compile(r"^\s*([0-9][0-9,_ ]*(?:\.[0-9]+)?)\s*([kKmMbB]?)\s*$")
_MULT = {"": 1, "k": 1_000, "m": 1_000_000, "b": 1_000_000_000}
_MIN_YEAR, _MAX_YEAR = 1990, 2100
MAX_COUNT_CHARS = 40
"""Longest text read as a count; longer values are refused before any parsing."""
MAX_DATE_CHARS = dates.MAX_DATE_CHARS
"""Longest text read as a date; longer values are refused before any parser sees them."""


class MappingError(Invalid):
    """The column mapping is unusable (e.g. no text column); the whole file cannot be read."""


def _fold(name: str) -> str:
    return layouts.fold(name)


def field_name(name: str) -> str:
    """The Monitio field a `--map`/preset key names (`date` -> `published_at`); MappingError if none.

    >>> field_name("Date"), field_name("reach")
    ('published_at', 'views')
    """
    folded = _fold(name)
    field = ALIASES.get(folded, folded)
    if field not in FIELDS:
        raise MappingError(f"unknown field {name!r}; fields are {', '.join(FIELDS)}")
    return field


def parse_map_option(items: Iterable[str]) -> dict[str, str]:
    """Parse `--map` values like ``text=body`` or ``text=body,date=created``.

    >>> parse_map_option(["text=body,date=Created"])
    {'text': 'body', 'published_at': 'Created'}
    """
    out: dict[str, str] = {}
    for item in items:
        for part in str(item).split(","):
            if not part.strip():
                continue
            if "=" not in part:
                raise MappingError(f"--map expects FIELD=COLUMN, got {part.strip()!r}")
            field, column = (p.strip() for p in part.split("=", 1))
            try:
                field = field_name(field)
            except MappingError as exc:
                raise MappingError(f"--map: {exc}") from None
            out[field] = column
    return out


@dataclass(frozen=True)
class ColumnMap:
    """Which source column feeds which `Post` field, and the columns no field uses."""

    columns: dict[str, str]
    ignored: tuple[str, ...] = ()

    @classmethod
    def from_headers(cls, headers: Iterable[str], overrides: Mapping[str, str]) -> ColumnMap:
        headers = [h for h in headers if h is not None and str(h) != ""]
        by_fold: dict[str, str] = {}
        for h in headers:
            by_fold.setdefault(_fold(h), h)
        columns: dict[str, str] = {}
        for field, wanted in overrides.items():
            actual = wanted if wanted in headers else by_fold.get(_fold(wanted))
            if actual is None:
                raise MappingError(
                    f"--map {field}={wanted}: no column {wanted!r}; columns are {', '.join(map(str, headers))}"
                )
            columns[field] = actual
        used = set(columns.values())
        for field in FIELDS:
            if field in columns:
                continue
            for name in DEFAULT_NAMES[field]:
                if name in by_fold and by_fold[name] not in used:
                    columns[field] = by_fold[name]
                    used.add(by_fold[name])
                    break
        if "text" not in columns:
            raise MappingError(
                "no text column found (looked for text, content, message, body, ...); "
                f"columns are {', '.join(map(str, headers)) or 'none'}; use --map text=COLUMN"
            )
        if "published_at" not in columns:
            raise MappingError(
                "no timestamp column found (looked for created_at, timestamp, date, published, ...); "
                f"columns are {', '.join(map(str, headers))}; use --map published_at=COLUMN"
            )
        ordered = {f: columns[f] for f in FIELDS if f in columns}
        return cls(ordered, tuple(h for h in headers if h not in used))


def find_column(headers: Iterable[str], field: str, wanted: str | None = None) -> str | None:
    """The column feeding `field`: `wanted` (matched folded) when given, else the first alias present.

    >>> find_column(["Mention Content", "Date"], "text"), find_column(["Body"], "text", "body")
    ('Mention Content', 'Body')
    """
    headers = [h for h in headers if h]
    by_fold: dict[str, str] = {}
    for h in headers:
        by_fold.setdefault(_fold(h), h)
    if wanted is not None:
        return wanted if wanted in headers else by_fold.get(_fold(wanted))
    return next((by_fold[name] for name in DEFAULT_NAMES[field] if name in by_fold), None)


def parse_count(value: Any) -> int:
    """Engagement counts: ints, '1,234', '1.2K', '3M', empty → 0. Raises ValueError otherwise."""
    if value is None or value == "":
        return 0
    if isinstance(value, str) and len(value) > MAX_COUNT_CHARS:
        raise ValueError(f"not a number: a value of {len(value)} characters")
    if isinstance(value, bool):
        raise ValueError(f"not a number: {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value) or value != int(value):
            raise ValueError(f"not a whole number: {value!r}")
        if abs(value) > MAX_COUNT:
            raise ValueError(f"{value:.3g} is over the largest count {MAX_COUNT} (2^63 - 1)")
        return int(value)
    m = _COUNT_RE.match(str(value))
    if not m:
        raise ValueError(f"not a number: {str(value)[:40]!r}")
    digits = m.group(1).replace(",", "").replace("_", "").replace(" ", "")
    if not m.group(2) and "." not in digits:
        result = int(digits)  # exact: no float rounding of long whole numbers
    else:
        result = float(digits) * _MULT[m.group(2).lower()]
        if not m.group(2) and result != int(result):
            raise ValueError(f"not a whole number: {value!r}")
        result = round(result)
    if result > MAX_COUNT:
        raise ValueError(f"{str(value).strip()[:30]} is over the largest count {MAX_COUNT} (2^63 - 1)")
    return result


def parse_timestamp(value: Any, default_zone: tzinfo, order: dates.Order | None = None) -> datetime:
    """Parse one timestamp (see `monitio.sources.dates`); naive values are read in `default_zone`.

    A day/month value that fits both orders needs `order`; the result is aware UTC.

    >>> from datetime import UTC
    >>> parse_timestamp("2026-11-01T08:00:00+07:00", UTC).isoformat()
    '2026-11-01T01:00:00+00:00'
    >>> parse_timestamp(1700000000, UTC).year
    2023
    """
    try:
        dt = dates.parse_date(value, zone=default_zone, order=order)
    except dates.DateError as exc:
        raise ValueError(str(exc)) from None
    if not _MIN_YEAR <= dt.year <= _MAX_YEAR:
        raise ValueError(f"timestamp {dt.isoformat()} is outside {_MIN_YEAR}-{_MAX_YEAR}")
    return dt


def content_id(text: str, author: str | None, published_at: datetime) -> str:
    """A stable id for rows that carry none, derived from their content."""
    key = f"{text}\x1f{author or ''}\x1f{published_at.isoformat()}"
    return "h:" + hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()


_SURROGATE = re.compile("[\ud800-\udfff]")


def _has_broken_encoding(value: Any) -> bool:
    """Undecodable bytes (kept as surrogates by the readers) or lone surrogates from JSON escapes."""
    return isinstance(value, str) and _SURROGATE.search(value) is not None


def map_row(
    row: Mapping[str, Any],
    cmap: ColumnMap,
    *,
    source: str,
    default_zone: tzinfo,
    max_text_chars: int = MAX_TEXT_CHARS,
    date_rule: dates.DateRule | None = None,
) -> Post:
    """Map one raw row to a Post; raises `RecordError` with a readable reason for the quarantine.

    `date_rule` says how the column's dates are read (the order inferred for the whole file); without
    it a day/month value that fits both orders is refused. A `platform` column makes the post's source
    `SOURCE:platform`, so the ids of different networks never collide.
    """
    strings = [v for kv in row.items() for v in kv if isinstance(v, str)]
    if _SURROGATE.search("".join(strings)):  # one scan; find the column only when there is something
        for key, value in row.items():
            if _has_broken_encoding(value) or _has_broken_encoding(key):
                raise RecordError(f"broken encoding in column {key!r} (bytes that are not valid UTF-8)")
    cols = cmap.columns

    def get(field: str) -> Any:
        col = cols.get(field)
        return None if col is None else row.get(col)

    text = get("text")
    if text is None or (isinstance(text, str) and not text.strip()):
        raise RecordError("no text")
    if not isinstance(text, str):
        if isinstance(text, int | float) and not isinstance(text, bool):
            text = str(text)
        else:
            raise RecordError(f"text must be a string, got {type(text).__name__}")
    when = with_time(get("published_at"), get("published_time"))
    try:
        if date_rule is not None:
            published_at = date_rule.parse(when, default_zone)
        else:
            published_at = parse_timestamp(when, default_zone)
    except ValueError as exc:
        raise RecordError(f"published_at: {exc}") from exc
    platform = get("platform")
    if platform not in (None, ""):
        slug = re.sub(r"[^\w.\-]+", "-", str(platform).strip().casefold()).strip("-")[:40]
        if slug:
            source = f"{source}:{slug}"
    counts: dict[str, int] = {}
    for field in ("likes", "shares", "comments", "views"):
        try:
            counts[field] = parse_count(get(field))
        except ValueError as exc:
            raise RecordError(f"{field}: {exc}") from exc
    author = get("author")
    author = None if author is None else str(author)
    native_id = get("id")
    if isinstance(native_id, float) and native_id == int(native_id):
        native_id = int(native_id)
    source_id = str(native_id).strip() if native_id not in (None, "") else ""
    if not source_id:
        source_id = content_id(text.strip(), author, published_at)
    url = get("url")
    return Post.create(
        source=source,
        source_id=source_id,
        text=text,
        published_at=published_at,
        max_text_chars=max_text_chars,
        url=None if url is None else str(url),
        author=author,
        lang_hint=None if get("lang") is None else str(get("lang")),
        market_hint=None if get("market") is None else str(get("market")),
        raw={k: _jsonable(v) for k, v in row.items() if k is not None and k != cols["text"]},
        **counts,
    )


def with_time(day: Any, clock: Any) -> Any:
    """A date column and a separate time column (Meltwater, CrowdTangle) read as one value."""
    if clock in (None, "") or day in (None, ""):
        return day
    if isinstance(day, datetime) and isinstance(clock, time):
        return datetime.combine(day.date(), clock, day.tzinfo) if day.time() == time() else day
    if isinstance(day, datetime | date):
        day = day.date() if isinstance(day, datetime) and day.time() == time() else day
        if isinstance(day, datetime):
            return day
        day = day.isoformat()
    day_text, clock_text = str(day).strip(), str(clock).strip()
    if ":" in day_text or len(clock_text) > 20:
        return day
    return f"{day_text} {clock_text}"


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)
