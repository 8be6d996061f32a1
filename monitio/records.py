"""Typed records that flow through Monitio.

`Post` is the one record every source produces and every stage reads. Its `uid` is derived from
`source` and `source_id` only, so the same item from the same source is always the same post:

>>> from datetime import datetime, timezone
>>> p = Post.create(source="tiktok-export", source_id="42", text="Refund never came",
...                 published_at=datetime(2026, 11, 1, 8, tzinfo=timezone.utc))
>>> p.uid == Post.make_uid("tiktok-export", "42")
True
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from monitio.errors import Invalid

MAX_TEXT_CHARS = 20_000
"""Longest text accepted. Longer rows are quarantined rather than truncated silently."""

LIMITS: dict[str, int] = {
    "source": 200,
    "source_id": 500,
    "author": 500,
    "url": 4000,
    "lang_hint": 20,
    "market_hint": 20,
}
"""Longest value per field, the same on every backend (the column sizes of `posts`). Over: quarantined."""
MAX_COUNT = 2**63 - 1
"""Largest engagement count (a signed 64-bit column on every backend)."""
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
"""Posts dated before this are refused (a misread date, not a post)."""
FUTURE_TOLERANCE = timedelta(days=1)
"""How far past now a `published_at` may lie (clock skew, a zone read one day off) before it is refused."""
RAW_MAX_VALUE_CHARS = 2000
RAW_MAX_KEYS = 100
RAW_MAX_CHARS = 32_000
"""Bounds of `Post.raw` (the extra columns kept beside the mapped fields): per value, keys, whole JSON."""
QUARANTINE_MAX_RAW = 20_000


class RecordError(Invalid):
    """A raw item cannot become a valid record. The message says why, for the quarantine."""


_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def unstorable(value: str) -> str | None:
    """Why a string cannot be stored as it is (NUL, lone surrogates), or None when it can.

    >>> unstorable("ok"), unstorable("a\\x00b"), unstorable("\\ud800")
    (None, 'contains NUL characters', 'has broken encoding (a lone surrogate, not valid Unicode)')
    """
    m = _UNSTORABLE.search(value)
    if m is None:
        return None
    return (
        "contains NUL characters"
        if m.group() == "\x00"
        else ("has broken encoding (a lone surrogate, not valid Unicode)")
    )


def storable(value: str, limit: int | None = None) -> str:
    """A copy safe for any backend: NUL and lone surrogates become U+FFFD, cut to `limit` characters.

    >>> storable("a\\x00b\\ud800", 10)
    'a\\ufffdb\\ufffd'
    """
    if limit is not None and len(value) > limit:
        value = value[: limit - 1] + "\u2026"  # cut first: never scan more than is kept
    return _UNSTORABLE.sub("\ufffd", value)


def bound_raw(raw: Any) -> dict[str, Any]:
    """`raw` made JSON-safe and bounded: strings cut to RAW_MAX_VALUE_CHARS, at most RAW_MAX_KEYS keys
    and RAW_MAX_CHARS of JSON; what was cut or dropped is listed under `_truncated` / `_dropped`.

    >>> r = bound_raw({"Reach": 120, "note": "x" * 5000})
    >>> r["Reach"], len(r["note"]), r["_truncated"]
    (120, 2000, ['note'])
    """
    if not isinstance(raw, dict):
        return {}
    if len(raw) <= RAW_MAX_KEYS and all(type(k) is str and _plain(v) for k, v in raw.items()):
        blob = json.dumps(raw, ensure_ascii=False)
        if len(blob) <= RAW_MAX_CHARS and "\\u0000" not in blob and not _UNSTORABLE.search(blob):
            return dict(raw)  # the common case: already small, flat and storable
    out: dict[str, Any] = {}
    truncated: list[str] = []
    dropped: list[str] = []
    used = 2
    for key, value in raw.items():
        key = storable(str(key), 200)
        if len(out) >= RAW_MAX_KEYS:
            dropped.append(key)
            continue
        clean, cut = _bound_value(value, 0)
        size = len(key) + 6 + _json_size(clean)
        if used + size > RAW_MAX_CHARS:
            dropped.append(key)
            continue
        used += size
        out[key] = clean
        if cut:
            truncated.append(key)
    if truncated:
        out["_truncated"] = truncated[:RAW_MAX_KEYS]
    if dropped:
        out["_dropped"] = dropped[:RAW_MAX_KEYS]
    return out


def _plain(value: Any) -> bool:
    kind = type(value)
    if kind is str:
        return len(value) <= RAW_MAX_VALUE_CHARS
    if kind is int:
        return -MAX_COUNT <= value <= MAX_COUNT
    if kind is float:
        return value == value and value not in (float("inf"), float("-inf"))
    return value is None or kind is bool


def _json_size(value: Any) -> int:
    """About the length of `value` as JSON (exact enough for a budget; cheap for scalars)."""
    if isinstance(value, str):
        return len(value) + 2 + value.count('"') + value.count("\\")
    if value is None or isinstance(value, bool | int | float):
        return 24
    return len(json.dumps(value, ensure_ascii=False))


def _bound_value(value: Any, depth: int) -> tuple[Any, bool]:
    if value is None or isinstance(value, bool | int):
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_COUNT:
            return str(value)[:RAW_MAX_VALUE_CHARS], False
        return value, False
    if isinstance(value, float):
        return (value if value == value and abs(value) != float("inf") else None), False
    if isinstance(value, datetime):
        return value.isoformat(), False
    if depth < 3 and isinstance(value, dict):
        items = [(storable(str(k), 200), _bound_value(v, depth + 1)) for k, v in list(value.items())[:50]]
        return {k: v for k, (v, _) in items}, len(value) > 50 or any(c for _, (_, c) in items)
    if depth < 3 and isinstance(value, list | tuple):
        items = [_bound_value(v, depth + 1) for v in list(value)[:50]]
        return [v for v, _ in items], len(value) > 50 or any(c for _, c in items)
    text = str(value)
    return storable(text, RAW_MAX_VALUE_CHARS), len(text) > RAW_MAX_VALUE_CHARS


@dataclass(frozen=True, slots=True)
class Post:
    """One public post, comment, article or message, as its source gave it."""

    source: str
    source_id: str
    uid: str
    text: str
    published_at: datetime
    url: str | None = None
    author: str | None = None
    likes: int = 0
    shares: int = 0
    comments: int = 0
    views: int = 0
    lang_hint: str | None = None
    market_hint: str | None = None
    raw: dict[str, Any] = field(default_factory=dict, compare=False)

    @staticmethod
    def make_uid(source: str, source_id: str) -> str:
        """A stable 32-hex-digit id from the source name and the item's own id there."""
        digest = hashlib.blake2b(f"{source}\x1f{source_id}".encode(), digest_size=16)
        return digest.hexdigest()

    @property
    def engagement(self) -> int:
        """Likes + shares + comments (views are reach, not engagement)."""
        return self.likes + self.shares + self.comments

    @classmethod
    def create(
        cls,
        *,
        source: str,
        source_id: str,
        text: str,
        published_at: datetime,
        max_text_chars: int = MAX_TEXT_CHARS,
        **extra: Any,
    ) -> Post:
        """Validate and build a post; raises `RecordError` with a readable reason.

        >>> try:
        ...     Post.create(source="s", source_id="1", text="  ", published_at=datetime.now(UTC))
        ... except RecordError as exc:
        ...     print(exc)
        text is empty
        """
        source = (source or "").strip() if isinstance(source, str) else ""
        source_id = str(source_id if source_id is not None else "").strip()
        if not source:
            raise RecordError("source is empty")
        if not source_id:
            raise RecordError("source_id is empty")
        if not isinstance(text, str):
            raise RecordError(f"text must be a string, got {type(text).__name__}")
        if len(text) > 4 * max_text_chars + 1000:  # before any normalisation work on a huge value
            raise RecordError(f"text is {len(text)} characters, over the limit of {max_text_chars}")
        if "\ufffd" in text:
            raise RecordError("text has broken encoding (U+FFFD replacement characters)")
        problem = unstorable(text)
        if problem:
            raise RecordError(f"text {problem}")
        text = unicodedata.normalize("NFC", text).strip()
        if not text:
            raise RecordError("text is empty")
        if len(text) > max_text_chars:
            raise RecordError(f"text is {len(text)} characters, over the limit of {max_text_chars}")
        if not isinstance(published_at, datetime):
            raise RecordError("published_at must be a datetime")
        if published_at.tzinfo is None:
            raise RecordError("published_at has no time zone")
        published_at = published_at.astimezone(UTC)
        check_published_at(published_at)
        for name in ("likes", "shares", "comments", "views"):
            value = extra.get(name, 0)
            if value is None:
                value = 0
            if isinstance(value, bool) or not isinstance(value, int):
                raise RecordError(f"{name} must be a whole number, got {value!r}"[:200])
            if value < 0:
                raise RecordError(f"{name} must not be negative, got {value}"[:200])
            if value > MAX_COUNT:
                raise RecordError(f"{name} is {value:.3g}, over the largest count {MAX_COUNT} (2^63 - 1)")
            extra[name] = value
        for name in ("url", "author", "lang_hint", "market_hint"):
            value = extra.get(name)
            if value is not None:
                value = str(value).strip() or None
            extra[name] = value
        for name, value in (
            ("source", source),
            ("source_id", source_id),
            *((n, extra[n]) for n in LIMITS if n in extra),
        ):
            if value is None:
                continue
            problem = unstorable(value)
            if problem:
                raise RecordError(f"{name} {problem}")
            if len(value) > LIMITS[name]:
                raise RecordError(f"{name} is {len(value)} characters, over the limit of {LIMITS[name]}")
        if extra.get("lang_hint"):
            from monitio.enrich.textnorm import bcp47

            extra["lang_hint"] = bcp47(extra["lang_hint"])
        if extra.get("market_hint"):
            extra["market_hint"] = extra["market_hint"].upper()
        extra["raw"] = bound_raw(extra.get("raw") or {})
        return cls(
            source=source,
            source_id=source_id,
            uid=cls.make_uid(source, source_id),
            text=text,
            published_at=published_at,
            **extra,
        )


