"""Scam indicators: contact points, links, wallets, money and the words that sell a scam.

`extract_indicators(text, market)` returns the kinds found, each a list of normalised values without
repeats, in order of appearance. Kinds (the names `has:` takes in the query language):

| kind | values | found by |
|---|---|---|
| `phone` | E.164 `+6281234567890` (local digits when the country is unclear) | `monitio.enrich.phones` |
| `messaging` | `whatsapp:+62...`, `telegram:@handle`, `line:@id`, `wechat:id`, `zalo:...`, `kakao:...` | `.messaging` |
| `link` | every URL or bare domain, `host/path` | `monitio.enrich.links` |
| `short_link` | links through a URL shortener (bit.ly, s.id, cutt.ly, ...) | `.links` |
| `lookalike_link` | hosts posing as a brand's domain (`tiktok-shop-refund.xyz`, `paypa1.com`, `xn--...`) | `.links` |
| `wallet` | checksum-valid `btc:...`, `eth:0x...`, `trx:T...` | `monitio.enrich.wallets` |
| `money` | `IDR 5000000`, `USDT 100`, ... | `monitio.enrich.money` |
| `returns` | promised returns: `dijamin untung`, `30%/day`, `x2/24h` | `monitio.enrich.cues` |
| `urgency` | urgency and secrecy: `buruan`, `限时`, `don't tell anyone` | `.cues` |
| `lure` | prize, phishing, loan and comment-spam lures: `you have won`, `selamat anda`, `sub4sub`, `中奖` | `.cues` |
| `impersonation` | watch-list names (`Elon Musk`, `Shopee`) next to scam cues | `monitio.enrich.watchlist` |

Cheap checks keep it fast: digits-only kinds run only when the text has a digit, links only when it
has a dot, messaging only when an app name or `@` appears.

>>> ind = extract_indicators("Elon Musk: profit 30% daily, dijamin untung! WA 0812-3456-7890 bit.ly/x1", "ID")
>>> for kind, values in ind.items():
...     print(kind, values)
phone ['+6281234567890']
messaging ['whatsapp:+6281234567890']
link ['bit.ly/x1']
short_link ['bit.ly/x1']
returns ['30%/day', 'dijamin untung']
impersonation ['Elon Musk']
>>> extract_indicators("Refund belum masuk sejak 01/11/2026, order 2611019876")
{}
"""

from __future__ import annotations

import re

from monitio.enrich.cues import LURE, RETURNS, URGENCY, PhraseSet, find_lure, find_returns, find_urgency, split_phrases
from monitio.enrich.links import find_links, lookalike_host, short_host
from monitio.enrich.messaging import find_messaging
from monitio.enrich.money import find_money
from monitio.enrich.phones import find_phones
from monitio.enrich.wallets import find_wallets
from monitio.enrich.watchlist import WatchList, load_watch_list, watch_list_path
from monitio.records import Doc

KINDS = (
    "phone",
    "messaging",
    "link",
    "short_link",
    "lookalike_link",
    "wallet",
    "money",
    "returns",
    "urgency",
    "lure",
    "impersonation",
)
"""Every indicator kind, in the order `extract_indicators` lists them."""
CONTACT_KINDS = ("phone", "messaging")
_DIGIT = re.compile(r"\d")
_PHONE_APPS = ("whatsapp:+", "viber:+", "signal:+", "zalo:+", "line:+", "telegram:+", "wechat:+", "kakao:+")
INVEST = (
    "invest|investment|investing|investasi|pelaburan|saham|trading|trader|crypto|kripto|bitcoin|forex|giveaway|"
    "airdrop|bagi-bagi|hadiah|bonus|modal|ลงทุน|เทรด|đầu tư|tiền ảo|mamuhunan|puhunan|निवेश|nivesh|বিনিয়োগ|"
    "سرمایہ کاری|投资|投資|理财|理財|股票|仮想通貨|투자|코인|주식"
)


