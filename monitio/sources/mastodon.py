"""Mastodon: a hashtag's public timeline on one instance (`/api/v1/timelines/tag/{hashtag}`).

Covers public statuses with the hashtag that the instance knows about (its local and federated view).
The first run takes the newest page; after that the cursor keeps the highest status id stored and
asks for the statuses right after it (`min_id`, also read from the `Link: rel="prev"` header), page by
page, so a burst of more than one page between runs loses nothing. HTML content becomes text.
Credentials: none for public timelines (`MASTODON_TOKEN`, if set, is sent as a bearer token for
instances that require it). Limits: only what that instance has federated; instances rate limit at
about 300 requests per 5 minutes; nothing older than the first run's newest page is fetched.

>>> c = MastodonConnector("md", hashtag="scam", base_url="https://mastodon.social")
>>> p = c.map_item({"id": "113", "created_at": "2026-11-24T08:00:00.000Z", "content": "<p>Scam <b>ad</b></p>",
...     "url": "https://mastodon.social/@a/113", "account": {"acct": "a"}, "favourites_count": 2,
...     "reblogs_count": 0, "replies_count": 1, "language": "en"})
>>> p.text, p.likes
('Scam ad', 2)
>>> link_param('<https://m.x/api/v1/timelines/tag/a?max_id=1>; rel="next", <https://m.x/api?min_id=9>; rel="prev"',
...            "prev", "min_id")
'9'
"""

from __future__ import annotations

import re
from datetime import UTC
from typing import Any
from urllib.parse import parse_qs, quote, urlencode, urlsplit

from monitio.records import Post, RecordError
from monitio.sources.base import Page
from monitio.sources.mapping import parse_count, parse_timestamp
from monitio.sources.platforms import PlatformBase
from monitio.sources.rss import strip_html

LIMIT = 40
LINK_RE = re.compile(r'<([^>]*)>\s*;\s*rel="?([a-z]+)"?')


def link_param(header: str | None, rel: str, param: str) -> str | None:
    """A query parameter of the `Link` header's URL with relation `rel`."""
    for url, found in LINK_RE.findall(header or ""):
        if found == rel:
            values = parse_qs(urlsplit(url).query).get(param)
            return values[0] if values else None
    return None


def _id_key(value: Any) -> tuple[int, str]:
    text = str(value)
    return (len(text), text)


class MastodonConnector(PlatformBase):
    base_url = "https://mastodon.social"
    credential_env = "MASTODON_TOKEN"

    def fetch(self, cursor: dict[str, Any]) -> Page:
        tag = quote(str(self.options.get("hashtag", "")).lstrip("#"), safe="")
        min_id = cursor.get("min_id")
        query = urlencode({k: v for k, v in {"limit": LIMIT, "min_id": min_id}.items() if v})
        token = self.credential()
        response = self.client.get(
            f"{self.base_url}/api/v1/timelines/tag/{tag}?{query}",
            headers={"Accept": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})},
        )
        if response.status >= 400:
            raise RuntimeError(f"HTTP {response.status} from {self.name}: {response.content[:200]!r}")
        body = response.json()
        if not isinstance(body, list):
            raise RuntimeError(f"{self.name}: expected a list of statuses (the API may have changed)")
        ids = [str(s["id"]) for s in body if isinstance(s, dict) and isinstance(s.get("id"), str | int)]
        newest = max([*ids, *([min_id] if min_id else [])], key=_id_key, default=None)
        prev = link_param(response.headers.get("link"), "prev", "min_id")
        if prev and ids and (newest is None or _id_key(prev) > _id_key(newest)):
            newest = prev
        more = bool(min_id) and len(body) >= LIMIT
        return Page(body, {"min_id": newest} if newest else {}, done=not more)

    def map_item(self, raw: dict[str, Any]) -> Post:
        content, spoiler = raw.get("content"), raw.get("spoiler_text")
        text = strip_html(content if isinstance(content, str) else "")
        text = text or strip_html(spoiler if isinstance(spoiler, str) else "")
        native = raw.get("id")
        if not text or not isinstance(native, str | int) or isinstance(native, bool) or not str(native):
            raise RecordError("status has no id or content")
        try:
            published = parse_timestamp(raw.get("created_at"), UTC)
            likes, shares = parse_count(raw.get("favourites_count")), parse_count(raw.get("reblogs_count"))
            comments = parse_count(raw.get("replies_count"))
        except ValueError as exc:
            raise RecordError(f"created_at or counts: {exc}") from None
        account = raw.get("account") if isinstance(raw.get("account"), dict) else {}
        lang = raw.get("language")
        return Post.create(
            source=self.name,
            source_id=str(native),
            text=text,
            published_at=published,
            url=raw.get("url") if isinstance(raw.get("url"), str) else raw.get("uri"),
            author=account.get("acct") if isinstance(account.get("acct"), str) else None,
            likes=likes,
            shares=shares,
            comments=comments,
            lang_hint=(lang if isinstance(lang, str) else None) or self.lang,
            market_hint=self.market,
        )
