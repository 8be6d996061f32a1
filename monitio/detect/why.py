"""Plain-language explanations of signals, generated from the data behind them.

>>> from datetime import datetime, UTC
>>> text = spike_why(name="Scam ads", markets=["ID"], observed=412, expected=78,
...     window_start=datetime(2026, 11, 24, 8, tzinfo=UTC), window_end=datetime(2026, 11, 24, 13, tzinfo=UTC),
...     negative_share=0.71, terms=["investasi", "dijamin"], shape="spike", first_by_market={})
>>> text.split("; ")[0]
'Scam ads in Indonesia: 412 posts in 6 h (Tue 24 Nov 08:00-13:59 UTC), 5.3x the ~78 expected for those hours'
>>> text.split("; ")[1:]
['71% negative', "top terms: 'investasi', 'dijamin'."]
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import datetime

MARKET_NAMES = {
    "ID": "Indonesia",
    "MY": "Malaysia",
    "TH": "Thailand",
    "VN": "Vietnam",
    "PH": "the Philippines",
    "MM": "Myanmar",
    "KH": "Cambodia",
    "JP": "Japan",
    "KR": "South Korea",
    "CN": "China",
    "TW": "Taiwan",
    "HK": "Hong Kong",
    "SG": "Singapore",
    "IN": "India",
    "BD": "Bangladesh",
    "PK": "Pakistan",
    "LK": "Sri Lanka",
    "US": "the United States",
    "GB": "the United Kingdom",
    "AU": "Australia",
}


def market_name(code: str) -> str:
    return MARKET_NAMES.get(code, code)


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _span(start: datetime, end: datetime) -> str:
    if start.date() == end.date():
        return f"{start:%a %d %b %H:00}-{end:%H}:59 UTC"
    return f"{start:%a %d %b %H:00} to {end:%a %d %b %H}:59 UTC"


def term_counts(term_lists: Iterable[list[str]], top: int = 5) -> list[str]:
    """The most frequent matched terms over many posts."""
    counts: Counter = Counter()
    for terms in term_lists:
        counts.update(set(terms or []))
    return [t for t, _ in counts.most_common(top)]


def spike_why(
    *,
    name: str,
    markets: list[str],
    observed: float,
    expected: float,
    window_start: datetime,
    window_end: datetime,
    negative_share: float | None,
    terms: list[str],
    shape: str,
    first_by_market: dict[str, datetime],
) -> str:
    """One paragraph: what, where, how big versus normal, how it feels, how it spreads."""
    hours = int((window_end - window_start).total_seconds() // 3600) + 1
    where = f" in {_join([market_name(m) for m in markets[:4]])}" if markets else ""
    if len(markets) > 4:
        where += f" and {len(markets) - 4} more markets"
    ratio = observed / expected if expected > 0 else float("inf")
    size = (
        f"{ratio:.1f}x the ~{expected:.0f} expected for those hours"
        if expected >= 0.5
        else "where almost none are usual"
    )
    parts = [f"{name}{where}: {observed:.0f} posts in {hours} h ({_span(window_start, window_end)}), {size}"]
    if shape == "build-up":
        parts.append("building up steadily rather than in one burst")
    elif shape == "level-shift":
        parts.append("a new, higher level that has held")
    if negative_share is not None:
        parts.append(f"{negative_share:.0%} negative")
    if len(first_by_market) > 1:
        ordered = sorted(first_by_market.items(), key=lambda kv: kv[1])
        origin, t0 = ordered[0]
        steps = [f"{market_name(m)} (+{(t - t0).total_seconds() / 3600:.0f} h)" for m, t in ordered[1:]]
        parts.append(f"started in {market_name(origin)}, then spread to {_join(steps)}")
    if terms:
        parts.append("top terms: " + ", ".join(f"'{t}'" for t in terms))
    return "; ".join(parts) + "."


def campaign_why(c, category_names: list[str], spread_hours: float) -> str:
    """A copy-paste campaign in one paragraph."""
    rep = " ".join(c.representative.split())
    rep = rep if len(rep) <= 140 else rep[:139] + "…"
    what = f" ({_join(category_names)})" if category_names else ""
    where = f" in {_join([market_name(m) for m in c.markets[:4]])}" if c.markets else ""
    fresh = (
        f"; {c.fresh_authors} of the {c.authors} accounts had not posted before this window" if c.fresh_authors else ""
    )
    return (
        f"Copy-paste campaign{what}{where}: {c.burst_authors} accounts posted near-identical text within "
        f"{spread_hours:.0f} h ({len(c.post_ids)} posts, first {c.first_seen:%d %b %H:%M} UTC, last "
        f'{c.last_seen:%d %b %H:%M} UTC){fresh}. Text: "{rep}"'
    )
