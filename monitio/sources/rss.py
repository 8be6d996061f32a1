"""RSS 0.9x/1.0/2.0 and Atom feeds (feedparser), with conditional GET.

Covers: the entries a feed currently lists (feeds usually keep the last 10-100 items, so poll more
often than the feed rotates). The cursor keeps the ETag and Last-Modified answer, so an unchanged feed
costs one `304`. Broken or partial XML yields the entries that parse, and the break itself is
quarantined once with the parser's message; a body that is no feed at all fails the run (so a moved
feed shows in the source's health). Odd encodings are decoded from the HTTP header, the XML
declaration or by detection. Entries without any id or link get a content hash; entries without a
date take the time they were fetched. Credentials: none. With `full_text = true` each new entry's page
is fetched and its main text extracted with trafilatura (`pip install 'monitio[articles]'`; skipped
with a warning when not installed, and per article when its page cannot be fetched).

>>> c = RssConnector("news", "https://example.org/feed")
>>> p = c.map_item({"id": "g1", "title": "Scam ads <b>again</b>", "summary": "Refund never came",
...                 "link": "https://example.org/a", "published": "Tue, 24 Nov 2026 08:00:00 GMT"})
>>> p.source_id, p.text, p.published_at.isoformat()
('g1', 'Scam ads again. Refund never came', '2026-11-24T08:00:00+00:00')
"""

from __future__ import annotations

import calendar
import hashlib
import html
import logging
import re
from datetime import UTC, datetime
from typing import Any

from monitio.net import HttpClient
from monitio.records import Post, RecordError
from monitio.sources.base import Page
from monitio.sources.mapping import parse_timestamp

log = logging.getLogger(__name__)
TAG_RE = re.compile(r"<[^>]+>")
BLOCK_RE = re.compile(
    r"<\s*/?\s*(?:p|br|div|li|ul|ol|h[1-6]|tr|td|th|table|blockquote|pre|hr|section|article|figure)\b[^>]*>", re.I
)
HARMLESS = ("CharacterEncodingOverride", "NonXMLContentType")
SEEN_KEEP = 500


def strip_html(text: str) -> str:
    """Tags removed (block tags become spaces), entities decoded, whitespace collapsed.

    >>> strip_html("<p>Refund&nbsp;<b>never</b></p><p>came</p>")
    'Refund never came'
    >>> strip_html('<p>a <a href="/tags/x">#<span>ScamAds</span></a><br/>b</p>')
    'a #ScamAds b'
    """
    return " ".join(html.unescape(TAG_RE.sub("", BLOCK_RE.sub(" ", text or ""))).split())


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _entry_date(raw: dict[str, Any]) -> datetime:
    for key in ("published", "updated", "created"):
        value = raw.get(key)
        if isinstance(value, str) and value.strip():
            try:
                return parse_timestamp(value, UTC)
            except ValueError:
                parsed = raw.get(f"{key}_parsed")  # feedparser's own reading of odd date formats
                if parsed is not None:
                    try:
                        return datetime.fromtimestamp(calendar.timegm(tuple(parsed)), UTC)
                    except (TypeError, ValueError, OverflowError):
                        pass
                raise RecordError(f"entry date: unparseable {value[:40]!r}") from None
    try:
        return parse_timestamp(raw.get("_fetched_at"), UTC)
    except ValueError:
        raise RecordError("entry has no date") from None


class RssConnector:
    def __init__(
        self,
        name: str,
        url: str,
        *,
        client: HttpClient | None = None,
        market: str | None = None,
        lang: str | None = None,
        full_text: bool = False,
    ):
        self.name, self.url, self.market, self.lang, self.full_text = name, url, market, lang, full_text
        self.client = client or HttpClient()

    def fetch(self, cursor: dict[str, Any]) -> Page:
        import feedparser

        headers = {"Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.8"}
        if cursor.get("etag"):
            headers["If-None-Match"] = cursor["etag"]
        if cursor.get("modified"):
            headers["If-Modified-Since"] = cursor["modified"]
        response = self.client.get(self.url, headers=headers)
        if response.status == 304:
            return Page([], cursor, True)
        if response.status >= 400:
            raise RuntimeError(f"HTTP {response.status} from {self.url}")
        feed = feedparser.parse(response.content, response_headers=response.headers)
        problem = feed.get("bozo_exception") if feed.get("bozo") else None
        if problem is not None and type(problem).__name__ in HARMLESS:
            problem = None
        if not feed.entries and (problem is not None or not feed.get("version")):
            raise RuntimeError(f"{self.url} is not a readable feed: {problem or 'no RSS or Atom found'}")
        now = datetime.now(UTC).isoformat()
        items: list[dict[str, Any]] = [{**dict(entry), "_fetched_at": now} for entry in feed.entries]
        validators = {"etag": response.headers.get("etag"), "modified": response.headers.get("last-modified")}
        new_cursor: dict[str, Any] = {k: v for k, v in validators.items() if v}
        if self.full_text:
            new_cursor["seen"] = self._add_articles(items, list(cursor.get("seen") or []))
        if problem is not None:
            items.append({"_bozo": f"{type(problem).__name__}: {problem}"[:500], "feed": self.url})
        return Page(items, new_cursor, True)

    def _add_articles(self, items: list[dict[str, Any]], seen: list[str]) -> list[str]:
        """Fetch the article text of entries not seen before; returns the updated list of seen keys."""
        try:
            import trafilatura
        except ImportError:
            log.warning("%s: full_text needs trafilatura (pip install 'monitio[articles]'); skipped", self.name)
            return seen
        known = set(seen)
        for item in items:
            link = item.get("link")
            if not isinstance(link, str) or not link:
                continue
            key = hashlib.blake2b(link.encode(), digest_size=8).hexdigest()
            if key in known:
                continue
            try:
                page = self.client.get(link)
                if page.status < 400:
                    item["_article"] = trafilatura.extract(page.text()) or None
            except Exception as exc:  # one unreachable article must not stop the feed
                log.info("%s: article %s not fetched: %s", self.name, link, exc)
            seen.append(key)
            known.add(key)
        return seen[-SEEN_KEEP:]

    def map_item(self, raw: dict[str, Any]) -> Post:
        if raw.get("_bozo"):
            raise RecordError(f"feed XML is broken ({raw['_bozo']}); the entries before the break were kept")
        title = strip_html(_str(raw.get("title")))
        content = raw.get("content")
        first = content[0] if isinstance(content, list) and content and isinstance(content[0], dict) else {}
        summary = _str(raw.get("_article")) or strip_html(
            _str(raw.get("summary")) or _str(raw.get("description")) or _str(first.get("value"))
        )
        if title and summary.startswith(title):
            title = ""
        text = ". ".join(t for t in (title, summary) if t)
        if not text:
            raise RecordError("entry has no title or summary")
        native = next((v for k in ("id", "guid", "link") if isinstance(v := raw.get(k), str) and v.strip()), None)
        if not native:
            native = "h:" + hashlib.blake2b(text.encode("utf-8", "replace"), digest_size=12).hexdigest()
        author, link = raw.get("author"), raw.get("link")
        return Post.create(
            source=self.name,
            source_id=native.strip(),
            text=text,
            published_at=_entry_date(raw),
            url=link if isinstance(link, str) else None,
            author=author if isinstance(author, str) else None,
            lang_hint=self.lang,
            market_hint=self.market,
            raw={"feed": self.url},
        )
