"""Reddit: search results or a subreddit's newest posts (Listing JSON, `after` cursor).

Covers public posts matching `query` (search.json, newest first) or in `subreddit` (r/NAME/new.json);
not comments. Without OAuth (`REDDIT_TOKEN`, sent as a bearer token to oauth.reddit.com) Reddit rate
limits hard; 429 answers are waited out. Deleted/removed posts come without text and are quarantined.

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
from monitio.sources.base import Page
from monitio.sources.mapping import parse_timestamp
from monitio.sources.platforms import PlatformBase


class RedditConnector(PlatformBase):
    base_url = "https://www.reddit.com"
    credential_env = "REDDIT_TOKEN"

    def fetch(self, cursor: dict[str, Any]) -> Page:
        token = self.credential()
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        sub = self.options.get("subreddit")
        path = f"/r/{sub}/new.json" if sub else "/search.json"
        params = {"limit": 100, "after": cursor.get("after"), "raw_json": 1}
        if not sub:
            params.update({"q": self.options.get("query", ""), "sort": "new", "type": "link"})
        body = self.get_json(path, params, headers)
        data = body.get("data") or {}
        children = data.get("children")
        if not isinstance(children, list):
            raise RuntimeError(f"{self.name}: no data.children in the answer (the API may have changed)")
        after = data.get("after")
        return Page(children, {"after": after} if after else {}, done=not after)

    def map_item(self, raw: dict[str, Any]) -> Post:
        d = raw.get("data") if isinstance(raw.get("data"), dict) else raw
        title, body = str(d.get("title") or ""), str(d.get("selftext") or "")
        if body in ("[removed]", "[deleted]"):
            body = ""
        text = ". ".join(t for t in (title.strip(), body.strip()) if t)
        if not text:
            raise RecordError("post has no title or text (deleted or removed)")
        if not d.get("id"):
            raise RecordError("post has no id")
        try:
            published = parse_timestamp(d.get("created_utc"), UTC)
        except ValueError as exc:
            raise RecordError(f"created_utc: {exc}") from None
        permalink = d.get("permalink")
        return Post.create(
            source=self.name,
            source_id=str(d["id"]),
            text=text,
            published_at=published,
            url=f"https://www.reddit.com{permalink}" if permalink else d.get("url"),
            author=d.get("author"),
            likes=max(0, int(d.get("score") or 0)),
            comments=int(d.get("num_comments") or 0),
            lang_hint=self.lang,
            market_hint=self.market,
        )
