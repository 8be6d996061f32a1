"""Text normalisation shared by the enrichment stages.

>>> fold("  ＳＣＡＭ  Ad ")
'scam ad'
>>> strip_noise("Call 0812-3456-7890 or see https://x.co/a @budi #promo 🔥🔥")
'Call or see promo'
>>> is_unspaced("หลอกลงทุน"), is_unspaced("iklan")
(True, False)
"""

from __future__ import annotations

import re
import unicodedata

URL_RE = re.compile(
    r"(?:https?://|www\.)\S+|\b[\w-]+\.(?:com|net|org|co|id|my|ly|io|me|xyz|info|shop|link)(?:/\S*)?\b", re.IGNORECASE
)
_URL_ENDING = re.compile(r"\.(?:com|net|org|co|id|my|ly|io|me|xyz|info|shop|link)", re.IGNORECASE)
_WWW = re.compile(r"www\.", re.IGNORECASE)
"""What every `URL_RE` match contains ('://', 'www.' or a dot before a known ending): cheap tests first (a
pattern starting with a literal scans faster than one alternation of the three)."""
MENTION_RE = re.compile(r"@\w+")
NUMBER_RE = re.compile(r"[+]?\d[\d\s().,/:-]*\d|\d")
_DIGIT = re.compile(r"\d")
EMOJI_RE = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\ufe0f\u200d\u20e3]")
SPACE_RE = re.compile(r"\s+")
# Scripts written without spaces between words (and Hangul, whose words take attached particles):
# terms are matched as substrings there.
UNSPACED_RANGES = (
    (0x0E00, 0x0EFF),  # Thai, Lao
    (0x1000, 0x109F),  # Myanmar
    (0x1780, 0x17FF),  # Khmer
    (0x3040, 0x30FF),  # Hiragana, Katakana
    (0x3400, 0x9FFF),  # CJK
    (0xAC00, 0xD7AF),  # Hangul syllables
    (0x1100, 0x11FF),  # Hangul jamo
    (0xF900, 0xFAFF),  # CJK compatibility
)


def fold(text: str) -> str:
    """NFKC, case-folded, whitespace collapsed (ASCII text is its own NFKC form)."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    return " ".join(text.casefold().split())


def strip_noise(text: str) -> str:
    """Remove URLs, @mentions, '#', emoji and numbers (for language ID and copy-paste keys).

    A pattern is only run when the text has what it needs ('://', 'www.' or a known ending, '@', non-ASCII,
    a digit).
    """
    if "://" in text or ("." in text and (_URL_ENDING.search(text) is not None or _WWW.search(text) is not None)):
        text = URL_RE.sub(" ", text)
    if "@" in text:
        text = MENTION_RE.sub(" ", text)
    if not text.isascii():
        text = EMOJI_RE.sub(" ", text)
    if "#" in text:
        text = text.replace("#", " ")
    if _DIGIT.search(text) is not None:
        text = NUMBER_RE.sub(" ", text)
    return " ".join(text.split())


UNSPACED_RE = re.compile("[" + "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in UNSPACED_RANGES) + "]")
_FIRST_UNSPACED = min(lo for lo, _ in UNSPACED_RANGES)


def is_unspaced_char(ch: str) -> bool:
    o = ord(ch)
    return o >= _FIRST_UNSPACED and any(lo <= o <= hi for lo, hi in UNSPACED_RANGES)


def has_unspaced_char(text: str) -> bool:
    """True when any character of `text` is in a script written without spaces (`is_unspaced_char`).

    >>> has_unspaced_char("iklan"), has_unspaced_char("promoคืนเงิน")
    (False, True)
    """
    return UNSPACED_RE.search(text) is not None


def is_unspaced(term: str) -> bool:
    """True when a term is (mostly) in a script matched by substring."""
    letters = [c for c in term if not c.isspace()]
    return bool(letters) and sum(map(is_unspaced_char, letters)) * 2 >= len(letters)


def trie_pattern(words, space: str | None = None) -> str:
    """A regex alternation of literal words factored as a trie: at each position it matches the longest word,
    as an alternation sorted longest first does, but tries one branch per character instead of every word.
    `space`: the pattern a space in a word stands for (e.g. `\\s*`), else a literal space.

    >>> re.findall(trie_pattern(["ab", "abc", "b"]), "abcab b")
    ['abc', 'ab', 'b']
    >>> re.findall(trie_pattern(["a b"], space=r"\\s*"), "ab a  b")
    ['ab', 'a  b']
    """
    root: dict = {}
    for w in words:
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        alts = [
            (space if space is not None and ch == " " else re.escape(ch)) + build(node[ch])
            for ch in sorted(k for k in node if k)
        ]
        if not alts:
            return ""
        if len(alts) == 1 and "" not in node:
            return alts[0]
        return "(?:" + "|".join(alts) + ")" + ("?" if "" in node else "")

    return build(root)


def char_ranges(chars, gap: int = 1024) -> str:
    """A regex character class covering `chars` with few ranges (non-ASCII code points closer than `gap` share one).

    A class of a few ranges scans fast; one of many scattered characters (emoji) is slow in `re`. The class
    may cover more than `chars`: use it to find candidate positions only.

    >>> char_ranges("abx\U0001f600\U0001f603")
    '[a-bx\U0001f600-\U0001f603]'
    """
    points = sorted({ord(c) for c in chars})
    spans: list[list[int]] = []
    for o in points:
        if spans and (o - spans[-1][1] == 1 or (o > 127 and o - spans[-1][1] < gap)):
            spans[-1][1] = o
        else:
            spans.append([o, o])
    body = "".join(re.escape(chr(lo)) + ("" if lo == hi else "-" + re.escape(chr(hi))) for lo, hi in spans)
    return f"[{body}]"


_TAG_RE = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")


def bcp47(code: str | None) -> str | None:
    """A language code in BCP 47 case: language lower-case, script title-case, region upper-case.

    Anything that is not a language tag (empty, `und`, free text) is returned stripped, or None when empty.

    >>> bcp47("hi-latn"), bcp47("HI_LATN"), bcp47("zh-hant-tw"), bcp47(" EN "), bcp47("pt-br"), bcp47("")
    ('hi-Latn', 'hi-Latn', 'zh-Hant-TW', 'en', 'pt-BR', None)
    """
    if code is None:
        return None
    code = code.strip()
    if not code or not _TAG_RE.match(code):
        return code or None
    first, *rest = code.replace("_", "-").split("-")
    parts = [first.lower()]
    for p in rest:
        if len(p) == 4 and p.isalpha():
            parts.append(p.title())
        elif (len(p) == 2 and p.isalpha()) or (len(p) == 3 and p.isdigit()):
            parts.append(p.upper())
        else:
            parts.append(p.lower())
    return "-".join(parts)
