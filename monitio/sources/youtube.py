"""YouTube Data API v3: comment threads of a video, or videos found by a search (`nextPageToken`).

Covers top-level comments of one video (`commentThreads?videoId=&order=time`) or the titles and
descriptions of videos found by a search (`search?q=&type=video&order=date`, from the last sweep's
newest video on via `publishedAfter`). Pages are newest first and followed by `nextPageToken` until
items of the previous sweep appear (see `base.sweep`). Credentials: an API key in `YOUTUBE_API_KEY`
(or the variable named by `credential_env`). Limits: the daily quota (10,000 units by default; a
commentThreads page costs 1 unit, a search page 100), so keep search schedules modest; replies are
not fetched; comments disabled on a video give a 403 recorded as the source's error.

>>> c = YouTubeConnector("yt", video_id="v1")
>>> p = c.map_item({"id": "t1", "snippet": {"videoId": "v1", "topLevelComment": {"id": "c1", "snippet": {
...     "textOriginal": "This ad is fake", "authorDisplayName": "A", "publishedAt": "2026-11-24T08:00:00Z",
...     "likeCount": 3}}, "totalReplyCount": 1}})
>>> p.source_id, p.likes, p.comments
('c1', 3, 1)
"""

from __future__ import annotations

import html
from datetime import UTC
from typing import Any
from urllib.parse import urlencode

from monitio.records import Post, RecordError
from monitio.sources.base import Page, sweep
from monitio.sources.mapping import parse_count, parse_timestamp
from monitio.sources.platforms import PlatformBase


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _when(item: Any) -> Any:
    snip = _dict(_dict(item).get("snippet"))
    top = _dict(snip.get("topLevelComment"))
    return _dict(top.get("snippet")).get("publishedAt") if top else snip.get("publishedAt")


class YouTubeConnector(PlatformBase):
    base_url = "https://www.googleapis.com/youtube/v3"
    credential_env = "YOUTUBE_API_KEY"

    def _api(self, path: str, params: dict[str, Any]) -> Any:
        """GET an API method; Google's error answer becomes a short message (e.g. `quotaExceeded`)."""
        query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
        response = self.client.get(f"{self.base_url}{path}?{query}", headers={"Accept": "application/json"})
        if response.status >= 400:
            try:
                error = response.json()["error"]
                reasons = ", ".join(str(e.get("reason")) for e in error.get("errors", []))
                detail = f"{reasons}: {str(error.get('message'))[:200]}"
            except (ValueError, KeyError, TypeError, AttributeError):
                detail = response.text()[:200]
            raise RuntimeError(f"HTTP {response.status} from {self.name}: {detail}")
        return response.json()

    def fetch(self, cursor: dict[str, Any]) -> Page:
        key = self.credential(required=True)
        token = cursor.get("token")
        if self.options.get("video_id"):
            params = {
                "part": "snippet",
                "videoId": self.options["video_id"],
                "maxResults": 100,
                "order": "time",
                "textFormat": "plainText",
                "pageToken": token,
                "key": key,
            }
            body = self._api("/commentThreads", params)
        else:
            high = cursor.get("high")
            params = {
                "part": "snippet",
                "q": self.options.get("query", ""),
                "type": "video",
                "order": "date",
                "maxResults": 50,
                "pageToken": token,
                "key": key,
                "publishedAfter": high.replace("+00:00", "Z") if high and not token else None,
            }
            body = self._api("/search", params)
        items = body.get("items") if isinstance(body, dict) else None
        if not isinstance(items, list):
            raise RuntimeError(f"{self.name}: no items in the answer (the API may have changed)")
        next_cursor, done = sweep(cursor, body.get("nextPageToken") if items else None, [_when(i) for i in items])
        return Page(items, next_cursor, done)

    def map_item(self, raw: dict[str, Any]) -> Post:
        snip = _dict(raw.get("snippet"))
        top = _dict(snip.get("topLevelComment"))
        if top:
            c = _dict(top.get("snippet"))
            text, native = c.get("textDisplay") or c.get("textOriginal"), top.get("id")
            author, when, likes = c.get("authorDisplayName"), c.get("publishedAt"), c.get("likeCount")
            url = f"https://www.youtube.com/watch?v={snip.get('videoId') or c.get('videoId')}&lc={native}"
            replies = snip.get("totalReplyCount")
        else:
            parts = [html.unescape(t) for t in (snip.get("title"), snip.get("description")) if isinstance(t, str) and t]
            text = ". ".join(parts)
            vid = _dict(raw.get("id")).get("videoId") if isinstance(raw.get("id"), dict) else raw.get("id")
            native, author, when, likes, replies = vid, snip.get("channelTitle"), snip.get("publishedAt"), 0, 0
            url = f"https://www.youtube.com/watch?v={vid}"
        if not isinstance(text, str) or not text.strip() or not isinstance(native, str | int) or not str(native):
            raise RecordError("item has no text or id (snippet.topLevelComment or snippet.title missing)")
        try:
            published = parse_timestamp(when, UTC)
            likes, replies = parse_count(likes), parse_count(replies)
        except ValueError as exc:
            raise RecordError(f"publishedAt or counts: {exc}") from None
        return Post.create(
            source=self.name,
            source_id=str(native),
            text=text,
            published_at=published,
            url=url,
            author=author if isinstance(author, str) else None,
            likes=likes,
            comments=replies,
            lang_hint=self.lang,
            market_hint=self.market,
        )
