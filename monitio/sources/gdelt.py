"""GDELT DOC 2.0: news articles matching a query (ArtList), and tone/volume timelines.

Covers worldwide online news GDELT monitors (titles, not full text), filterable in the query itself
(`sourcecountry:ID`, `sourcelang:indonesian`). The cursor is the newest `seendate` seen; the next fetch
asks from there. No credentials; GDELT asks for at most one request every few seconds. `timeline()`
returns the `TimelineVolRaw` or `TimelineTone` series as (timestamp, value) pairs.

>>> c = GdeltConnector("gd", query="penipuan")
>>> p = c.map_item({"url": "https://x.id/a", "title": "Penipuan iklan", "seendate": "20261124T081500Z",
...                 "domain": "x.id", "language": "Indonesian", "sourcecountry": "Indonesia"})
>>> p.published_at.isoformat(), p.market_hint, p.lang_hint
('2026-11-24T08:15:00+00:00', 'ID', 'id')
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from monitio.enrich.market import normalise_market
from monitio.records import Post, RecordError
from monitio.sources.base import Page
from monitio.sources.platforms import PlatformBase

LANGS = {
    "english": "en",
    "indonesian": "id",
    "malay": "ms",
    "thai": "th",
    "vietnamese": "vi",
    "tagalog": "tl",
    "burmese": "my",
    "khmer": "km",
    "japanese": "ja",
    "korean": "ko",
    "chinese": "zh",
    "hindi": "hi",
    "bengali": "bn",
    "urdu": "ur",
    "tamil": "ta",
    "telugu": "te",
}


def _seen(value: str) -> datetime:
    return datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)


class GdeltConnector(PlatformBase):
    base_url = "https://api.gdeltproject.org/api/v2/doc"

    def fetch(self, cursor: dict[str, Any]) -> Page:
        body = self.get_json(
            "/doc",
            {
                "query": self.options.get("query", ""),
                "mode": "ArtList",
                "format": "json",
                "maxrecords": 250,
                "sort": "DateAsc",
                "startdatetime": cursor.get("since") or self.options.get("since"),
            },
        )
        articles = body.get("articles", [])
        if not isinstance(articles, list):
            raise RuntimeError(f"{self.name}: 'articles' is not a list (the API may have changed)")
        dates = [a.get("seendate") for a in articles if isinstance(a, dict) and a.get("seendate")]
        since = max(dates).replace("T", "").replace("Z", "") if dates else cursor.get("since")
        return Page(articles, {"since": since} if since else {}, done=True)

    def timeline(self, mode: str = "TimelineVolRaw") -> list[tuple[datetime, float]]:
        if mode not in ("TimelineVolRaw", "TimelineVol", "TimelineTone"):
            raise ValueError("mode must be TimelineVolRaw, TimelineVol or TimelineTone")
        body = self.get_json("/doc", {"query": self.options.get("query", ""), "mode": mode, "format": "json"})
        series = (body.get("timeline") or [{}])[0].get("data", [])
        return [(_seen(p["date"]), float(p["value"])) for p in series if "date" in p and "value" in p]

    def map_item(self, raw: dict[str, Any]) -> Post:
        title, url = raw.get("title"), raw.get("url")
        if not title or not url:
            raise RecordError("article has no title or url")
        try:
            published = _seen(str(raw.get("seendate")))
        except ValueError as exc:
            raise RecordError(f"seendate: {exc}") from None
        return Post.create(
            source=self.name,
            source_id=str(url),
            text=str(title),
            published_at=published,
            url=url,
            author=raw.get("domain"),
            market_hint=normalise_market(raw.get("sourcecountry")) or self.market,
            lang_hint=LANGS.get(str(raw.get("language", "")).lower()) or self.lang,
        )