@dataclass(slots=True)
class CategoryHit:
    """Why a post was put in a risk category: the rule that matched and the terms it saw."""

    category: str
    rule: str
    terms: list[str]
    weight: float = 1.0


@dataclass(slots=True)
class Doc:
    """A post on its way through the enrichment pipeline; stages fill in the fields.

    >>> d = Doc(post_id=1, post=Post.create(source="s", source_id="1", text="hi",
    ...                                      published_at=datetime(2026, 1, 1, tzinfo=UTC)))
    >>> d.lang is None and d.categories == {}
    True
    """

    post_id: int | None
    post: Post
    lang: str | None = None
    script: str | None = None
    lang_confidence: float = 0.0
    mixed_langs: tuple[str, ...] = ()
    market: str | None = None
    sentiment: float = 0.0
    sentiment_label: str = "neutral"
    complaint: bool = False
    """An unmet expectation ("still no refund", "belum sampai"), set with the sentiment."""
    categories: dict[str, CategoryHit] = field(default_factory=dict)
    risk_score: float = 0.0
    dup_key: str | None = None
    indicators: dict[str, list[str]] = field(default_factory=dict)
    """Scam indicators found in the text, by kind (phone, link, wallet, ...)."""
    model_scores: dict[str, float] = field(default_factory=dict)
    """Probability per risk category from the workspace's trained models (`RiskModelStage`)."""
    dup_sig: bytes | None = None
    """MinHash signature of the copy-paste text (`minhash.to_bytes`), set with `dup_key` by the stage."""

    @property
    def text(self) -> str:
        return self.post.text


