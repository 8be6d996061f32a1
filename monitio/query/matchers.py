"""How one term or phrase is found in a `TextView`: as a word, a word prefix, a word sequence, or
(when it contains Thai, Lao, Burmese, Khmer, Chinese or Japanese) a substring.

>>> from monitio.query.text import build_view
>>> v = build_view("Scammers sell fake refund scam tickets; โดนหลอกลงทุน", None)
>>> [term_form(t, w).found(v) for t, w in [("scam", False), ("scam", True), ("refund scam", False), ("หลอก", False)]]
[['scam'], ['scam', 'scammers'], ['refund scam'], ['หลอก']]
>>> term_form("scampi", False).test(v)
False
"""

from __future__ import annotations

from bisect import bisect_right

from monitio.query.text import TextView, is_unspaced, split_tokens

Span = tuple[int, int]
Anchor = tuple[str, str]
"""("w", word) | ("b", "word1 word2": both words) | ("p", word prefix) | ("s", substring): present in
every text the form matches."""


class WordForm:
    __slots__ = ("word",)

    def __init__(self, word: str) -> None:
        self.word = word

    def test(self, v: TextView) -> bool:
        return self.word in v.vocab

    def found(self, v: TextView) -> list[str]:
        return [self.word] if self.word in v.vocab else []

    def spans(self, v: TextView) -> list[Span]:
        return [v.token_span(i, i) for i in v.positions(self.word)]

    def anchor(self) -> Anchor:
        return ("w", self.word)


class PrefixForm:
    __slots__ = ("prefix",)

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def test(self, v: TextView) -> bool:
        return bool(v.with_prefix(self.prefix))

    def found(self, v: TextView) -> list[str]:
        return v.with_prefix(self.prefix)

    def spans(self, v: TextView) -> list[Span]:
        return [v.token_span(i, i) for w in v.with_prefix(self.prefix) for i in v.positions(w)]

    def anchor(self) -> Anchor:
        return ("p", self.prefix)


class SeqForm:
    """Consecutive words (punctuation between them ignored); the last may be a prefix."""

    __slots__ = ("exact", "prefix_last", "words")

    def __init__(self, words: list[str], prefix_last: bool) -> None:
        self.words = tuple(words)
        self.prefix_last = prefix_last
        self.exact = frozenset(words[:-1] if prefix_last else words)

    def _starts(self, v: TextView) -> list[int]:
        words = self.words
        if not self.exact <= v.vocab:
            return []
        tokens, k, out = v.tokens, len(words), []
        for i in v.positions(words[0]):
            if i + k > len(tokens):
                break
            if all(tokens[i + j] == words[j] for j in range(1, k - 1)):
                last = tokens[i + k - 1]
                if last == words[-1] or (self.prefix_last and last.startswith(words[-1])):
                    out.append(i)
        return out

    def test(self, v: TextView) -> bool:
        return bool(self._starts(v))

    def found(self, v: TextView) -> list[str]:
        k = len(self.words)
        return list(dict.fromkeys(" ".join(v.tokens[i : i + k]) for i in self._starts(v)))

    def spans(self, v: TextView) -> list[Span]:
        k = len(self.words)
        return [v.token_span(i, i + k - 1) for i in self._starts(v)]

    def anchor(self) -> Anchor:
        exact = self.words if not self.prefix_last else self.words[:-1]
        distinct = sorted(set(exact), key=len, reverse=True)
        if len(distinct) < 2:
            return ("w", distinct[0])
        return ("b", f"{distinct[0]} {distinct[1]}")  # both words: far rarer than either alone


class SubForm:
    """A substring of the space-joined tokens; word ends in spaced scripts must be word boundaries."""

    __slots__ = ("check_left", "check_right", "needle")

    def __init__(self, words: list[str], prefix_last: bool) -> None:
        self.needle = " ".join(words)
        self.check_left = not is_unspaced(words[0])
        self.check_right = not is_unspaced(words[-1][-1]) and not prefix_last

    def _offsets(self, v: TextView) -> list[int]:
        if not v.has_unspaced:
            return []
        flat, needle, out = v.flat, self.needle, []
        i = flat.find(needle)
        while i >= 0:
            if (not self.check_left or flat[i - 1] == " ") and (not self.check_right or flat[i + len(needle)] == " "):
                out.append(i)
            i = flat.find(needle, i + 1)
        return out

    def test(self, v: TextView) -> bool:
        return bool(self._offsets(v))

    def found(self, v: TextView) -> list[str]:
        return [self.needle] if self._offsets(v) else []

    def spans(self, v: TextView) -> list[Span]:
        starts, ustart, uend, width = v.layout()
        out = []
        for c in self._offsets(v):
            e = c + len(self.needle)
            i = bisect_right(starts, c) - 1
            j = bisect_right(starts, e - 1) - 1
            us = ustart[i] + (c - starts[i]) * width[i]
            ue = ustart[j] + (e - starts[j]) * width[j] if width[j] else uend[j]
            out.append((us, ue))
        return out

    def anchor(self) -> Anchor:
        return ("s", self.needle)


Form = WordForm | PrefixForm | SeqForm | SubForm


def term_form(normalised: str, wildcard: bool) -> Form:
    """The matcher for a term already normalised like the documents it will see."""
    words = split_tokens(normalised)
    if not words:
        raise ValueError(f"nothing to search for in {normalised!r}")
    if any(is_unspaced(w) for w in words):
        return SubForm(words, wildcard)
    if len(words) == 1:
        return PrefixForm(words[0]) if wildcard else WordForm(words[0])
    return SeqForm(words, wildcard)
