"""YouTube Data API v3: comment threads of a video, or videos found by a search (`nextPageToken`).

Covers top-level comments (`commentThreads?videoId=`) or video titles and descriptions
(`search?q=&type=video`); needs an API key in `YOUTUBE_API_KEY`. Quota: each page costs units
(search costs 100), so keep schedules modest. Replies are not fetched.

>>> c = YouTubeConnector("yt", video_id="v1")
>>> p = c.map_item({"id": "t1", "snippet": {"videoId": "v1", "topLevelComment": {"id": "c1", "snippet": {
...     "textOriginal": "This ad is fake", "authorDisplayName": "A", "publishedAt": "2026-11-24T08:00:00Z",
...     "likeCount": 3}}, "totalReplyCount": 1}})
>>> p.source_id, p.likes, p.comments
('c1', 3, 1)
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

from monitio.records import Post, RecordError
from monitio.sources.base import Page
from monitio.sources.mapping import parse_timestamp
from monitio.sources.platforms import PlatformBase


class YouTubeConnector(PlatformBase):
    base_url = "https://www.googleapis.com/youtube/v3"
    credential_env = "YOUTUBE_API_KEY"

    def fetch(self, cursor: dict[str, Any]) -> Page:
        key = self.credential(required=True)
        if self.options.get("video_id"):
            body = self.get_json(
                "/commentThreads",
                {
                    "part": "snippet",
                    "videoId": self.options["video_id"],
                    "maxResults": 100,
                    "order": "time",
                    "textFormat": "plainText",
                    "pageToken": cursor.get("page_token"),
                    "key": key,
                },
            )
        else:
            body = self.get_json(
                "/search",
                {
                    "part": "snippet",
                    "q": self.options.get("query", ""),
                    "type": "video",
                    "order": "date",
                    "maxResults": 50,
                    "pageToken": cursor.get("page_token"),
                    "key": key,
                },
            )
        items = body.get("items")
        if not isinstance(items, list):
            raise RuntimeError(f"{self.name}: no items in the answer (the API may have changed)")
        token = body.get("nextPageToken")
        return Page(items, {"page_token": token} if token else {}, done=not token)

    def map_item(self, raw: dict[str, Any]) -> Post:
        snip = raw.get("snippet") or {}
        top = snip.get("topLevelComment") or {}
        if top:
            c = top.get("snippet") or {}
            text, native = c.get("textOriginal") or c.get("textDisplay"), top.get("id")
            author, when, likes = c.get("authorDisplayName"), c.get("publishedAt"), c.get("likeCount")
            url = f"https://www.youtube.com/watch?v={snip.get('videoId') or c.get('videoId')}&lc={native}"
            replies = snip.get("totalReplyCount") or 0
        else:
            text = ". ".join(t for t in (snip.get("title"), snip.get("description")) if t)
            vid = (raw.get("id") or {}).get("videoId") if isinstance(raw.get("id"), dict) else raw.get("id")
            native, author, when, likes, replies = vid, snip.get("channelTitle"), snip.get("publishedAt"), 0, 0
            url = f"https://www.youtube.com/watch?v={vid}"
        if not text or not native:
            raise RecordError("item has no text or id")
        try:
            published = parse_timestamp(when, UTC)
        except ValueError as exc:
            raise RecordError(f"publishedAt: {exc}") from None
        return Post.create(
            source=self.name,
            source_id=str(native),
            text=str(text),
            published_at=published,
            url=url,
            author=author,
            likes=int(likes or 0),
            comments=int(replies),
            lang_hint=self.lang,
            market_hint=self.market,
        )
