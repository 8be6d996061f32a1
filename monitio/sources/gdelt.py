"""GDELT DOC 2.0: news articles matching a query (ArtList), and tone/volume timelines.

Covers the worldwide online news GDELT monitors in 65 languages: each article's title, URL, domain,
language and source country (which becomes the market hint). Filter in the query itself
(`sourcecountry:ID`, `sourcelang:indonesian`, `domain:`, `theme:`). Articles come oldest first
(`sort=DateAsc`) from the cursor's `since` (the newest `seendate` stored); the first run looks back
`timespan` (default `1d`). `timeline(mode)` / `timelines(mode)` return the `TimelineVolRaw`,
`TimelineVol`, `TimelineTone`, `TimelineLang` or `TimelineSourceCountry` series (volume or tone over
time, per language or source country) for `monitio sources timeline` and `monitio detect series`.
Credentials: none. Limits: titles only, not article text; only the last 3 months are searchable;
at most 250 articles per request (a page full of one second's articles moves on to the next second);
GDELT asks for at most one request every 5 seconds, so requests are spaced by `min_interval`.

>>> c = GdeltConnector("gd", query="penipuan")
>>> p = c.map_item({"url": "https://x.id/a", "title": "Penipuan iklan", "seendate": "20261124T081500Z",
...                 "domain": "x.id", "language": "Indonesian", "sourcecountry": "Indonesia"})
>>> p.published_at.isoformat(), p.market_hint, p.lang_hint
('2026-11-24T08:15:00+00:00', 'ID', 'id')
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from monitio.enrich.market import normalise_market
from monitio.records import Post, RecordError
from monitio.sources.base import Page
from monitio.sources.platforms import PlatformBase

MAX_RECORDS = 250
TIMELINE_MODES = ("TimelineVolRaw", "TimelineVol", "TimelineTone", "TimelineLang", "TimelineSourceCountry")
LANGS = {
    "english": "en",
    "indonesian": "id",
    "malay": "ms",
    "thai": "th",
    "vietnamese": "vi",
    "tagalog": "tl",
    "filipino": "tl",
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


def _stamp(value: datetime) -> str:
    return value.strftime("%Y%m%d%H%M%S")


class GdeltConnector(PlatformBase):
    base_url = "https://api.gdeltproject.org/api/v2/doc"
    _last_call = 0.0

    def _call(self, params: dict[str, Any]) -> Any:
        wait = float(self.options.get("min_interval", 5.0)) - (time.monotonic() - self._last_call)
        if wait > 0:
            self.client.sleep(wait)
        self._last_call = time.monotonic()
        query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
        response = self.client.get(f"{self.base_url}/doc?{query}", headers={"Accept": "application/json"})
        if response.status >= 400:
            raise RuntimeError(f"HTTP {response.status} from {self.name}: {response.content[:200]!r}")
        if not response.content.strip():
            return {}
        try:
            return response.json()
        except (json.JSONDecodeError, UnicodeDecodeError):  # GDELT answers query errors in plain text
            raise RuntimeError(f"{self.name}: GDELT says {response.text()[:300]!r}") from None

    def fetch(self, cursor: dict[str, Any]) -> Page:
        since = cursor.get("since")
        floor = _stamp(datetime.now(UTC) - timedelta(days=89))  # older start dates are refused
        body = self._call(
            {
                "query": self.options.get("query", ""),
                "mode": "ArtList",
                "format": "json",
                "maxrecords": MAX_RECORDS,
                "sort": "DateAsc",
                "startdatetime": max(since, floor) if since else None,
                "timespan": None if since else self.options.get("timespan", "1d"),
            }
        )
        articles = body.get("articles", []) if isinstance(body, dict) else None
        if not isinstance(articles, list):
            raise RuntimeError(f"{self.name}: 'articles' is not a list (the API may have changed)")
        seen = []
        for a in articles:
            try:
                seen.append(_seen(str(a.get("seendate"))))
            except (ValueError, AttributeError):
                continue
        newest = max(seen, default=None)
        full = len(articles) >= MAX_RECORDS
        if newest is None:
            return Page(articles, dict(cursor), True)
        if full and since and _stamp(newest) <= since:  # a whole page in one second: move past it
            newest += timedelta(seconds=1)
        return Page(articles, {"since": max(_stamp(newest), since or "")}, done=not full)

    def timelines(self, mode: str = "TimelineVolRaw", timespan: str | None = None) -> dict[str, list]:
        """Every series of a timeline mode: {series name: [(time, value), ...]}."""
        if mode not in TIMELINE_MODES:
            raise ValueError(f"mode must be one of {', '.join(TIMELINE_MODES)}")
        params = {"query": self.options.get("query", ""), "mode": mode, "format": "json"}
        body = self._call({**params, "timespan": timespan or self.options.get("timespan")})
        out: dict[str, list[tuple[datetime, float]]] = {}
        timeline = body.get("timeline") if isinstance(body, dict) else None
        for series in timeline if isinstance(timeline, list) else []:
            if not isinstance(series, dict) or not isinstance(series.get("data"), list):
                continue
            points = []
            for p in series["data"]:
                try:
                    points.append((_seen(str(p["date"])), float(p["value"])))
                except (KeyError, TypeError, ValueError):
                    continue
            out[str(series.get("series") or mode)] = points
        return out

    def timeline(self, mode: str = "TimelineVolRaw", timespan: str | None = None) -> list[tuple[datetime, float]]:
        """The first series of a timeline mode as (time, value) pairs (empty when GDELT has none)."""
        return next(iter(self.timelines(mode, timespan).values()), [])

    def map_item(self, raw: dict[str, Any]) -> Post:
        title, url = raw.get("title"), raw.get("url")
        if not isinstance(title, str) or not title.strip() or not isinstance(url, str) or not url.strip():
            raise RecordError("article has no title or url")
        try:
            published = _seen(str(raw.get("seendate")))
        except ValueError as exc:
            raise RecordError(f"seendate: {exc}") from None
        country, lang, domain = raw.get("sourcecountry"), raw.get("language"), raw.get("domain")
        return Post.create(
            source=self.name,
            source_id=url.strip(),
            text=title,
            published_at=published,
            url=url.strip(),
            author=domain if isinstance(domain, str) else None,
            market_hint=(normalise_market(country) if isinstance(country, str) else None) or self.market,
            lang_hint=(LANGS.get(lang.lower()) if isinstance(lang, str) else None) or self.lang,
            raw={k: raw[k] for k in ("sourcecountry", "language", "socialimage") if isinstance(raw.get(k), str)},
        )
