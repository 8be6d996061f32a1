"""Market (ISO 3166-1 alpha-2 country) of a post: its hint when given, else inferred from the language.

>>> normalise_market("Indonesia"), normalise_market("my"), normalise_market(" Phillipines "), normalise_market("UK")
('ID', 'MY', 'PH', 'GB')
>>> market_for_language("hi-Latn"), market_for_language("en"), market_for_language("en-SG")
('IN', None, 'SG')
>>> market_for_language("zh", "這個廣告是詐騙"), market_for_language("zh", "这个广告是诈骗")
('TW', 'CN')
"""

from __future__ import annotations

import re

from monitio.records import Doc

UNKNOWN = "_unknown"
"""The market of posts whose market cannot be told (same value as `monitio.store.schema.UNKNOWN`)."""

ALIASES = {
    **dict.fromkeys(["indonesia", "indo", "idn", "ina", "republik indonesia"], "ID"),
    **dict.fromkeys(["malaysia", "mys", "msia", "m'sia", "malaya"], "MY"),
    **dict.fromkeys(["thailand", "tha", "thai", "ประเทศไทย", "ไทย"], "TH"),
    **dict.fromkeys(["vietnam", "viet nam", "việt nam", "vnm", "vn"], "VN"),
    **dict.fromkeys(["philippines", "phillipines", "philipines", "phl", "pilipinas", "pinas", "ph"], "PH"),
    **dict.fromkeys(["myanmar", "burma", "mmr"], "MM"),
    **dict.fromkeys(["cambodia", "kampuchea", "khm"], "KH"),
    **dict.fromkeys(["laos", "lao pdr", "lao"], "LA"),
    **dict.fromkeys(["singapore", "sgp", "sg"], "SG"),
    **dict.fromkeys(["brunei", "brunei darussalam", "brn"], "BN"),
    **dict.fromkeys(["japan", "jpn", "nippon", "日本"], "JP"),
    **dict.fromkeys(["korea", "south korea", "republic of korea", "korea, republic of", "kor", "rok", "한국"], "KR"),
    **dict.fromkeys(["china", "prc", "mainland china", "chn", "中国"], "CN"),
    **dict.fromkeys(["taiwan", "twn", "台灣", "台湾"], "TW"),
    **dict.fromkeys(["hong kong", "hongkong", "hkg", "香港"], "HK"),
    **dict.fromkeys(["india", "ind", "bharat", "भारत"], "IN"),
    **dict.fromkeys(["bangladesh", "bgd", "বাংলাদেশ"], "BD"),
    **dict.fromkeys(["pakistan", "pak", "پاکستان"], "PK"),
    **dict.fromkeys(["sri lanka", "lka"], "LK"),
    **dict.fromkeys(["nepal", "npl"], "NP"),
    **dict.fromkeys(["australia", "aus"], "AU"),
    **dict.fromkeys(["uk", "united kingdom", "great britain", "britain", "gbr", "england"], "GB"),
    **dict.fromkeys(["usa", "us", "united states", "united states of america", "america"], "US"),
}
BY_LANGUAGE = {
    "id": "ID",
    "ms": "MY",
    "th": "TH",
    "vi": "VN",
    "tl": "PH",
    "fil": "PH",
    "my": "MM",
    "km": "KH",
    "lo": "LA",
    "ja": "JP",
    "ko": "KR",
    "zh-hant": "TW",
    "zh-tw": "TW",
    "zh-hk": "HK",
    "zh-hans": "CN",
    "zh-cn": "CN",
    "hi": "IN",
    "hi-latn": "IN",
    "ta": "IN",
    "ta-latn": "IN",
    "te": "IN",
    "bn": "BD",
    "ur": "PK",
    "ur-latn": "PK",
}
"""The main market of each language. English has none: it is spoken in every market."""

# Common characters written differently in Traditional and Simplified Chinese.
TRADITIONAL = set(
    "這個們來說時會為國過還沒對樣開關發買賣錢騙廣詐實現東車門問題讓給經聽見長間點從業務產電話體後裡頭網號帳戶貨幣體"
)
SIMPLIFIED = set(
    "这个们来说时会为国过还没对样开关发买卖钱骗广诈实现东车门问题让给经听见长间点从业务产电话体后里头网号账户货币"
)
REGION_RE = re.compile(r"^[a-z]{2,3}-([a-z]{2})$")


def normalise_market(value: str | None) -> str | None:
    """Two-letter upper-case code from a code, a three-letter code or a country name; None when unknown."""
    if not value:
        return None
    v = " ".join(str(value).strip().casefold().replace("_", " ").split())
    if v in ALIASES:
        return ALIASES[v]
    if len(v) == 2 and v.isascii() and v.isalpha():
        return v.upper()
    return None


def chinese_market(text: str) -> str:
    """TW when the text leans on Traditional characters, else CN."""
    trad = sum(ch in TRADITIONAL for ch in text)
    simp = sum(ch in SIMPLIFIED for ch in text)
    return "TW" if trad > simp else "CN"


def market_for_language(lang: str | None, text: str = "") -> str | None:
    """The main market of a language code (with or without script or region), None when none."""
    if not lang:
        return None
    code = lang.strip().casefold().replace("_", "-")
    if code in BY_LANGUAGE:
        return BY_LANGUAGE[code]
    if code == "zh" or code.startswith("zh-"):
        return chinese_market(text)
    if m := REGION_RE.match(code):
        return m.group(1).upper()
    return BY_LANGUAGE.get(code.split("-")[0])


class MarketStage:
    """Sets `doc.market`: the post's hint, else the language's main market, else `_unknown`."""

    name = "market"

    def process(self, docs: list[Doc]) -> None:
        for d in docs:
            d.market = (
                normalise_market(d.post.market_hint)
                or market_for_language(d.lang or d.post.lang_hint, d.text)
                or UNKNOWN
            )
