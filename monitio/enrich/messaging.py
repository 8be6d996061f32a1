"""Messaging-app contacts in text: links, ids and phone numbers next to the app's name.

Values are `app:id`: `whatsapp:+6281234567890`, `whatsapp:group/AbC123`, `telegram:@handle`,
`line:@shop`, `line:lin.ee/abc`, `wechat:wxid_abc`, `zalo:+84912345678`, `kakao:open/abc`,
`viber:+639171234567`, `signal:+6591234567`; a bare `whatsapp` (no id) for "whatsapp me", "DM on
Telegram" and the like. Apps: whatsapp, telegram, line, wechat, zalo, kakao, viber, signal.

>>> find_messaging("Join t.me/CuanHarian or chat wa.me/6281234567890 | ID LINE: @promo88 | 微信: abc_12345")
['telegram:@cuanharian', 'whatsapp:+6281234567890', 'line:@promo88', 'wechat:abc_12345']
>>> find_messaging("WA 0812-3456-7890", phones=[("+6281234567890", 3, 17)])
['whatsapp:+6281234567890']
"""

from __future__ import annotations

import re

from monitio.enrich.phones import normalise_phone

LINK_PATTERNS = [
    (
        "whatsapp",
        ("wa.me", "whatsapp.com"),
        re.compile(r"(?:wa\.me|api\.whatsapp\.com/send/?\?phone=|whatsapp\.com/send\?phone=)/?\+?(\d{7,15})", re.I),
    ),
    ("whatsapp", ("chat.whatsapp",), re.compile(r"chat\.whatsapp\.com/(?:invite/)?([A-Za-z0-9]{8,40})", re.I)),
    (
        "telegram",
        ("t.me", "telegram.me", "telegram.dog"),
        re.compile(r"(?:t\.me|telegram\.me|telegram\.dog)/(?:s/)?(\+?[A-Za-z0-9_]{4,40})", re.I),
    ),
    ("line", ("line.me",), re.compile(r"line\.me/(?:r/)?ti/(?:p|g)/(?:~|%40|@)?([A-Za-z0-9._\-]{3,40})", re.I)),
    ("line", ("lin.ee",), re.compile(r"(lin\.ee/[A-Za-z0-9]{3,20})", re.I)),
    ("zalo", ("zalo.me",), re.compile(r"zalo\.me/(?:g/)?([A-Za-z0-9]{5,30})", re.I)),
    ("kakao", ("kakao.com",), re.compile(r"open\.kakao\.com/(?:o|me)/([A-Za-z0-9_]{3,30})", re.I)),
    (
        "viber",
        ("viber",),
        re.compile(r"(?:viber://chat\?number=|invite\.viber\.com/\?g2?=)(%2B|\+)?([A-Za-z0-9]{5,30})", re.I),
    ),
    ("signal", ("signal.",), re.compile(r"signal\.(?:me/#p/|group/#)(\+?[A-Za-z0-9]{5,60})", re.I)),
]
ID = r"[:：=]?\s*(?:id|ID)?\s*[:：=]?\s*"
ID_PATTERNS = [
    (
        "line",
        ("line", "ไลน์", "ไอดี", "แอด"),
        re.compile(
            r"(?:line\s*id|id\s*line|ไลน์\s*ไอดี|ไอดี\s*ไลน์|แอด\s*ไลน์|add\s*line)" + ID + r"(@?[A-Za-z0-9._\-]{3,30})",
            re.I,
        ),
    ),
    ("line", ("line", "ไลน์"), re.compile(r"(?<![A-Za-z])(?:line|ไลน์)\s*[:：=]?\s*(@[A-Za-z0-9._\-]{3,30})", re.I)),
    (
        "telegram",
        ("tele", "tg"),
        re.compile(
            r"(?<![./A-Za-z0-9_])(?:telegram|tele|tg)\s*(?:id|username|user)?\s*[:：=]?\s*(@[A-Za-z0-9_]{4,32})", re.I
        ),
    ),
    (
        "telegram",
        ("tele", "tg"),
        re.compile(r"(@[A-Za-z0-9_]{4,32})\s*(?:on|di|at|trên|sa|में|पर)?\s*(?:telegram|tele\b|tg\b)", re.I),
    ),
    (
        "wechat",
        ("wechat", "weixin", "微信", "威信", "v信", "vx", "wx"),
        re.compile(
            r"(?<![./A-Za-z0-9_])(?:wechat|weixin|微信号?|威信|v信|vx|wx)"
            + ID
            + r"([A-Za-z][A-Za-z0-9_\-]{5,19})(?![A-Za-z0-9_\-])",
            re.I,
        ),
    ),
    (
        "kakao",
        ("카톡", "카카오톡", "kakao"),
        re.compile(
            r"(?<![./A-Za-z0-9_])(?:카카오톡|카톡|kakaotalk|kakao)\s*(?:아이디|id)?\s*[:：=]?\s*([A-Za-z0-9][A-Za-z0-9._\-]{2,19})",
            re.I,
        ),
    ),
]
APP_WORDS = [
    ("whatsapp", r"whats\s?app|whatsap|watsap|wasap|wsap|w\.a\.?|wa|วอทส์แอพ|व्हाट्सएप|ওয়াটসঅ্যাপ|واٹس ایپ"),
    ("telegram", r"telegram|tele|tg|тг|电报|飞机"),
    ("line", r"line|ไลน์"),
    ("wechat", r"wechat|weixin|微信|vx|v信|wx"),
    ("zalo", r"zalo"),
    ("kakao", r"카카오톡|카톡|kakaotalk|kakao"),
    ("viber", r"viber"),
    ("signal", r"signal"),
]
_APP_BEFORE = re.compile(
    r"(?<![a-z])(" + "|".join(f"(?P<{app}>{words})" for app, words in APP_WORDS) + r")(?![a-z])[^\d\n]{0,14}\Z",
    re.I,
)
_BARE = re.compile(
    r"(?:\b(?:whats\s?app|telegram|viber|signal|zalo)\s+(?:me|us|now|kami|saya|ako|mình|karo|pe)\b"
    r"|\b(?:dm|pm|chat|message|msg|hubungi|contact|add|inbox|nhắn|message)\s+(?:me\s+|us\s+)?(?:on|via|di|lewat|qua|sa)?\s*"
    r"(?:whats\s?app|telegram|line|wechat|zalo|viber|signal|kakao)\b"
    r"|(?:加微信|加我微信|私信|카톡\s*주세요|แอดไลน์|ทักไลน์))",
    re.I,
)
_BARE_APP = re.compile(r"whats\s?app|telegram|line|wechat|zalo|viber|signal|kakao|微信|카톡|ไลน์", re.I)
_DIGITS = re.compile(r"[\d.\-]+")
APP_REGION = {"zalo": "VN", "kakao": "KR"}
"""Apps used almost only in one market: a local number next to them is taken as that market's."""
_BARE_NAMES = {"微信": "wechat", "카톡": "kakao", "ไลน์": "line"}
_GATE = re.compile(
    "wa\\.me|whats|t\\.me|tele|tg|line|ไลน์|ไอดี|แอด|lin\\.ee|wechat|weixin|微信|威信|v信|vx|wx|zalo|kakao|카톡|카카오톡|"
    "viber|signal|私信"
)
"""Cheap check: without one of these strings no messaging pattern is tried (phones next to app names still are)."""
_BARE_NEEDLES = (
    "whats",
    "telegram",
    "viber",
    "signal",
    "zalo",
    "line",
    "wechat",
    "kakao",
    "微信",
    "私信",
    "카톡",
    "ไลน์",
)


