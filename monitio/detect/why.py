"""Plain-language explanations of signals, generated from the data behind them.

>>> from datetime import datetime, UTC
>>> text = spike_why(name="Scam ads", markets=["ID"], observed=412, expected=78,
...     window_start=datetime(2026, 11, 24, 8, tzinfo=UTC), window_end=datetime(2026, 11, 24, 13, tzinfo=UTC),
...     negative_share=0.71, terms=["investasi", "dijamin"], shape="spike", first_by_market={})
>>> text.split("; ")[0]
'Scam ads in Indonesia: 412 posts in 6 h (Tue 24 Nov 08:00-13:59 UTC), 5.3x the ~78 usual for a Tuesday morning'
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


def daypart(start: datetime, end: datetime) -> str:
    """The weekday and time of day a window covers, for "the usual for ..." (UTC).

    >>> from datetime import datetime, UTC
    >>> daypart(datetime(2026, 11, 24, 13, tzinfo=UTC), datetime(2026, 11, 24, 17, tzinfo=UTC))
    'a Tuesday afternoon'
    >>> daypart(datetime(2026, 11, 21, 0, tzinfo=UTC), datetime(2026, 11, 22, 23, tzinfo=UTC))
    'Saturday to Sunday'
    >>> daypart(datetime(2026, 11, 16, 0, tzinfo=UTC), datetime(2026, 11, 24, 23, tzinfo=UTC))
    'those hours'
    """
    hours = (end - start).total_seconds() / 3600 + 1
    if hours > 72:
        return "those hours"
    if start.date() != end.date():
        return f"{start:%A} to {end:%A}" if hours > 12 else f"a {start:%A} night"
    if hours > 12:
        return f"a {start:%A}"
    mid = (start.hour + end.hour + 1) / 2
    part = "night" if mid < 5 else "morning" if mid < 12 else "afternoon" if mid < 18 else "evening"
    return f"a {start:%A} {part}"


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
    complaint_share: float | None = None,
) -> str:
    """One paragraph: what, where, how big versus normal, how it feels (negative share, and the share of
    complaints: unmet expectations such as "still no refund"), how it spreads."""
    hours = int((window_end - window_start).total_seconds() // 3600) + 1
    where = f" in {_join([market_name(m) for m in markets[:4]])}" if markets else ""
    if len(markets) > 4:
        where += f" and {len(markets) - 4} more markets"
    ratio = observed / expected if expected > 0 else float("inf")
    size = (
        f"{ratio:.1f}x the ~{expected:.0f} usual for {daypart(window_start, window_end)}"
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
    if complaint_share:
        parts.append(f"{complaint_share:.0%} complaints")
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


def _quote(terms: list[str], top: int = 5) -> str:
    return ", ".join(f"'{t}'" for t in terms[:top])


def narrative_why(s, category_names: list[str]) -> str:
    """An emerging narrative in one paragraph (`s` is a `NarrativeScore`)."""
    what = f" ({_join(category_names)})" if category_names else ""
    where = f" in {_join([market_name(m) for m in s.markets[:4]])}" if s.markets else ""
    hours = int((s.window_end - s.window_start).total_seconds() // 3600)
    if s.age_days < 1:
        past = f"first seen {s.first_seen:%a %d %b %H:%M} UTC"
    else:
        past = f"usually ~{s.expected:.0f} in {hours} h"
    parts = [
        f"{'New' if s.age_days < 1 else 'Growing'} narrative{what}{where}: {_quote(s.label, 4)}; "
        f"{s.posts} posts by {s.authors} accounts in the last {hours} h ({past})"
    ]
    parts.append(f"{s.negativity:.0%} negative")
    if len(s.markets) > 1:
        parts.append(f"spread over {len(s.markets)} markets")
    if s.nearest is not None and s.novelty >= 0.5:
        parts.append(f"unlike known narratives (closest #{s.nearest}, similarity {1 - s.novelty:.2f})")
    elif s.nearest is not None:
        parts.append(f"close to narrative #{s.nearest} (similarity {1 - s.novelty:.2f})")
    by_lang = [f"{lang}: {_quote(ts, 3)}" for lang, ts in s.terms_by_lang.items()]
    if by_lang:
        parts.append("top terms " + "; ".join(by_lang))
    text = "; ".join(parts) + "."
    if s.representative:
        rep = s.representative[0]
        text += f' E.g. "{rep if len(rep) <= 140 else rep[:139] + "…"}"'
    return text


def burst_why(
    *,
    market: str,
    terms: list[tuple[str, int, float]],
    hours: int,
    authors: int,
    category: str | None,
    negative_share: float | None,
) -> str:
    """A term burst: the lead term's jump against its usual count, the terms bursting with it.

    >>> burst_why(market="ID", terms=[("dijamin", 96, 3.0), ("investasi", 40, 5.2), ("wa", 30, 1.0)], hours=6,
    ...     authors=38, category="Scam ads", negative_share=0.7).split("; ")
    ["'dijamin' jumped to 96 mentions in Indonesia in the last 6 h (usually 3)", "with 'investasi', 'wa'", \
'38 accounts', 'mostly Scam ads posts', '70% negative.']
    """
    term, count, usual = terms[0]
    usually = f"usually {usual:.0f}" if usual >= 0.5 else "new: almost never seen"
    parts = [f"'{term}' jumped to {count} mentions in {market_name(market)} in the last {hours} h ({usually})"]
    if len(terms) > 1:
        parts.append("with " + _quote([t for t, _, _ in terms[1:]], 6))
    parts.append(f"{authors} accounts")
    if category:
        parts.append(f"mostly {category} posts")
    if negative_share is not None:
        parts.append(f"{negative_share:.0%} negative")
    return "; ".join(parts) + "."


def shift_why(*, name: str, market: str, before: float, after: float, n_after: int, n_before: int, hours: int) -> str:
    """A sentiment shift with the shares before and after.

    >>> shift_why(name="Refunds", market="TH", before=0.22, after=0.61, n_after=340, n_before=2100, hours=24)[:89]
    'Negative share of Refunds posts in Thailand rose from 22% to 61% (n=340) in the last 24 h'
    """
    return (
        f"Negative share of {name} posts in {market_name(market)} rose from {before:.0%} to {after:.0%} "
        f"(n={n_after}) in the last {hours} h, against the 14 days before (n={n_before})."
    )
