"""Bluesky: public post search (`app.bsky.feed.searchPosts`, `cursor` paging).

Covers public posts matching `query` (words, "phrases", `lang:id`, `from:handle`, `#tag`) through an
AppView (default the public one; `url` may point at another). Results are newest first
(`sort=latest`); a run follows `cursor` back until posts of the previous sweep appear (see
`base.sweep`) and asks only for posts `since` that sweep. Credentials: none for the public AppView;
if `BLUESKY_TOKEN` (an access JWT) is set it is sent as a bearer token, which some AppViews require
for search. Limits: only what the AppView has indexed; deep paging is capped by the service (a few
thousand results); deleted posts disappear from results.

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
from monitio.sources.base import Page, sweep
from monitio.sources.mapping import parse_count, parse_timestamp
from monitio.sources.platforms import PlatformBase


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


class BlueskyConnector(PlatformBase):
    base_url = "https://public.api.bsky.app/xrpc"
    credential_env = "BLUESKY_TOKEN"

    def fetch(self, cursor: dict[str, Any]) -> Page:
        token = self.credential()
        high = cursor.get("high")
        params = {
            "q": self.options.get("query", ""),
            "limit": 100,
            "sort": "latest",
            "cursor": cursor.get("token"),
            "since": high.replace("+00:00", "Z") if high else None,
        }
        body = self.get_json(
            "/app.bsky.feed.searchPosts", params, {"Authorization": f"Bearer {token}"} if token else None
        )
        posts = body.get("posts") if isinstance(body, dict) else None
        if not isinstance(posts, list):
            raise RuntimeError(f"{self.name}: no posts in the answer (the API may have changed)")
        times = [_dict(_dict(p).get("record")).get("createdAt") for p in posts]
        next_cursor, done = sweep(cursor, body.get("cursor") if posts else None, times)
        return Page(posts, next_cursor, done)

    def map_item(self, raw: dict[str, Any]) -> Post:
        record, author = _dict(raw.get("record")), _dict(raw.get("author"))
        uri, text = raw.get("uri"), record.get("text")
        if not isinstance(uri, str) or not uri.strip() or not isinstance(text, str) or not text.strip():
            raise RecordError("post has no uri or record.text")
        try:
            published = parse_timestamp(record.get("createdAt") or raw.get("indexedAt"), UTC)
            likes, shares = parse_count(raw.get("likeCount")), parse_count(raw.get("repostCount"))
            comments = parse_count(raw.get("replyCount"))
        except ValueError as exc:
            raise RecordError(f"createdAt or counts: {exc}") from None
        handle = author.get("handle") if isinstance(author.get("handle"), str) else None
        langs = record.get("langs") if isinstance(record.get("langs"), list) else []
        lang = langs[0] if langs and isinstance(langs[0], str) else None
        return Post.create(
            source=self.name,
            source_id=uri.strip(),
            text=text,
            published_at=published,
            url=f"https://bsky.app/profile/{handle}/post/{uri.rsplit('/', 1)[-1]}" if handle else None,
            author=handle,
            likes=likes,
            shares=shares,
            comments=comments,
            lang_hint=(lang.split("-")[0] if lang else None) or self.lang,
            market_hint=self.market,
        )