def _app_before(text: str, start: int) -> str | None:
    m = _APP_BEFORE.search(text, max(0, start - 30), start)
    if not m:
        return None
    return next(app for app, _ in APP_WORDS if m.group(app))


def find_messaging(
    text: str,
    phones: list[tuple[str, int, int]] = (),  # type: ignore[assignment]
    folded: str | None = None,
) -> list[str]:
    """Messaging contacts (`app:id`) in the text; `phones` are `find_phones` results to attribute to apps."""
    folded = folded if folded is not None else text.casefold()
    found: list[tuple[int, str]] = []
    gate = _GATE.search(folded) is not None
    for app, needles, rx in LINK_PATTERNS if gate else ():
        if not any(n in folded for n in needles):
            continue
        for m in rx.finditer(text):
            value = m.group(m.lastindex)
            if app == "whatsapp" and value.isdigit():
                value = "+" + value
            elif app == "whatsapp":
                value = "group/" + value
            elif app == "telegram":
                value = value if value.startswith("+") else "@" + value.lower()
            elif app == "line" and not value.startswith("lin.ee"):
                value = "@" + value.lower()
            elif app == "kakao":
                value = "open/" + value
            elif app == "viber" and m.group(1):
                value = "+" + value
            elif app in APP_REGION and value.isdigit() and value.startswith("0"):
                value = normalise_phone(value, False, APP_REGION[app], True) or value
            found.append((m.start(), f"{app}:{value}"))
    for app, needles, rx in ID_PATTERNS if gate else ():
        if not any(n in folded for n in needles):
            continue
        for m in rx.finditer(text):
            value = m.group(1)
            if _DIGITS.fullmatch(value) or value.lower() in ("id", "line", "me", "kami"):
                continue
            found.append((m.start(), f"{app}:{value.lower() if app in ('telegram', 'line') else value}"))
    for value, start, _ in phones:
        app = _app_before(text, start)
        if app:
            if app in APP_REGION and value.startswith("0"):
                value = normalise_phone(value, False, APP_REGION[app], True) or value
            found.append((start, f"{app}:{value}"))
    out = [v for _, v in sorted(found, key=lambda x: x[0])]
    for m in _BARE.finditer(text) if gate and any(n in folded for n in _BARE_NEEDLES) else ():
        name = _BARE_APP.search(m.group())
        if name:
            word = name.group().lower().replace(" ", "")
            app = _BARE_NAMES.get(word, word)
            if not any(v.startswith(app + ":") for v in out):
                out.append(app)
    return list(dict.fromkeys(out))
