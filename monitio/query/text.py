"""Normalising and tokenising text once per document, for every query that looks at it.

Text is NFKC-normalised and case-folded. Combining accents on Latin letters are stripped unless the
text is Vietnamese (tones and letters such as ă ơ ư đ carry meaning there), so `cafe` finds `café`
while `lua` does not find `lừa`. Words are runs of letters, digits and combining marks; each emoji
is a word of its own. Thai, Lao, Burmese, Khmer, Japanese and Chinese are written without spaces:
a run of those scripts is one token, and terms are looked for inside it as substrings.

>>> v = build_view("Ｔhe CAFÉ scam — โดนหลอกลงทุน!", None)
>>> v.tokens
['the', 'cafe', 'scam', 'โดนหลอกลงทุน']
>>> build_view("Bị lừa đảo", None).tokens
['bị', 'lừa', 'đảo']

Distances (for NEAR) are kept in *units*: a word of a spaced script is 12 units, a Chinese or
Japanese character 6 (about two characters a word) and a Thai, Lao, Burmese or Khmer character 3
(about four characters a word).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from typing import Literal

Accents = Literal["auto", "strict", "loose"]
"""`auto`: ignore Latin accents except in Vietnamese; `strict`: never ignore; `loose`: always ignore."""

WORD_UNITS = 12
UNSPACED = (
    "\u0e00-\u0eff\u1000-\u109f\ua9e0-\ua9ff\uaa60-\uaa7f\u1780-\u17ff\u19e0-\u19ff"
    "\u3005\u3006\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"
)
_CJK = "\u3005\u3006\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"
_MARKS = (
    "\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"
    "\u0900-\u0963\u0966-\u0dff\u1ab0-\u1aff\u1dc0-\u1dff\u200c\u200d\u20d0-\u20ff\ufe20-\ufe2f"
)
_EMOJI = "\U0001f300-\U0001faff\u2600-\u27bf"
TOKEN_RE = re.compile(f"[\\w{_MARKS}{UNSPACED}]+|[{_EMOJI}]")
UNSPACED_RE = re.compile(f"[{UNSPACED}]")
CJK_RE = re.compile(f"[{_CJK}]")
_MIXED_TOKEN_RE = re.compile(f"[{UNSPACED}]+|(?:[^\\W{UNSPACED}]|[{_MARKS}])+|[{_EMOJI}]")
_ASCII_SPACES = {c: " " for c in range(128) if not (chr(c).isalnum() or chr(c) == "_")}
VIETNAMESE_RE = re.compile("[ăơưđ\u1ea0-\u1ef9]")
_LATIN_MARKS_RE = re.compile("(?<=[a-z\u00df-\u024f])[\u0300-\u036f]+")
_ACCENTED_RE = re.compile("[\u00c0-\u024f\u0300-\u036f\u1e00-\u1eff]")


def fold(text: str) -> str:
    """NFKC, case-folded (and NFC again, as case folding can decompose).

    >>> fold("ＳＣＡＭ İstanbul")
    'scam i̇stanbul'
    """
    text = unicodedata.normalize("NFKC", text).casefold()
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def strip_accents(folded: str, loose: bool = False) -> str:
    """Drop combining accents on Latin letters (and, when `loose`, turn đ into d).

    >>> strip_accents("café naïve"), strip_accents("lừa đảo"), strip_accents("lừa đảo", loose=True)
    ('cafe naive', 'lua đao', 'lua dao')
    """
    if folded.isascii() or _ACCENTED_RE.search(folded) is None:
        return folded
    text = _LATIN_MARKS_RE.sub("", unicodedata.normalize("NFD", folded))
    if loose:
        text = text.replace("đ", "d")
    return unicodedata.normalize("NFC", text)


def is_vietnamese(folded: str) -> bool:
    """True when folded text has letters only Vietnamese uses (ă ơ ư đ, stacked tone marks)."""
    return not folded.isascii() and VIETNAMESE_RE.search(folded) is not None


def split_tokens(text: str) -> list[str]:
    """Tokens of already normalised text: words, unspaced-script runs, single emoji.

    >>> split_tokens("iphoneราคา 9k, don't")
    ['iphone', 'ราคา', '9k', 'don', 't']
    """
    if text.isascii():  # fast path: ASCII words are exactly what remains between non-word characters
        return text.translate(_ASCII_SPACES).split()
    if UNSPACED_RE.search(text) is None:
        return TOKEN_RE.findall(text)
    return _MIXED_TOKEN_RE.findall(text)


def normalize(text: str, accents: Accents, vietnamese: bool) -> str:
    """Fold `text`, stripping accents as `accents` says for a (non-)Vietnamese document."""
    folded = fold(text)
    if accents == "loose":
        return strip_accents(folded, loose=True)
    if accents == "strict" or vietnamese:
        return folded
    return strip_accents(folded)


def is_unspaced(token: str) -> bool:
    """True when the token starts with a character of a script written without spaces."""
    return UNSPACED_RE.match(token) is not None


class TextView:
    """One document's normalised tokens, built once and shared by every rule that reads it."""

    __slots__ = ("_flat", "_layout", "_pos", "_sorted", "has_unspaced", "tokens", "vi", "vocab")

    def __init__(self, tokens: list[str], vietnamese: bool, has_unspaced: bool) -> None:
        self.tokens = tokens
        self.vocab = set(tokens)
        self.vi = 1 if vietnamese else 0
        self.has_unspaced = has_unspaced
        self._flat: str | None = None
        self._pos: dict[str, list[int]] | None = None
        self._sorted: list[str] | None = None
        self._layout: tuple[list[int], list[int], list[int], list[int]] | None = None

    @property
    def flat(self) -> str:
        """Tokens joined by single spaces, with a space at both ends (for substring search)."""
        if self._flat is None:
            self._flat = " " + " ".join(self.tokens) + " "
        return self._flat

    def positions(self, token: str) -> list[int]:
        """Indexes in `tokens` where `token` occurs."""
        if self._pos is None:
            pos: dict[str, list[int]] = {}
            for i, t in enumerate(self.tokens):
                pos.setdefault(t, []).append(i)
            self._pos = pos
        return self._pos.get(token, [])

    def with_prefix(self, prefix: str) -> list[str]:
        """Distinct tokens starting with `prefix`, in sorted order."""
        if self._sorted is None:
            self._sorted = sorted(self.vocab)
        words = self._sorted
        out = []
        for k in range(bisect_left(words, prefix), len(words)):
            if not words[k].startswith(prefix):
                break
            out.append(words[k])
        return out

    def layout(self) -> tuple[list[int], list[int], list[int], list[int]]:
        """Per token: offset in `flat`, start unit, end unit, units per character (0 for words)."""
        if self._layout is None:
            starts, ustart, uend, width = [], [], [], []
            pos, unit = 1, 0
            for tok in self.tokens:
                starts.append(pos)
                ustart.append(unit)
                if self.has_unspaced and UNSPACED_RE.match(tok):
                    w = 6 if CJK_RE.match(tok) else 3
                    unit += w * len(tok)
                else:
                    w = 0
                    unit += WORD_UNITS
                width.append(w)
                uend.append(unit)
                pos += len(tok) + 1
            self._layout = (starts, ustart, uend, width)
        return self._layout

    def token_span(self, i: int, j: int) -> tuple[int, int]:
        """Units covered by tokens i..j (inclusive)."""
        if not self.has_unspaced:
            return i * WORD_UNITS, (j + 1) * WORD_UNITS
        _, ustart, uend, _ = self.layout()
        return ustart[i], uend[j]


def build_view(text: str, lang: str | None, accents: Accents = "auto") -> TextView:
    """Normalise and tokenise a document's text once."""
    folded = fold(text)
    vietnamese = lang == "vi" or is_vietnamese(folded)
    if accents == "loose":
        folded = strip_accents(folded, loose=True)
    elif accents == "auto" and not vietnamese:
        folded = strip_accents(folded)
    has_unspaced = not folded.isascii() and UNSPACED_RE.search(folded) is not None
    return TextView(split_tokens(folded), vietnamese, has_unspaced)


_last: tuple[str, str | None, str, TextView] | None = None


def view_of(text: str, lang: str | None, accents: Accents = "auto") -> TextView:
    """`build_view` with a one-entry cache, so several compiled queries on one doc tokenise it once."""
    global _last
    last = _last
    if last is not None and (last[0] is text or last[0] == text) and last[1] == lang and last[2] == accents:
        return last[3]
    view = build_view(text, lang, accents)
    _last = (text, lang, accents, view)
    return view
