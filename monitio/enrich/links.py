"""Links in text: every URL, the shortened ones, and look-alikes of well-known brands' domains.

A link is kept as host + path, the host in lower case without `www.` and without the scheme
(`hxxp://` defanged links count too); bare domains count when they end in a common top-level domain.
The brand and shortener lists live in `monitio/lexicons/brand_domains.yaml`.

>>> find_links("Klaim di https://www.Tiktok-Shop-Refund.xyz/klaim?id=9 atau bit.ly/3xYz! Email a@b.com")
['tiktok-shop-refund.xyz/klaim?id=9', 'bit.ly/3xYz']
>>> [lookalike_host(h) for h in ("tiktok-shop-refund.xyz", "paypa1.com", "shopee.co.id", "faceb00k.net")]
[True, True, False, True]
>>> short_host("bit.ly"), short_host("example.com")
(True, False)
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

BRANDS_FILE = Path(__file__).resolve().parents[1] / "lexicons" / "brand_domains.yaml"
TLDS = (
    "com|net|org|info|biz|xyz|top|shop|site|online|club|vip|app|io|co|me|cc|tk|ml|ga|cf|gq|pw|ly|ws|link|live|"
    "store|tech|fun|icu|asia|bet|win|cn|ru|in|id|my|th|vn|ph|sg|hk|tw|jp|kr|pk|bd|lk|mm|kh|uk|de|fr|au|"
    "ee|gd|gl|gy|at|do|to|li|su|cloud|space|website|click|buzz|cyou|sbs|monster|rest|work|today|world|pro|one|"
    "finance|money|loan|cash|trade|market|investments|exchange|services|support|help|page|dev|news|lat"
)
LINK_RE = re.compile(
    r"(?<![\w@.\-])(?:(?:https?|hxxps?)://|www\.)[^\s<>\"'`，。、「」（）()\[\]{}]+"
    r"|(?<![\w@.\-/])(?:\w(?:[\w\-]{0,62}\w)?\.)+(?:" + TLDS + r")(?![\w\-])(?:[/?#][^\s<>\"'`，。、「」（）]*)?",
    re.IGNORECASE,
)
_GATE = re.compile(r"\.[^\W\d_]{2}|://")
_SCHEME_RE = re.compile(r"^(?:(?:https?|hxxps?)://)?(?:www\.)?", re.IGNORECASE)
_TRAIL = ".,;:!?)]}'\"…»”’>|*"
# fmt: off
CONFUSABLES = str.maketrans(
    {
        "0": "o", "1": "l", "3": "e", "4": "a", "5": "s", "7": "t", "$": "s", "@": "a",
        "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "х": "x", "у": "y", "і": "i", "ј": "j", "ѕ": "s",
        "ԁ": "d", "ɡ": "g", "һ": "h", "к": "k", "м": "m", "т": "t", "в": "b", "н": "h", "ո": "n", "ı": "i",
        "ο": "o", "α": "a", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ρ": "p", "τ": "t", "υ": "u", "χ": "x",
    }
)
# fmt: on
SECOND_LEVEL = frozenset({"co", "com", "net", "org", "ac", "go", "gov", "or", "web", "edu", "biz", "in", "my", "id"})


@lru_cache(maxsize=4)
def brand_table(path: Path = BRANDS_FILE) -> tuple[frozenset[str], dict[str, frozenset[str]]]:
    """(shortener hosts, brand name -> its own domains) from the YAML file."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    shorteners = frozenset(h.lower() for h in data.get("shorteners") or [])
    brands = {b["name"].lower(): frozenset(d.lower() for d in b.get("domains") or []) for b in data.get("brands") or []}
    return shorteners, brands


def find_links(text: str) -> list[str]:
    """Every link in the text (host lower-cased, no scheme or `www.`), in order, without repeats."""
    out: list[str] = []
    if not _GATE.search(text):
        return out
    for m in LINK_RE.finditer(text):
        url = _SCHEME_RE.sub("", m.group().rstrip(_TRAIL)).rstrip("/")
        host, sep, rest = url.partition("/")
        if "?" in host or "#" in host:
            host, q, tail = host.partition("?") if "?" in host else host.partition("#")
            rest, sep = q + tail + sep + rest, ""
        host = host.lower().strip(".")
        if "." not in host:
            continue
        value = host + sep + rest
        if value not in out:
            out.append(value)
    return out


def short_host(host: str) -> bool:
    """Whether the host is a known URL shortener."""
    return host.lower().removeprefix("www.") in brand_table()[0]


def _within_one_edit(a: str, b: str) -> bool:
    """Levenshtein distance <= 1, or one swap of neighbours."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    i = 0
    while i < min(la, lb) and a[i] == b[i]:
        i += 1
    if la == lb:
        return a[i + 1 :] == b[i + 1 :] or (a[i + 2 :] == b[i + 2 :] and a[i : i + 2] == b[i : i + 2][::-1])
    return a[i + 1 :] == b[i:] if la > lb else a[i:] == b[i + 1 :]


def _official(host: str, domains: frozenset[str]) -> bool:
    return any(host == d or host.endswith("." + d) for d in domains)


@lru_cache(maxsize=4096)
def lookalike_host(host: str) -> bool:
    """Whether a host looks like a brand's domain without being one (see the module docstring)."""
    host = host.lower().removeprefix("www.")
    _, brands = brand_table()
    if any(_official(host, domains) for domains in brands.values()):
        return False
    labels = host.split(".")
    if any(label.startswith("xn--") for label in labels):
        return True
    confusable = not host.isascii()
    names = [lb for lb in labels[:-1] if lb not in SECOND_LEVEL] or labels[:1]
    for label in names:
        skel = label.translate(CONFUSABLES).replace("rn", "m").replace("vv", "w")
        words = skel.split("-")
        for name in brands:
            if name in words or (len(name) >= 6 and name in skel):
                return True
            if len(name) >= 5 and any(_within_one_edit(w, name) for w in words):
                return True
            if confusable and name in skel:
                return True
    return False