def check_published_at(when: datetime, now: datetime | None = None) -> None:
    """Refuse times no post can have: before 2000, or later than now plus `FUTURE_TOLERANCE`.

    >>> check_published_at(datetime(1999, 12, 31, tzinfo=UTC))
    Traceback (most recent call last):
    ...
    monitio.records.RecordError: published_at 1999-12-31T00:00:00+00:00 is before 2000-01-01: a misread date?
    """
    if when < EARLIEST:
        raise RecordError(f"published_at {when.isoformat()} is before {EARLIEST.date()}: a misread date?")
    now = now or datetime.now(UTC)
    if when > now + FUTURE_TOLERANCE:
        raise RecordError(
            f"published_at {when.isoformat()} is in the future (now {now.replace(microsecond=0).isoformat()}): "
            "a misread date or a wrong zone?"
        )


@dataclass(frozen=True, slots=True)
class Quarantined:
    """A raw item that could not be mapped, with where it came from and why.

    Every field is made storable on creation (NUL and lone surrogates replaced, lengths capped), so
    writing a quarantined row can never fail on the value that got it quarantined.

    >>> Quarantined("s", "row 1", "bad", "\\ud800").raw
    '\\ufffd'
    """

    source: str
    locator: str
    reason: str
    raw: str

    def __post_init__(self) -> None:
        for name, limit in (("source", 200), ("locator", 500), ("reason", 2000), ("raw", QUARANTINE_MAX_RAW)):
            value = getattr(self, name)
            value = "" if value is None else str(value)
            object.__setattr__(self, name, storable(value, limit))
