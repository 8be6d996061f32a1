"""Money amounts with a currency, in the supported languages, normalised to `CODE amount`.

Currency signs, codes and words before or after the number (`Rp 5.000.000`, `RM50`, `500 บาท`,
`2 triệu đồng`, `₱1,500`, `5万円`, `10만원`, `3万元`, `₹2 lakh`, `5 crore रुपये`, `৳500`, `100 USDT`),
multipliers (k, rb/ribu, jt/juta, triệu/tr, tỷ, lakh, crore, 万/萬/만, 亿/억, million, ...), and amounts
whose multiplier implies the currency (`5 juta` is IDR, `3 triệu` VND, `2 lakh` INR). Signs shared by
several currencies follow the market: `¥` is CNY in CN, else JPY; `Rs` is PKR in PK, LKR in LK, else
INR; `$` is SGD / HKD / TWD in SG / HK / TW, else USD; `ribu`/`juta` are MYR in MY.

>>> find_money("Modal Rp 5.000.000, untung 1,5 juta/hari; fee $25.50 or 100 USDT")
['IDR 5000000', 'IDR 1500000', 'USD 25.5', 'USDT 100']
>>> find_money("10만원 / 5万円 / 3万元 / ₹2 lakh / 2 triệu đồng / 500 บาท", market="TH")
['KRW 100000', 'JPY 50000', 'CNY 30000', 'INR 200000', 'VND 2000000', 'THB 500']
>>> find_money("in 2026 we had 5 reports on 12.11")
[]
"""

from __future__ import annotations

import re

# fmt: off
PREFIX = {
    "rp": "IDR", "idr": "IDR", "rm": "MYR", "myr": "MYR", "฿": "THB", "thb": "THB", "₫": "VND", "vnd": "VND",
    "₱": "PHP", "php": "PHP", "ks": "MMK", "mmk": "MMK", "៛": "KHR", "khr": "KHR", "₩": "KRW", "krw": "KRW",
    "¥": "¥", "￥": "¥", "cny": "CNY", "rmb": "CNY", "jpy": "JPY", "₹": "INR", "inr": "INR", "rs": "RS",
    "rs.": "RS", "pkr": "PKR", "৳": "BDT", "bdt": "BDT", "tk": "BDT", "lkr": "LKR", "$": "$", "us$": "USD",
    "usd": "USD", "s$": "SGD", "sgd": "SGD", "hk$": "HKD", "hkd": "HKD", "nt$": "TWD", "twd": "TWD",
    "usdt": "USDT", "€": "EUR", "eur": "EUR", "£": "GBP", "gbp": "GBP",
}
# fmt: on
# fmt: off
SUFFIX = {
    "rupiah": "IDR", "rp": "IDR", "idr": "IDR", "ringgit": "MYR", "rm": "MYR", "myr": "MYR", "บาท": "THB",
    "thb": "THB", "฿": "THB", "đồng": "VND", "đ": "VND", "vnd": "VND", "vnđ": "VND", "₫": "VND", "piso": "PHP",
    "pesos": "PHP", "peso": "PHP", "php": "PHP", "₱": "PHP", "kyat": "MMK", "kyats": "MMK", "ks": "MMK",
    "ကျပ်": "MMK", "mmk": "MMK", "riel": "KHR", "៛": "KHR", "រៀល": "KHR", "khr": "KHR", "円": "JPY", "yen": "JPY",
    "jpy": "JPY", "원": "KRW", "won": "KRW", "krw": "KRW", "元": "CNY", "块": "CNY", "塊": "CNY", "人民币": "CNY",
    "rmb": "CNY", "cny": "CNY", "rupees": "RS", "rupee": "RS", "rupaye": "RS", "रुपये": "INR", "रुपए": "INR",
    "inr": "INR", "₹": "INR", "روپے": "PKR", "pkr": "PKR", "টাকা": "BDT", "taka": "BDT", "৳": "BDT", "bdt": "BDT",
    "usdt": "USDT", "usd": "USD", "dollars": "$", "dollar": "$", "$": "$", "eur": "EUR", "euro": "EUR",
    "euros": "EUR", "€": "EUR", "sgd": "SGD", "hkd": "HKD", "twd": "TWD", "lkr": "LKR",
}
# fmt: on
# fmt: off
MULTIPLIER = {
    "k": 1e3, "rb": 1e3, "ribu": 1e3, "nghìn": 1e3, "ngàn": 1e3, "พัน": 1e3, "千": 1e3, "thousand": 1e3,
    "jt": 1e6, "juta": 1e6, "triệu": 1e6, "tr": 1e6, "million": 1e6, "mil": 1e6, "m": 1e6, "mn": 1e6,
    "ล้าน": 1e6, "百万": 1e6, "lakh": 1e5, "lakhs": 1e5, "lac": 1e5, "crore": 1e7, "crores": 1e7, "cr": 1e7,
    "万": 1e4, "萬": 1e4, "만": 1e4, "亿": 1e8, "億": 1e8, "억": 1e8, "tỷ": 1e9, "billion": 1e9, "bn": 1e9,
}
# fmt: on
IMPLIED = {
    "rb": "IDR",
    "ribu": "IDR",
    "jt": "IDR",
    "juta": "IDR",
    "triệu": "VND",
    "tr": "VND",
    "nghìn": "VND",
    "tỷ": "VND",
}
IMPLIED.update({"lakh": "RS", "lakhs": "RS", "crore": "RS", "crores": "RS"})
AMBIGUOUS = {
    "¥": {"CN": "CNY", "HK": "CNY"},
    "RS": {"PK": "PKR", "LK": "LKR"},
    "$": {"SG": "SGD", "HK": "HKD", "TW": "TWD"},
    "IDR": {"MY": "MYR"},
}
_DEFAULT = {"¥": "JPY", "RS": "INR", "$": "USD"}


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


