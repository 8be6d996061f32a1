"""Generic HTTP JSON API connector: URL template, auth header, dotted field mapping, pagination.

Pagination modes: `cursor` (the next cursor is read from `next_path` in the response), `page`
(`{page}` in the URL counts up from 1) and `offset` (`{offset}` grows by the items received). The auth
header's value comes from an environment variable, never from the config file. 429 answers are
retried after Retry-After by the shared client.

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
        client: HttpClient | None = None,
        max_pages: int = 20,
    ):
        if paging not in ("cursor", "page", "offset", "none"):
            raise ValueError(f"paging must be cursor, page, offset or none, not {paging!r}")
        if "text" not in fields or "published_at" not in fields:
            raise ValueError("fields needs at least 'text' and 'published_at' paths")
        self.name, self.url, self.items_path, self.fields = name, url, items_path, fields
        self.paging, self.next_path, self.page_size = paging, next_path, page_size
        self.auth_header, self.auth_env = auth_header, auth_env
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
            headers[self.auth_header] = secret
        response = self.client.get(self._url(cursor), headers=headers)
        if response.status >= 400:
            raise RuntimeError(f"HTTP {response.status} from {self.name}")
        body = response.json()
        items = get_path(body, self.items_path) if self.items_path else body
        if not isinstance(items, list):
            raise RuntimeError(f"{self.items_path!r} is not a list in the response (the API may have changed)")
        items = [i if isinstance(i, dict) else {"_value": i} for i in items]
        if self.paging == "cursor":
            nxt = get_path(body, self.next_path)
            return Page(items, {"next": nxt} if nxt else {**cursor, "next": cursor.get("next")}, done=not nxt)
        if self.paging == "page":
            return Page(items, {"page": cursor.get("page", 1) + (1 if items else 0)}, done=len(items) < self.page_size)
        if self.paging == "offset":
            return Page(items, {"offset": cursor.get("offset", 0) + len(items)}, done=len(items) < self.page_size)
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
        if native in (None, ""):
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
            url=val("url"),
            author=None if val("author") is None else str(val("author")),
            lang_hint=val("lang"),
            market_hint=val("market"),
            **counts,
        )