def extract_indicators(
    text: str, market: str | None = None, watch_list: WatchList | None = None
) -> dict[str, list[str]]:
    """Scam indicators in a text by kind (only kinds found); `market` (e.g. "ID") helps phones and money."""
    folded = text.casefold()
    watch_list = watch_list or load_watch_list()
    market = market.upper() if market else None
    hits = _phrases(watch_list).find(folded)
    has_digit = _DIGIT.search(text) is not None
    phones = find_phones(text, market) if has_digit else []
    messaging = find_messaging(text, phones, folded)
    phone_values = [v for v, _, _ in phones]
    for m in messaging:
        if m.startswith(_PHONE_APPS) and (number := m.partition(":")[2]) not in phone_values:
            phone_values.append(number)
    found: dict[str, list[str]] = {"phone": phone_values, "messaging": messaging}
    links = find_links(text) if "." in text else []
    if links:
        hosts = [(link, link.partition("/")[0].partition("?")[0]) for link in links]
        found["link"] = links
        found["short_link"] = [link for link, host in hosts if short_host(host)]
        found["lookalike_link"] = list(dict.fromkeys(host for _, host in hosts if lookalike_host(host)))
    if has_digit:
        found["wallet"] = find_wallets(text)
        found["money"] = find_money(text, market, folded)
    found["returns"] = find_returns(text, folded, hits)
    if hits:
        found["urgency"] = find_urgency(text, folded, hits)
        found["lure"] = find_lure(text, folded, hits)
        found["impersonation"] = _impersonation(text, folded, hits, found, watch_list)
    return {k: found[k] for k in KINDS if found.get(k)}


_INDEXES: dict[int, tuple[WatchList, PhraseSet]] = {}


def _phrases(watch_list: WatchList) -> PhraseSet:
    """One phrase set for returns, urgency, investment words and the watch list's aliases (cached)."""
    cached = _INDEXES.get(id(watch_list))
    if cached is None or cached[0] is not watch_list:
        groups = {"returns": split_phrases(RETURNS), "urgency": split_phrases(URGENCY), "lure": split_phrases(LURE)}
        groups |= {"invest": split_phrases(INVEST), "watch": watch_list.aliases}
        cached = _INDEXES[id(watch_list)] = (watch_list, PhraseSet(groups))
    return cached[1]


def _impersonation(
    text: str, folded: str, hits: list[tuple[int, str, str]], found: dict[str, list[str]], watch_list: WatchList
) -> list[str]:
    named = watch_list.find(text, folded, hits)
    if not named:
        return []
    strong = any(found.get(k) for k in ("returns", "wallet", "messaging", "lookalike_link"))
    invest = any(label == "invest" for _, label, _ in hits)
    person_cue = strong or invest or bool(found.get("money") or found.get("phone"))
    brand_cue = strong or invest
    return [name for name, kind in named if (person_cue if kind == "person" else brand_cue)]


class IndicatorStage:
    """Fills `doc.indicators` (the market, when known, helps read local phone numbers and `$`/`¥`/`Rs`).

    >>> from datetime import datetime, UTC
    >>> from monitio.records import Post
    >>> d = Doc(1, Post.create(source="s", source_id="1", text="USDT ke TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t",
    ...                        published_at=datetime(2026, 11, 1, tzinfo=UTC)))
    >>> IndicatorStage().process([d]); d.indicators
    {'wallet': ['trx:TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t']}
    """

    name = "indicators"

    def __init__(self, watch_list: WatchList | None = None):
        self.watch_list = watch_list or load_watch_list()

    @classmethod
    def from_settings(cls, settings) -> IndicatorStage:
        """The stage for a workspace: the built-in watch list plus `settings.watch_list` when set."""
        return cls(load_watch_list(watch_list_path(settings)))

    def process(self, docs: list[Doc]) -> None:
        for d in docs:
            d.indicators = extract_indicators(d.text, d.market or d.post.market_hint, self.watch_list)
