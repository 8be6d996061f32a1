"""Mastodon: a hashtag's public timeline on one instance (`/api/v1/timelines/tag/{tag}`).

Covers public statuses with the hashtag that the instance knows about (its federated view). Statuses
come newest first; the cursor keeps the highest id seen and asks only for newer ones (`since_id`).
HTML content is reduced to text. No credentials needed for public timelines.

>>> c = MastodonConnector("md", hashtag="scam", base_url="https://mastodon.social")
>>> p = c.map_item({"id": "113", "created_at": "2026-11-24T08:00:00.000Z", "content": "<p>Scam <b>ad</b></p>",
...     "url": "https://mastodon.social/@a/113", "account": {"acct": "a"}, "favourites_count": 2,
...     "reblogs_count": 0, "replies_count": 1, "language": "en"})
>>> p.text, p.likes
('Scam ad', 2)
"""

from __future__ import annotations

from datetime import UTC
from typing import Any
from urllib.parse import quote

from monitio.records import Post, RecordError
from monitio.sources.base import Page
from monitio.sources.mapping import parse_timestamp
from monitio.sources.platforms import PlatformBase
from monitio.sources.rss import strip_html


class MastodonConnector(PlatformBase):
    base_url = "https://mastodon.social"

    def fetch(self, cursor: dict[str, Any]) -> Page:
        tag = quote(str(self.options.get("hashtag", "")).lstrip("#"), safe="")
        body = self.get_json(f"/api/v1/timelines/tag/{tag}", {"limit": 40, "since_id": cursor.get("since_id")})
        if not isinstance(body, list):
            raise RuntimeError(f"{self.name}: expected a list of statuses (the API may have changed)")
        ids = [int(s["id"]) for s in body if isinstance(s, dict) and str(s.get("id", "")).isdigit()]
        since = str(max(ids)) if ids else cursor.get("since_id")
        return Page(body, {"since_id": since} if since else {}, done=True)

    def map_item(self, raw: dict[str, Any]) -> Post:
        text = strip_html(str(raw.get("content") or "")) or strip_html(str(raw.get("spoiler_text") or ""))
        if not text or not raw.get("id"):
            raise RecordError("status has no id or text")
        try:
            published = parse_timestamp(raw.get("created_at"), UTC)
        except ValueError as exc:
            raise RecordError(f"created_at: {exc}") from None
        account = raw.get("account") or {}
        return Post.create(
            source=self.name,
            source_id=str(raw["id"]),
            text=text,
            published_at=published,
            url=raw.get("url"),
            author=account.get("acct"),
            likes=int(raw.get("favourites_count") or 0),
            shares=int(raw.get("reblogs_count") or 0),
            comments=int(raw.get("replies_count") or 0),
            lang_hint=raw.get("language") or self.lang,
            market_hint=self.market,
        )
