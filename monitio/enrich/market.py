"""Market (ISO 3166-1 alpha-2 country) of a post: its hint when given, else inferred from the language.

>>> normalise_market("Indonesia"), normalise_market("my"), normalise_market("Phillipines")
('ID', 'MY', 'PH')
>>> market_for_language("hi-Latn"), market_for_language("en")
('IN', None)
"""

from __future__ import annotations

from monitio.records import Doc
from monitio.store.schema import UNKNOWN

ALIASES = {
    "indonesia": "ID",
    "indo": "ID",
    "malaysia": "MY",
    "thailand": "TH",
    "vietnam": "VN",
    "viet nam": "VN",
    "philippines": "PH",
    "phillipines": "PH",
    "pilipinas": "PH",
    "myanmar": "MM",
    "burma": "MM",
    "cambodia": "KH",
    "japan": "JP",
    "korea": "KR",
    "south korea": "KR",
    "china": "CN",
    "taiwan": "TW",
    "hong kong": "HK",
    "singapore": "SG",
    "india": "IN",
    "bangladesh": "BD",
    "pakistan": "PK",
    "sri lanka": "LK",
    "uk": "GB",
    "united kingdom": "GB",
    "usa": "US",
    "united states": "US",
    "australia": "AU",
}
BY_LANGUAGE = {
    "id": "ID",
    "ms": "MY",
    "th": "TH",
    "vi": "VN",
    "tl": "PH",
    "my": "MM",
    "km": "KH",
    "ja": "JP",
    "ko": "KR",
    "zh": "CN",
    "zh-Hant": "TW",
    "hi": "IN",
    "hi-Latn": "IN",
    "ta": "IN",
    "ta-Latn": "IN",
    "te": "IN",
    "bn": "BD",
    "ur": "PK",
    "ur-Latn": "PK",
}


def normalise_market(value: str | None) -> str | None:
    """Two-letter code from a code or a country name; None when unknown."""
    if not value:
        return None
    v = " ".join(value.strip().lower().split())
    if len(v) == 2 and v.isalpha():
        return v.upper()
    return ALIASES.get(v)


def market_for_language(lang: str | None) -> str | None:
    return BY_LANGUAGE.get(lang or "")


class MarketStage:
    """Sets `doc.market`: the post's hint, else the language's main market, else `_unknown`."""

    name = "market"

    def process(self, docs: list[Doc]) -> None:
        for d in docs:
            d.market = normalise_market(d.post.market_hint) or market_for_language(d.lang) or UNKNOWN