NUM = r"\d{1,3}(?:[.,\u00a0\u202f]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?"
MONEY_RE = re.compile(
    rf"(?<![\w.,])(?:(?P<pre>{_alt(PREFIX)})\s?(?P<n1>{NUM})(?:\s?(?P<m1>{_alt(MULTIPLIER)})(?![a-z]))?"
    rf"(?:\s?(?P<s1>{_alt(SUFFIX)})(?![a-z]))?"
    rf"|(?P<n2>{NUM})\s?(?:(?P<m2>{_alt(MULTIPLIER)})\s?)?(?P<s2>{_alt(SUFFIX)})(?![a-z])"
    rf"|(?P<n3>{NUM})\s?(?P<m3>{_alt(IMPLIED)})(?![a-z]))"
)


_DIGITS = re.compile(r"\d+")
_SIGNS = frozenset("$€£¥￥₩₫₱₹৳៛฿")


def _near_currency(folded: str) -> bool:
    """Cheap check: some digit run has a letter or a currency sign next to it (across a space or a dot)."""
    for m in _DIGITS.finditer(folded):
        s, e = m.span()
        for c in folded[max(0, s - 4) : s].rstrip(" .")[-1:] + folded[e : e + 2].lstrip(" ")[:1]:
            if c.isalpha() or c in _SIGNS:
                return True
    return False


def parse_amount(number: str) -> float:
    """A number as written with thousands separators and a decimal point or comma.

    >>> parse_amount("5.000.000"), parse_amount("1,250,000"), parse_amount("1,5"), parse_amount("1.234,56")
    (5000000.0, 1250000.0, 1.5, 1234.56)
    """
    number = number.replace("\u00a0", "").replace("\u202f", "")
    seps = [c for c in number if c in ".,"]
    if not seps:
        return float(number)
    last = max(number.rfind("."), number.rfind(","))
    decimals = len(number) - last - 1
    if decimals == 3 and ((len(seps) > 1 and len(set(seps)) == 1) or len(seps) == 1):
        return float(number.replace(".", "").replace(",", ""))
    whole = number[:last].replace(".", "").replace(",", "")
    return float(f"{whole}.{number[last + 1 :]}")


def _code(code: str, market: str | None) -> str:
    if code in AMBIGUOUS:
        return AMBIGUOUS[code].get(market or "", _DEFAULT.get(code, code))
    return code


def find_money(text: str, market: str | None = None, folded: str | None = None) -> list[str]:
    """Amounts with a currency as `CODE amount` (whole numbers without decimals), in order, no repeats."""
    folded = folded if folded is not None else text.casefold()
    out: list[str] = []
    if not _near_currency(folded):
        return out
    for m in MONEY_RE.finditer(folded):
        g = m.groupdict()
        number = g["n1"] or g["n2"] or g["n3"]
        mult = g["m1"] or g["m2"] or g["m3"]
        if g["pre"]:
            code = PREFIX[g["pre"]]
            if g["s1"] and SUFFIX[g["s1"]] == "USDT":
                code = "USDT"
        elif g["s2"]:
            code = SUFFIX[g["s2"]]
        else:
            code = IMPLIED[g["m3"]]
        amount = parse_amount(number) * MULTIPLIER.get(mult or "", 1)
        if code == "¥" and g["s1"] == "元":
            code = "CNY"
        value = f"{_code(code, market)} {int(amount) if amount == int(amount) else round(amount, 2)}"
        if value not in out:
            out.append(value)
    return out
