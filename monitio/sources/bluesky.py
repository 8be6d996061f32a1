"""Bluesky: public post search (`app.bsky.feed.searchPosts`, `cursor` paging).

Covers public posts matching `query` through the public AppView (no login). Posts are newest first;
the cursor pages back through older results within one run.

>>> c = BlueskyConnector("bs", query="scam")
>>> p = c.map_item({"uri": "at://did:plc:x/app.bsky.feed.post/3k1", "author": {"handle": "a.bsky.social"},
...     "record": {"text": "scam ad again", "createdAt": "2026-11-24T08:00:00.000Z", "langs": ["en"]},
...     "likeCount": 2, "repostCount": 1, "replyCount": 0})
>>> p.url, p.lang_hint
('https://bsky.app/profile/a.bsky.social/post/3k1', 'en')
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

from monitio.records import Post, RecordError
from monitio.sources.base import Page
from monitio.sources.mapping import parse_timestamp
from monitio.sources.platforms import PlatformBase


class BlueskyConnector(PlatformBase):
    base_url = "https://public.api.bsky.app/xrpc"

    def fetch(self, cursor: dict[str, Any]) -> Page:
        body = self.get_json(
            "/app.bsky.feed.searchPosts",
            {"q": self.options.get("query", ""), "limit": 100, "sort": "latest", "cursor": cursor.get("cursor")},
        )
        posts = body.get("posts")
        if not isinstance(posts, list):
            raise RuntimeError(f"{self.name}: no posts in the answer (the API may have changed)")
        nxt = body.get("cursor")
        return Page(posts, {"cursor": nxt} if nxt else {}, done=not nxt or not posts)

    def map_item(self, raw: dict[str, Any]) -> Post:
        record, author = raw.get("record") or {}, raw.get("author") or {}
        uri, text = raw.get("uri"), record.get("text")
        if not uri or not text:
            raise RecordError("post has no uri or text")
        try:
            published = parse_timestamp(record.get("createdAt") or raw.get("indexedAt"), UTC)
        except ValueError as exc:
            raise RecordError(f"createdAt: {exc}") from None
        handle = author.get("handle")
        rkey = str(uri).rsplit("/", 1)[-1]
        langs = record.get("langs") or []
        return Post.create(
            source=self.name,
            source_id=str(uri),
            text=str(text),
            published_at=published,
            url=f"https://bsky.app/profile/{handle}/post/{rkey}" if handle else None,
            author=handle,
            likes=int(raw.get("likeCount") or 0),
            shares=int(raw.get("repostCount") or 0),
            comments=int(raw.get("replyCount") or 0),
            lang_hint=(langs[0] if langs else None) or self.lang,
            market_hint=self.market,
        )
