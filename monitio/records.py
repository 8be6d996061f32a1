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
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

MAX_TEXT_CHARS = 20_000
"""Longest text accepted. Longer rows are quarantined rather than truncated silently."""


class RecordError(ValueError):
    """A raw item cannot become a valid record. The message says why, for the quarantine."""


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
        source = (source or "").strip()
        source_id = str(source_id if source_id is not None else "").strip()
        if not source:
            raise RecordError("source is empty")
        if not source_id:
            raise RecordError("source_id is empty")
        if not isinstance(text, str):
            raise RecordError(f"text must be a string, got {type(text).__name__}")
        if "\ufffd" in text:
            raise RecordError("text has broken encoding (U+FFFD replacement characters)")
        text = unicodedata.normalize("NFC", text).strip()
        if not text:
            raise RecordError("text is empty")
        if len(text) > max_text_chars:
            raise RecordError(f"text is {len(text)} characters, over the limit of {max_text_chars}")
        if "\x00" in text:
            raise RecordError("text contains NUL characters")
        if not isinstance(published_at, datetime):
            raise RecordError("published_at must be a datetime")
        if published_at.tzinfo is None:
            raise RecordError("published_at has no time zone")
        published_at = published_at.astimezone(UTC)
        for name in ("likes", "shares", "comments", "views"):
            value = extra.get(name, 0)
            if value is None:
                value = 0
            if isinstance(value, bool) or not isinstance(value, int):
                raise RecordError(f"{name} must be a whole number, got {value!r}")
            if value < 0:
                raise RecordError(f"{name} must not be negative, got {value}")
            extra[name] = value
        for name in ("url", "author", "lang_hint", "market_hint"):
            value = extra.get(name)
            if value is not None:
                value = str(value).strip() or None
            extra[name] = value
        if extra.get("lang_hint"):
            from monitio.enrich.textnorm import bcp47

            extra["lang_hint"] = bcp47(extra["lang_hint"])
        if extra.get("market_hint"):
            extra["market_hint"] = extra["market_hint"].upper()
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

    @property
    def text(self) -> str:
        return self.post.text


@dataclass(frozen=True, slots=True)
class Quarantined:
    """A raw item that could not be mapped, with where it came from and why."""

    source: str
    locator: str
    reason: str
    raw: str
