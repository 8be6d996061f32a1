"""Generic HTTP JSON API connector: URL template, auth header, dotted field mapping, pagination.

Covers any JSON API that lists items. `url` is a template with `{cursor}`, `{page}`, `{offset}` and
`{size}`; `items_path` and `fields` are dotted paths (`data.items`, `user.name`, `media.0.caption`).
Pagination modes: `cursor` (the next cursor is read from `next_path`; when the answer has none the
last cursor is kept, so the next run asks again from there), `page` (`{page}` counts up from 1 and only
moves on after a full page) and `offset` (`{offset}` grows by the items received); `none` fetches one
page. Credentials: the auth header's value comes from the environment variable `auth_env` (optionally
prefixed, e.g. `auth_prefix = "Bearer "`), never from the config file. Limits: 429 answers are waited
out per Retry-After and 5xx retried by the shared client; a response without a list at `items_path`
fails the run (the API has changed) rather than looking empty.

>>> get_path({"a": {"b": [{"c": 5}]}}, "a.b.0.c")
5
"""

from __future__ import annotations

import os
from datetime import UTC
from typing import Any
from urllib.parse import quote

from monitio.net import HttpClient
from monitio.records import Post, RecordError
from monitio.sources.base import Page
from monitio.sources.mapping import parse_count, parse_timestamp


def get_path(obj: Any, path: str | None) -> Any:
    """Follow a dotted path through dicts and lists (`data.items.0.text`); None when absent."""
    if not path:
        return None
    for part in path.split("."):
        if isinstance(obj, dict):
            obj = obj.get(part)
        elif isinstance(obj, list) and part.lstrip("-").isdigit() and -len(obj) <= int(part) < len(obj):
            obj = obj[int(part)]
        else:
            return None
    return obj


def _scalar(value: Any) -> str | None:
    return str(value) if isinstance(value, str | int) and not isinstance(value, bool) else None


class HttpJsonConnector:
    def __init__(
        self,
        name: str,
        url: str,
        *,
        items_path: str,
        fields: dict[str, str],
        paging: str = "cursor",
        next_path: str | None = None,
        page_size: int = 100,
        auth_header: str | None = None,
        auth_env: str | None = None,
        auth_prefix: str = "",
        client: HttpClient | None = None,
        market: str | None = None,
        lang: str | None = None,
    ):
        if paging not in ("cursor", "page", "offset", "none"):
            raise ValueError(f"paging must be cursor, page, offset or none, not {paging!r}")
        if "text" not in fields or "published_at" not in fields:
            raise ValueError("fields needs at least 'text' and 'published_at' paths")
        self.name, self.url, self.items_path, self.fields = name, url, items_path, fields
        self.paging, self.next_path, self.page_size = paging, next_path, page_size
        self.auth_header, self.auth_env, self.auth_prefix = auth_header, auth_env, auth_prefix
        self.market, self.lang = market, lang
        self.client = client or HttpClient()

    def _url(self, cursor: dict[str, Any]) -> str:
        return self.url.format(
            cursor=quote(str(cursor.get("next") or ""), safe=""),
            page=cursor.get("page", 1),
            offset=cursor.get("offset", 0),
            size=self.page_size,
        )

    def fetch(self, cursor: dict[str, Any]) -> Page:
        headers = {"Accept": "application/json"}
        if self.auth_header and self.auth_env:
            secret = os.environ.get(self.auth_env)
            if not secret:
                raise RuntimeError(f"the credential {self.auth_env} is not set in the environment")
            headers[self.auth_header] = self.auth_prefix + secret
        response = self.client.get(self._url(cursor), headers=headers)
        if response.status >= 400:
            raise RuntimeError(f"HTTP {response.status} from {self.name}: {response.content[:200]!r}")
        body = response.json()
        items = get_path(body, self.items_path) if self.items_path else body
        if not isinstance(items, list):
            raise RuntimeError(f"{self.items_path!r} is not a list in the response (the API may have changed)")
        if self.paging == "cursor":
            nxt = _scalar(get_path(body, self.next_path))
            if nxt and nxt != str(cursor.get("next")):
                return Page(items, {"next": nxt}, done=False)
            return Page(items, dict(cursor), done=True)
        if self.paging == "page":
            full = len(items) >= self.page_size
            return Page(items, {"page": int(cursor.get("page", 1)) + (1 if full else 0)}, done=not full)
        if self.paging == "offset":
            offset = int(cursor.get("offset", 0)) + len(items)
            return Page(items, {"offset": offset}, done=len(items) < self.page_size)
        return Page(items, cursor, True)

    def map_item(self, raw: dict[str, Any]) -> Post:
        f = self.fields

        def val(key: str) -> Any:
            return get_path(raw, f.get(key))

        text = val("text")
        if not isinstance(text, str) or not text.strip():
            raise RecordError(f"no text at {f['text']!r}")
        try:
            published = parse_timestamp(val("published_at"), UTC)
        except ValueError as exc:
            raise RecordError(f"published_at: {exc}") from None
        native = val("id")
        if not isinstance(native, str | int | float) or isinstance(native, bool) or str(native).strip() == "":
            raise RecordError(f"no id at {f.get('id')!r}")
        counts = {}
        for key in ("likes", "shares", "comments", "views"):
            try:
                counts[key] = parse_count(val(key))
            except ValueError as exc:
                raise RecordError(f"{key}: {exc}") from None
        return Post.create(
            source=self.name,
            source_id=str(native),
            text=text,
            published_at=published,
            url=_scalar(val("url")),
            author=_scalar(val("author")),
            lang_hint=_scalar(val("lang")) or self.lang,
            market_hint=_scalar(val("market")) or self.market,
            **counts,
        )
