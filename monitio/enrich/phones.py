"""Phone numbers in text, validated with `phonenumbers` and normalised to E.164 where possible.

Accepted forms, with spaces, dots, dashes or parentheses between digit groups:

- international: `+62 812-3456-7890`, `(+60) 12 345 6789`, and without the plus when a supported
  country code starts a valid mobile number (`6281234567890`, common in wa.me links);
- local mobile formats of the supported markets (`0812...` ID, `01x` MY, `0[689]x` TH, `0[35789]x` VN,
  `09xx` PH / MM / TW, `0[789]0` JP, `010` KR, `03xx` PK, `01x` BD, `07x` LK / UK, `0x` KH): E.164 when
  the post's market or the prefix tells the country, else the local digits (`0917...`);
- bare national mobiles without trunk prefix (IN `[6-9]` + 9 digits, CN `1[3-9]` + 9 digits, SG / HK
  8 digits) only when the market is that country or a contact word (call, WA, 电话, फोन ...) is near.

Dates, times, prices and order numbers do not pass: they are not valid numbers, and digits right after
words such as "order", "invoice", "resi", "订单" are ignored.

>>> [v for v, _, _ in find_phones("WA 0812-3456-7890, promo 5.000.000 until 2026-11-01")]
['+6281234567890']
>>> [v for v, _, _ in find_phones("call +91 98765 43210 or 9876543210", market="IN")]
['+919876543210']
"""

from __future__ import annotations

import re
from functools import lru_cache

PHONE_RE = re.compile(r"(?<![\w.,/#@+\-])(?:\+\s?)?\(?\+?\d{1,5}\)?(?:[ .\-]{1,2}\(?\d{1,6}\)?|\d){5,16}(?![\w/])")
_GATE = re.compile(r"\d[\d \-.()]{6,}\d")
"""Cheap check: a run of 8+ characters of digits and separators, without which no phone is looked for."""
DATE_RE = re.compile(r"(?<!\d)(?:\d{1,2}([-./])\d{1,2}\1(?:19|20)\d\d|(?:19|20)\d\d([-./])\d{1,2}\2\d{1,2})(?!\d)")
"""A day written as d-m-yyyy or yyyy-m-d (with -, . or /) inside a candidate: not a phone number."""
_SPLIT_RE = re.compile(r"[ .\-()+]+")
ORDER_RE = re.compile(
    r"(?:order|invoice|inv|resi|pesanan|tracking|awb|ref|receipt|account|acc|rek|rekening|a/c|nik|ktp|id|"
    r"mã đơn|đơn hàng|订单|注文|주문|ऑर्डर|code|kode|otp|pin)\W{0,8}(?:no\.?|number|#|nomor|số)?\W{0,4}\Z",
    re.IGNORECASE,
)
CONTACT_RE = re.compile(
    r"(?:call|phone|tel|mobile|mob|contact|whats\s?app|wa|hp|sms|text|telp|hubungi|nombor|số|sdt|zalo|viber|"
    r"telegram|line|电话|手機|手机|微信|联系|フォン|電話|연락|전화|फोन|फ़ोन|कॉल|संपर्क|nambar|number)\W{0,12}\Z",
    re.IGNORECASE,
)
# National mobile formats with the trunk 0, per region: a cheap filter before phonenumbers validates.
LOCAL_MOBILE = {
    "ID": re.compile(r"08\d{8,11}"),
    "MY": re.compile(r"01\d{8,9}"),
    "TH": re.compile(r"0[689]\d{8}"),
    "VN": re.compile(r"0[35789]\d{8}"),
    "PH": re.compile(r"09\d{9}"),
    "MM": re.compile(r"09\d{7,9}"),
    "KH": re.compile(r"0[1-9]\d{7,8}"),
    "JP": re.compile(r"0[789]0\d{8}"),
    "KR": re.compile(r"01[016789]\d{7,8}"),
    "TW": re.compile(r"09\d{8}"),
    "PK": re.compile(r"03\d{9}"),
    "BD": re.compile(r"01[3-9]\d{8}"),
    "LK": re.compile(r"07\d{8}"),
    "GB": re.compile(r"07\d{9}"),
}
BARE_MOBILE = {
    "IN": re.compile(r"[6-9]\d{9}"),
    "CN": re.compile(r"1[3-9]\d{9}"),
    "SG": re.compile(r"[89]\d{7}"),
    "HK": re.compile(r"[5-9]\d{7}"),
}
COUNTRY_CODES = (
    "62",
    "60",
    "66",
    "84",
    "63",
    "65",
    "95",
    "855",
    "81",
    "82",
    "86",
    "886",
    "852",
    "91",
    "92",
    "880",
    "94",
)
"""Country codes accepted without a leading plus (the supported markets; not 1 or 44, too ambiguous)."""
MARKET_REGION = {"UK": "GB"}


