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
from datetime import UTC, datetime, tzinfo
from typing import Any

from dateutil import parser as dateparser

from monitio.errors import Invalid
from monitio.records import MAX_TEXT_CHARS, Post, RecordError

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
)

DEFAULT_NAMES: dict[str, tuple[str, ...]] = {
    "id": ("id", "post_id", "source_id", "tweet_id", "message_id", "comment_id", "item_id", "guid", "uid"),
    "text": ("text", "content", "message", "body", "full_text", "caption", "comment", "post", "description"),
    "published_at": (
        "published_at",
        "created_at",
        "timestamp",
        "date",
        "published",
        "time",
        "datetime",
        "created",
        "posted_at",
        "created_time",
        "date_time",
    ),
    "url": ("url", "link", "permalink", "post_url"),
    "author": ("author", "user", "username", "user_name", "screen_name", "author_name", "handle", "account"),
    "lang": ("lang", "language", "language_code"),
    "market": ("market", "country", "country_code", "region"),
    "likes": ("likes", "like_count", "favorite_count", "favorites", "reactions", "digg_count"),
    "shares": ("shares", "share_count", "retweets", "retweet_count", "reposts", "repost_count"),
    "comments": ("comments", "comment_count", "replies", "reply_count"),
    "views": ("views", "view_count", "impressions", "play_count", "plays"),
}
ALIASES = {
    "date": "published_at",
    "time": "published_at",
    "timestamp": "published_at",
    "created_at": "published_at",
    "language": "lang",
    "country": "market",
    "user": "author",
}

_COUNT_RE = re.compile(r"^\s*([0-9][0-9,_ ]*(?:\.[0-9]+)?)\s*([kKmMbB]?)\s*$")
_MULT = {"": 1, "k": 1_000, "m": 1_000_000, "b": 1_000_000_000}
_MIN_YEAR, _MAX_YEAR = 1990, 2100


class MappingError(Invalid):
    """The column mapping is unusable (e.g. no text column); the whole file cannot be read."""


def _fold(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", str(name).strip().lower())


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
            field = ALIASES.get(_fold(field), _fold(field))
            if field not in FIELDS:
                raise MappingError(f"--map: unknown field {field!r}; fields are {', '.join(FIELDS)}")
            out[field] = column
    return out


@dataclass(frozen=True)
class ColumnMap:
    """Which source column feeds which `Post` field."""

    columns: dict[str, str]

    @classmethod
    def from_headers(cls, headers: Iterable[str], overrides: Mapping[str, str]) -> ColumnMap:
        headers = [h for h in headers if h is not None]
        by_fold = {_fold(h): h for h in headers}
        columns: dict[str, str] = {}
        for field in FIELDS:
            if field in overrides:
                wanted = overrides[field]
                actual = wanted if wanted in headers else by_fold.get(_fold(wanted))
                if actual is None:
                    raise MappingError(
                        f"--map {field}={wanted}: no column {wanted!r}; columns are {', '.join(headers)}"
                    )
                columns[field] = actual
                continue
            for name in DEFAULT_NAMES[field]:
                if name in by_fold:
                    columns[field] = by_fold[name]
                    break
        if "text" not in columns:
            raise MappingError(
                "no text column found (looked for text, content, message, body, ...); "
                f"columns are {', '.join(map(str, headers)) or 'none'}; use --map text=COLUMN"
            )
        if "published_at" not in columns:
            raise MappingError(
                "no timestamp column found (looked for created_at, timestamp, date, published, ...); "
                "use --map published_at=COLUMN"
            )
        return cls(columns)


def parse_count(value: Any) -> int:
    """Engagement counts: ints, '1,234', '1.2K', '3M', empty → 0. Raises ValueError otherwise."""
    if value is None or value == "":
        return 0
    if isinstance(value, bool):
        raise ValueError(f"not a number: {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value) or value != int(value):
            raise ValueError(f"not a whole number: {value!r}")
        return int(value)
    m = _COUNT_RE.match(str(value))
    if not m:
        raise ValueError(f"not a number: {str(value)[:40]!r}")
    number = float(m.group(1).replace(",", "").replace("_", "").replace(" ", ""))
    result = number * _MULT[m.group(2).lower()]
    if not m.group(2) and result != int(result):
        raise ValueError(f"not a whole number: {value!r}")
    return round(result)


def parse_timestamp(value: Any, default_zone: tzinfo) -> datetime:
    """Parse ISO 8601, RFC 2822, 'YYYY-MM-DD HH:MM:SS', dates and epoch seconds/milliseconds.

    Naive values are read in `default_zone`; the result is aware UTC.

    >>> parse_timestamp("2026-11-01T08:00:00+07:00", UTC).isoformat()
    '2026-11-01T01:00:00+00:00'
    >>> parse_timestamp(1700000000, UTC).year
    2023
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValueError("timestamp is empty")
    if isinstance(value, datetime):
        dt = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        dt = _from_epoch(float(value))
    else:
        text = str(value).strip()
        if re.fullmatch(r"\d{9,13}(\.\d+)?", text):
            dt = _from_epoch(float(text))
        else:
            try:
                dt = dateparser.isoparse(text)
            except (ValueError, OverflowError):
                try:
                    dt = dateparser.parse(text, fuzzy=False)
                except (ValueError, OverflowError, TypeError) as exc:
                    raise ValueError(f"unparseable timestamp {text[:40]!r}") from exc
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=default_zone)
    dt = dt.astimezone(UTC)
    if not _MIN_YEAR <= dt.year <= _MAX_YEAR:
        raise ValueError(f"timestamp {dt.isoformat()} is outside {_MIN_YEAR}-{_MAX_YEAR}")
    return dt


def _from_epoch(seconds: float) -> datetime:
    if seconds > 1e11:  # milliseconds
        seconds /= 1000.0
    try:
        return datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, OSError, ValueError) as exc:
        raise ValueError(f"epoch timestamp {seconds} out of range") from exc


def content_id(text: str, author: str | None, published_at: datetime) -> str:
    """A stable id for rows that carry none, derived from their content."""
    key = f"{text}\x1f{author or ''}\x1f{published_at.isoformat()}"
    return "h:" + hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()


def _has_broken_encoding(value: Any) -> bool:
    return isinstance(value, str) and any("\udc80" <= ch <= "\udcff" for ch in value)


def map_row(
    row: Mapping[str, Any],
    cmap: ColumnMap,
    *,
    source: str,
    default_zone: tzinfo,
    max_text_chars: int = MAX_TEXT_CHARS,
) -> Post:
    """Map one raw row to a Post; raises `RecordError` with a readable reason for the quarantine."""
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
    try:
        published_at = parse_timestamp(get("published_at"), default_zone)
    except ValueError as exc:
        raise RecordError(f"published_at: {exc}") from exc
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
        raw={k: _jsonable(v) for k, v in row.items() if k is not None},
        **counts,
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)
