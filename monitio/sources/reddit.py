"""Reddit: search results or a subreddit's newest posts (Listing JSON, `after` cursor).

Covers public posts (not comments) matching `query` (`/search.json?sort=new`), in `subreddit`
(`/r/NAME/new.json`), or both (`/r/NAME/search.json?restrict_sr=1`). Listings are newest first: a run
follows `after` back until it reaches posts seen by the previous sweep (see `base.sweep`), so a restart
resumes mid-sweep. Credentials: optional OAuth bearer token in `REDDIT_TOKEN` (then requests go to
oauth.reddit.com). Limits: Reddit lists at most ~1000 posts per listing; unauthenticated access is
rate limited hard (429 answers are waited out per Retry-After); removed/deleted posts come without
text and are quarantined.

>>> c = RedditConnector("rd", query="scam ad")
>>> p = c.map_item({"kind": "t3", "data": {"id": "a1", "title": "Scam ad", "selftext": "lost money",
...     "author": "u1", "created_utc": 1795500000, "permalink": "/r/x/comments/a1/", "score": 5, "num_comments": 2}})
>>> p.source_id, p.text, p.url
('a1', 'Scam ad. lost money', 'https://www.reddit.com/r/x/comments/a1/')
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

from monitio.records import Post, RecordError
from monitio.sources.base import Page, sweep
from monitio.sources.mapping import parse_count, parse_timestamp
from monitio.sources.platforms import PlatformBase

GONE = ("[removed]", "[deleted]")


class RedditConnector(PlatformBase):
    base_url = "https://www.reddit.com"
    credential_env = "REDDIT_TOKEN"

    def fetch(self, cursor: dict[str, Any]) -> Page:
        token = self.credential()
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        if token and self.base_url == RedditConnector.base_url:
            self.base_url = "https://oauth.reddit.com"
        sub, query = self.options.get("subreddit"), self.options.get("query")
        path = f"/r/{sub}/search.json" if sub and query else f"/r/{sub}/new.json" if sub else "/search.json"
        params: dict[str, Any] = {"limit": 100, "after": cursor.get("token"), "raw_json": 1}
        if query:
            params.update({"q": query, "sort": "new", "type": "link", "restrict_sr": 1 if sub else None})
        body = self.get_json(path, params, headers)
        data = body.get("data") if isinstance(body, dict) else None
        children = data.get("children") if isinstance(data, dict) else None
        if not isinstance(children, list):
            raise RuntimeError(f"{self.name}: no data.children in the answer (the API may have changed)")
        times = [
            c["data"].get("created_utc") for c in children if isinstance(c, dict) and isinstance(c.get("data"), dict)
        ]
        next_cursor, done = sweep(cursor, data.get("after") if children else None, times)
        return Page(children, next_cursor, done)

    def map_item(self, raw: dict[str, Any]) -> Post:
        d = raw.get("data") if isinstance(raw.get("data"), dict) else raw
        if raw.get("kind") not in (None, "t3"):
            raise RecordError(f"not a post (kind {raw.get('kind')!r})")
        title, body = (d.get(k) if isinstance(d.get(k), str) else "" for k in ("title", "selftext"))
        title, body = ("" if t.strip() in GONE else t.strip() for t in (title, body))
        text = ". ".join(t for t in (title, body) if t)
        if not text:
            raise RecordError("post has no title or text (deleted or removed)")
        native = d.get("id")
        if not isinstance(native, str | int) or isinstance(native, bool) or not str(native):
            raise RecordError("post has no id")
        try:
            published = parse_timestamp(d.get("created_utc"), UTC)
            likes, comments = max(0, parse_count(d.get("score"))), parse_count(d.get("num_comments"))
        except ValueError as exc:
            raise RecordError(f"created_utc or counts: {exc}") from None
        permalink, author, sub = d.get("permalink"), d.get("author"), d.get("subreddit")
        return Post.create(
            source=self.name,
            source_id=str(native),
            text=text,
            published_at=published,
            url=f"https://www.reddit.com{permalink}" if isinstance(permalink, str) else d.get("url"),
            author=author if isinstance(author, str) and author not in GONE else None,
            likes=likes,
            comments=comments,
            lang_hint=self.lang,
            market_hint=self.market,
            raw={"subreddit": sub} if isinstance(sub, str) else {},
        )