@lru_cache(maxsize=1)
def _pn():
    import phonenumbers

    return phonenumbers


@lru_cache(maxsize=8192)
def _valid(number: str, region: str | None, mobile_only: bool) -> str | None:
    """E.164 of a number if valid (and a mobile or fixed-or-mobile number when asked), else None."""
    pn = _pn()
    try:
        parsed = pn.parse(number, region)
    except pn.NumberParseException:
        return None
    if not pn.is_valid_number(parsed):
        return None
    if mobile_only and pn.number_type(parsed) not in (
        pn.PhoneNumberType.MOBILE,
        pn.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    ):
        return None
    return pn.format_number(parsed, pn.PhoneNumberFormat.E164)


def normalise_phone(digits: str, plus: bool, market: str | None, contact: bool) -> str | None:
    """The E.164 (or local) form of a candidate's digits, or None if it is no phone number.

    >>> normalise_phone("0912345678", False, "VN", False), normalise_phone("0912345678", False, None, False)
    ('+84912345678', '0912345678')
    >>> normalise_phone("20261101", False, None, True) is None
    True
    """
    region = MARKET_REGION.get(market or "", market) if market else None
    if plus:
        return _valid("+" + digits, None, False)
    if len(digits) < 8 or len(digits) > 15:
        return None
    if digits[0] == "0":
        if region and (found := _valid(digits, region, False)):
            return found
        hits = {_valid(digits, r, True) for r, rx in LOCAL_MOBILE.items() if rx.fullmatch(digits)} - {None}
        if len(hits) == 1:
            return hits.pop()
        return digits if hits else None
    if len(digits) >= 10 and digits.startswith(COUNTRY_CODES) and (found := _valid("+" + digits, None, True)):
        return found
    for r, rx in BARE_MOBILE.items():
        if (region == r or contact) and rx.fullmatch(digits) and (found := _valid(digits, r, True)):
            return found
    return None


def find_phones(text: str, market: str | None = None) -> list[tuple[str, int, int]]:
    """Phone numbers in the text as (normalised value, start, end), in order, without repeats.

    >>> [v for v, _, _ in find_phones("2026.11.01 0812 3456 7890")]
    ['+6281234567890']
    """
    out: list[tuple[str, int, int]] = []
    if not _GATE.search(text):
        return out
    seen: set[str] = set()
    for value, start, end in _candidates(text, 0, len(text), market):
        if value not in seen:
            seen.add(value)
            out.append((value, start, end))
    return out


def _candidates(text: str, pos: int, endpos: int, market: str | None):
    for m in PHONE_RE.finditer(text, pos, endpos):
        start = m.start()
        before = text[max(0, start - 24) : start]
        if ORDER_RE.search(before):
            continue
        raw = m.group()
        date = DATE_RE.search(raw)
        if date:  # a day next to a number: look on either side of it
            yield from _candidates(text, start, start + date.start(), market)
            yield from _candidates(text, start + date.end(), m.end(), market)
            continue
        contact = bool(CONTACT_RE.search(before))
        groups = [g for g in _SPLIT_RE.split(raw) if g]
        for drop in range(min(3, len(groups))):
            digits = "".join(groups[: len(groups) - drop])
            if len(digits) < 8:
                break
            value = normalise_phone(digits, "+" in raw, market, contact)
            if value:
                yield value, start, m.end()
                break
