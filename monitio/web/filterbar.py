"""The filter bar shared by overview, signals, narratives and search: a time range and the markets,
categories and languages to show, read from and written to the URL so a link shows a colleague the
same view.

>>> f = ViewFilter.parse({"range": "24h", "market": ["id", "MY"], "lang": ["th"]})
>>> f.range, f.markets, f.langs
('24h', ('ID', 'MY'), ('th',))
>>> f.query_string()
'range=24h&market=ID&market=MY&lang=th'
>>> ViewFilter.parse({"since": "2026-12-01"}).range, ViewFilter.parse({}, default="all").window(None)
('custom', (None, None))
>>> from datetime import datetime, UTC
>>> [f"{t:%Y-%m-%d %H:%M}" for t in ViewFilter.parse({}).window(datetime(2026, 12, 6, 9, tzinfo=UTC))]
['2026-11-29 09:00', '2026-12-06 09:00']
>>> ViewFilter.parse({"range": "custom", "since": "2026-12-01", "until": "2026-12-02"}).window(None)[1]
datetime.datetime(2026, 12, 3, 0, 0, tzinfo=datetime.timezone.utc)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlencode

RANGES = {"24h": timedelta(hours=24), "7d": timedelta(days=7), "30d": timedelta(days=30)}
RANGE_LABELS = {
    "24h": "Last 24 hours",
    "7d": "Last 7 days",
    "30d": "Last 30 days",
    "all": "All time",
    "custom": "Custom dates",
}
DEFAULT_RANGE = "7d"
_CODE = re.compile(r"^[A-Za-z0-9_-]{1,80}$")
MAX_VALUES = 40


def _values(params: Mapping, key: str) -> list[str]:
    """Every value of a repeated parameter (`?market=ID&market=MY` or `?market=ID,MY`), cleaned."""
    raw = params.getlist(key) if hasattr(params, "getlist") else params.get(key, [])
    if isinstance(raw, str):
        raw = [raw]
    out: list[str] = []
    for value in raw:
        for part in str(value).split(","):
            part = part.strip()
            if part and _CODE.match(part) and part not in out:
                out.append(part)
    return out[:MAX_VALUES]


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat((value or "").strip()[:10]) if value else None
    except ValueError:
        return None


@dataclass(frozen=True)
class ViewFilter:
    """What the filter bar holds. Empty tuples mean "all"."""

    range: str = DEFAULT_RANGE
    since: date | None = None
    until: date | None = None
    markets: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    langs: tuple[str, ...] = ()

    @classmethod
    def parse(cls, params: Mapping, default: str = DEFAULT_RANGE) -> ViewFilter:
        """From a request's query parameters; unknown or malformed values are dropped, never an error.
        `default` is the page's range when the URL names none (search shows all time)."""

        def one(key: str) -> str:
            vals = params.getlist(key) if hasattr(params, "getlist") else params.get(key)
            if isinstance(vals, list):
                return str(vals[0]) if vals else ""
            return str(vals or "")

        rng = one("range") or default
        since, until = _day(one("since")), _day(one("until"))
        if since and rng != "custom" and not one("range"):
            rng = "custom"  # dates alone mean a custom range
        if rng not in RANGE_LABELS:
            rng = default
        if rng == "custom" and not since:
            rng, since, until = default, None, None
        if since and until and until < since:
            since, until = until, since
        return cls(
            range=rng,
            since=since if rng == "custom" else None,
            until=until if rng == "custom" else None,
            markets=tuple(m.upper() if m != "_unknown" else m for m in _values(params, "market")),
            categories=tuple(_values(params, "category")),
            langs=tuple(_values(params, "lang")),
        )

    def window(self, end: datetime | None) -> tuple[datetime | None, datetime | None]:
        """[start, end) in UTC. A preset range ends at `end` (the newest data hour); custom dates are
        whole UTC days, `until` included; "all" is (None, None): no bound."""
        if self.range == "all":
            return None, None
        if self.range == "custom" and self.since:
            start = datetime(self.since.year, self.since.month, self.since.day, tzinfo=UTC)
            last = self.until or (end.date() if end else self.since)
            return start, datetime(last.year, last.month, last.day, tzinfo=UTC) + timedelta(days=1)
        stop = end or datetime.now(UTC)
        return stop - RANGES.get(self.range, RANGES[DEFAULT_RANGE]), stop

    def pairs(self, **extra: object) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = [("range", self.range)]
        if self.range == "custom":
            out += [("since", self.since.isoformat())] if self.since else []
            out += [("until", self.until.isoformat())] if self.until else []
        out += [("market", m) for m in self.markets]
        out += [("category", c) for c in self.categories]
        out += [("lang", lang) for lang in self.langs]
        for key, value in extra.items():
            if value is None or value == "":
                continue
            for v in value if isinstance(value, list | tuple) else [value]:
                out.append((key, str(v)))
        return out

    def query_string(self, **extra: object) -> str:
        """The URL query that reproduces this view (plus `extra` parameters)."""
        return urlencode(self.pairs(**extra))

    def describe(self, end: datetime | None) -> str:
        """The window in words, for headings: `Last 7 days (2026-11-29 09:00 to 2026-12-06 09:00 UTC)`."""
        start, stop = self.window(end)
        if start is None or stop is None:
            return RANGE_LABELS[self.range]
        return f"{RANGE_LABELS[self.range]} ({start:%Y-%m-%d %H:%M} to {stop:%Y-%m-%d %H:%M} UTC)"

    @property
    def active(self) -> bool:
        return bool(self.markets or self.categories or self.langs or self.range == "custom")
