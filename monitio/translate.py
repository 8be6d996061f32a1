"""Optional machine translation of evidence posts into English, for readers of briefs and responses.

Off by default. A team that runs a translation service sets `translation_url` (a LibreTranslate-
compatible `/translate` endpoint; `translation_api_key` if it needs one). Then:

- only evidence posts are sent (a brief's or a response's), never whole workspaces;
- posts from sources listed in `translation_restricted_sources`, or whose raw row says
  `"restricted": true`, are never sent;
- every call goes through the one outbound client (`monitio.net.HttpClient`): the private-address guard,
  timeouts, retries and a size limit apply; a translation server on the team's own network must be
  listed in `outbound_allow`;
- results are cached per (text, source language) in the `translations` table, so a text is sent once;
- a translation is always shown marked as machine translation, beside the original.

>>> len(text_key("Refund belum masuk", "id")), text_key("x", "id") == text_key("x", "ms")
(40, False)
>>> _api_lang("hi-Latn"), _api_lang("th")
('auto', 'th')
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from sqlalchemy import select

from monitio.errors import Unavailable
from monitio.net import FetchError, HttpClient
from monitio.store.repo import dialect_insert
from monitio.store.schema_briefs import translations

MAX_CHARS = 2000  # a post's text is cut to this before it is sent


class Translator(Protocol):
    """Translate texts from `source` (a language code, or "auto") into English."""

    name: str

    def translate(self, texts: list[str], source: str) -> list[str]: ...


def text_key(text: str, source: str) -> str:
    """The cache key of one text in one source language."""
    return hashlib.sha1(f"{source}\x1f{text}".encode(), usedforsecurity=False).hexdigest()


def _api_lang(code: str | None) -> str:
    """Monitio's codes to the service's: base language only; romanised forms go as 'auto'."""
    if not code or code == "und" or "-" in code:
        return "auto"
    return code


@dataclass
class LibreTranslate:
    """A LibreTranslate-compatible HTTP API (`POST /translate` with q, source, target, format)."""

    url: str
    client: HttpClient
    api_key: str | None = None
    name: str = "LibreTranslate"

    def translate(self, texts: list[str], source: str) -> list[str]:
        body = {"q": texts, "source": _api_lang(source), "target": "en", "format": "text"}
        if self.api_key:
            body["api_key"] = self.api_key
        endpoint = self.url.rstrip("/")
        if not endpoint.endswith("/translate"):
            endpoint += "/translate"
        try:
            r = self.client.post(endpoint, json.dumps(body).encode(), headers={"Content-Type": "application/json"})
        except FetchError as exc:
            raise Unavailable(f"the translation service did not answer: {exc}") from None
        if r.status != 200:
            raise Unavailable(f"the translation service answered HTTP {r.status}")
        try:
            out = r.json()["translatedText"]
        except (ValueError, KeyError, TypeError):
            raise Unavailable("the translation service sent an answer without translatedText") from None
        out = out if isinstance(out, list) else [out]
        if len(out) != len(texts) or not all(isinstance(t, str) for t in out):
            raise Unavailable("the translation service sent a different number of translations")
        return out


def translator_from_settings(settings) -> Translator | None:
    """The configured translator, or None when translation is off."""
    url = getattr(settings, "translation_url", None)
    if not url:
        return None
    return LibreTranslate(
        url=url,
        client=HttpClient.from_settings(settings, retries=2, timeout=30.0),
        api_key=getattr(settings, "translation_api_key", None),
    )


def is_restricted(settings, source: str, raw: dict | None) -> bool:
    """Posts a workspace marks as restricted are never sent to a translation service."""
    if source in set(getattr(settings, "translation_restricted_sources", None) or []):
        return True
    return bool(isinstance(raw, dict) and raw.get("restricted") in (True, "true", "yes", "1", 1))


def translate_cached(engine, translator: Translator, items: list[tuple[str, str | None]]) -> list[str | None]:
    """English for each (text, lang): from the cache, else one call per source language; None for English."""
    out: list[str | None] = [None] * len(items)
    keys = [text_key(t[:MAX_CHARS], lang or "auto") for t, lang in items]
    todo: dict[str, list[int]] = {}
    with engine.connect() as conn:
        cached = dict(
            conn.execute(select(translations.c.key, translations.c.text).where(translations.c.key.in_(set(keys)))).all()
        )
    for i, ((text, lang), key) in enumerate(zip(items, keys, strict=True)):
        if (lang or "").startswith("en") or not text.strip():
            continue
        if key in cached:
            out[i] = cached[key]
        else:
            todo.setdefault(lang or "auto", []).append(i)
    now = datetime.now(UTC)
    for lang, idx in todo.items():
        texts = [items[i][0][:MAX_CHARS] for i in idx]
        english = translator.translate(texts, lang)
        rows = []
        for i, t in zip(idx, english, strict=True):
            out[i] = t
            rows.append({"key": keys[i], "source": lang, "backend": translator.name, "text": t, "created_at": now})
        with engine.begin() as conn:
            conn.execute(dialect_insert(conn, translations).on_conflict_do_nothing(), rows)
    return out
