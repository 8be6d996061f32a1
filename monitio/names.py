"""Readable names for what people read: markets, languages, signal kinds, statuses and timestamps.

Ids stay in the API and the database; pages, briefs and messages show these names.

>>> market_label("ID"), market_label("PH"), market_label("_unknown"), market_label("ZZ")
('Indonesia', 'Philippines', 'Unknown market', 'ZZ')
>>> language_label("hi-Latn"), language_label("ms"), language_label(None)
('Hindi (romanised)', 'Malay', 'Unknown language')
>>> kind_label("emerging_narrative"), kind_label("spike"), kind_label("new_kind")
('Emerging narrative', 'Spike', 'New kind')
>>> category_label("deepfake_impersonation", {})
'Deepfake impersonation'
>>> stamp("2026-12-06T08:30:12.345+00:00"), stamp(None)
('2026-12-06 08:30 UTC', '')
"""

from __future__ import annotations

from datetime import UTC, datetime

MARKETS = {
    "ID": "Indonesia",
    "MY": "Malaysia",
    "TH": "Thailand",
    "VN": "Vietnam",
    "PH": "Philippines",
    "MM": "Myanmar",
    "KH": "Cambodia",
    "LA": "Laos",
    "SG": "Singapore",
    "BN": "Brunei",
    "JP": "Japan",
    "KR": "South Korea",
    "CN": "China",
    "TW": "Taiwan",
    "HK": "Hong Kong",
    "IN": "India",
    "BD": "Bangladesh",
    "PK": "Pakistan",
    "LK": "Sri Lanka",
    "NP": "Nepal",
    "US": "United States",
    "GB": "United Kingdom",
    "AU": "Australia",
    "_unknown": "Unknown market",
}
LANGUAGES = {
    "en": "English",
    "id": "Indonesian",
    "ms": "Malay",
    "th": "Thai",
    "vi": "Vietnamese",
    "tl": "Tagalog",
    "my": "Burmese",
    "km": "Khmer",
    "ja": "Japanese",
    "ko": "Korean",
    "zh": "Chinese",
    "zh-Hans": "Chinese (simplified)",
    "zh-Hant": "Chinese (traditional)",
    "hi": "Hindi",
    "hi-Latn": "Hindi (romanised)",
    "bn": "Bengali",
    "ur": "Urdu",
    "ur-Latn": "Urdu (romanised)",
    "ta": "Tamil",
    "ta-Latn": "Tamil (romanised)",
    "te": "Telugu",
    "und": "Unknown language",
    "_unknown": "Unknown language",
}
KINDS = {
    "spike": "Spike",
    "volume": "Volume anomaly",
    "term_burst": "Term burst",
    "campaign": "Coordinated campaign",
    "emerging_narrative": "Emerging narrative",
    "sentiment_shift": "Sentiment shift",
    "source_failing": "Source failing",
    "level_shift": "Level shift",
    "build_up": "Build-up",
}
STATUSES = {
    "open": "Open",
    "closed": "Closed",
    "dismissed": "Dismissed",
    "new": "New",
    "triage": "Triage",
    "investigating": "Investigating",
    "escalated": "Escalated",
    "mitigating": "Mitigating",
    "resolved": "Resolved",
}


def _humanise(value: str) -> str:
    text = value.replace("_", " ").replace("-", " ").strip()
    return text[:1].upper() + text[1:] if text else value


def market_label(code: str | None) -> str:
    """The market's country name (the code itself when unknown)."""
    if not code:
        return "Unknown market"
    return MARKETS.get(code, MARKETS.get(code.upper(), code))


def language_label(code: str | None) -> str:
    """The language's English name; a script subtag other than the usual one is said in brackets."""
    if not code:
        return "Unknown language"
    if code in LANGUAGES:
        return LANGUAGES[code]
    base, _, script = code.partition("-")
    if base in LANGUAGES and script.lower() == "latn":
        return f"{LANGUAGES[base]} (romanised)"
    return LANGUAGES.get(base, code)


def kind_label(kind: str | None) -> str:
    """A signal kind as words."""
    return KINDS.get(kind or "", _humanise(kind or ""))


def status_label(status: str | None) -> str:
    return STATUSES.get(status or "", _humanise(status or ""))


def category_label(category: str | None, names: dict[str, str]) -> str:
    """The taxonomy's name of a category (`names` maps id -> name), else the id in words."""
    if not category:
        return "All posts"
    return names.get(category) or _humanise(category)


def stamp(value: str | datetime | None) -> str:
    """One timestamp format for people: `2026-12-06 08:30 UTC` (minutes, UTC)."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return f"{value.astimezone(UTC):%Y-%m-%d %H:%M} UTC"
