"""Zero-shot multilingual sentiment: per-language lexicons with negation, intensifiers and contrast.

Spaced scripts are scored word by word (with multi-word terms); Thai, Burmese, Khmer, Japanese,
Chinese and Korean are scanned for lexicon terms as substrings, with negation looked up next to each
match (before it, or after it for Japanese and Korean). English also uses VADER. Emoji and
emoticons count in every language. The score is in [-1, 1].

>>> s = SentimentScorer()
>>> s.score("This shop is a scam, worst purchase ever", "en").label
'negative'
>>> s.score("barangnya bagus banget, pengiriman cepat", "id").label
'positive'
>>> s.score("barangnya tidak bagus", "id").label
'negative'
>>> s.score("ของดีแต่ส่งช้ามาก ผิดหวัง", "th").label
'negative'
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from monitio.enrich.textnorm import fold, is_unspaced
from monitio.records import Doc

WORD_RE = re.compile(r"[\w\u0900-\u0DFF\u0600-\u06FF'’-]+")
UNSPACED_LANGS = {"th", "ja", "ko", "zh", "my", "km"}
ROMAN_FALLBACK = ("hi-Latn", "ta-Latn")
ALIASES = {"ur-Latn": "hi-Latn", "zh-Hant": "zh", "zh-Hans": "zh"}
POS_T, NEG_T = 0.1, -0.1


@dataclass(frozen=True)
class Sentiment:
    score: float
    label: str
    positive: float
    negative: float


@dataclass
class _Lexicon:
    terms: dict[str, float]
    negators: set[str]
    intensifiers: set[str]
    contrast: set[str]
    negate_after: bool
    stem: bool = False
    max_words: int = 1
    regex: re.Pattern | None = None
    neg_regex: re.Pattern | None = None


@lru_cache(maxsize=1)
def _lexicons() -> tuple[dict[str, _Lexicon], dict[str, float]]:
    data = yaml.safe_load((resources.files("monitio.lexicons") / "sentiment.yaml").read_text(encoding="utf-8"))
    out = {}
    for lang, spec in data["languages"].items():
        terms = {fold(str(k)): float(v) for k, v in spec["terms"].items()}
        lex = _Lexicon(
            terms,
            {fold(x) for x in spec.get("negators", [])},
            {fold(x) for x in spec.get("intensifiers", [])},
            {fold(x) for x in spec.get("contrast", [])},
            bool(spec.get("negate_after")),
        )
        lex.max_words = max(len(t.split()) for t in terms)
        lex.stem = bool(spec.get("stem"))
        if lang in UNSPACED_LANGS or all(is_unspaced(t) for t in terms):
            alts = sorted(terms, key=len, reverse=True)
            lex.regex = re.compile("|".join(map(re.escape, alts)))
            if lex.negators:
                lex.neg_regex = re.compile("|".join(map(re.escape, sorted(lex.negators, key=len, reverse=True))))
        out[lang] = lex
    return out, {str(k): float(v) for k, v in data["emoji"].items()}


@lru_cache(maxsize=1)
def _vader():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def _score_spaced(text: str, lex: _Lexicon) -> tuple[float, float]:
    words = WORD_RE.findall(text)
    pos = neg = 0.0
    cut = next((i for i, w in enumerate(words) if w in lex.contrast), None)
    i = 0
    while i < len(words):
        hit, size = None, 1
        for n in range(min(lex.max_words, len(words) - i), 0, -1):
            gram = " ".join(words[i : i + n])
            if gram in lex.terms:
                hit, size = lex.terms[gram], n
                break
            if n == 1 and lex.stem and len(gram) > 4:
                # Agglutinative romanised languages: 'mokkaya' is 'mokka' with a suffix.
                for cut in (1, 2, 3):
                    if gram[:-cut] in lex.terms and len(gram) - cut >= 4:
                        hit = lex.terms[gram[:-cut]]
                        break
                if hit is not None:
                    break
        if hit is not None:
            window = words[max(0, i - 3) : i]
            if any(w in lex.negators or w.endswith("n't") for w in window):
                hit *= -0.7
            if (i and words[i - 1] in lex.intensifiers) or (
                i + size < len(words) and words[i + size] in lex.intensifiers
            ):
                hit *= 1.4
            if cut is not None:
                hit *= 1.3 if i > cut else 0.5
            pos, neg = (pos + hit, neg) if hit > 0 else (pos, neg - hit)
        i += size
    return pos, neg


def _score_unspaced(text: str, lex: _Lexicon) -> tuple[float, float]:
    if lex.regex is None:
        return 0.0, 0.0
    pos = neg = 0.0
    cut = next((text.find(c) for c in lex.contrast if c in text), -1)
    for m in lex.regex.finditer(text):
        hit = lex.terms[m.group(0)]
        if lex.neg_regex is not None:
            before = text[max(0, m.start() - 3) : m.start()]
            after = text[m.end() : m.end() + 4]
            if lex.neg_regex.search(before) or (lex.negate_after and lex.neg_regex.search(after)):
                hit *= -0.7
        if any(text[max(0, m.start() - 3) : m.start()].endswith(x) for x in lex.intensifiers):
            hit *= 1.4
        if cut >= 0:
            hit *= 1.3 if m.start() > cut else 0.5
        pos, neg = (pos + hit, neg) if hit > 0 else (pos, neg - hit)
    return pos, neg


class SentimentScorer:
    """Scores texts with the lexicons of the given language (plus English and emoji)."""

    def __init__(self) -> None:
        self.lexicons, self.emoji = _lexicons()

    def _langs(self, text: str, lang: str | None, mixed: tuple[str, ...]) -> list[str]:
        langs = [ALIASES.get(x, x) for x in (lang, *mixed) if x]
        if not langs or langs[0] in ("und", "en", "tl") or any(c.isascii() and c.isalpha() for c in text[:50]):
            if not any(x in ("id", "ms", "vi") for x in langs):
                langs += list(ROMAN_FALLBACK)
        if "en" not in langs:
            langs.append("en")
        if not lang or lang == "und":
            langs += [x for x in self.lexicons if x in UNSPACED_LANGS]
        return list(dict.fromkeys(x for x in langs if x in self.lexicons))

    def score(self, text: str, lang: str | None = None, mixed: tuple[str, ...] = ()) -> Sentiment:
        norm = fold(text)
        pos = neg = 0.0
        for code in self._langs(norm, lang, mixed):
            lex = self.lexicons[code]
            p, n = _score_unspaced(norm, lex) if lex.regex is not None else _score_spaced(norm, lex)
            pos, neg = pos + p, neg + n
        for sym, value in self.emoji.items():
            if sym in text:
                k = min(text.count(sym), 3)
                pos, neg = (pos + value * k, neg) if value > 0 else (pos, neg - value * k)
        if lang in (None, "und", "en") or "en" in mixed:
            compound = _vader().polarity_scores(text)["compound"]
            pos, neg = (pos + 2.5 * compound, neg) if compound > 0 else (pos, neg - 2.5 * compound)
        total = pos - neg
        score = math.tanh(total / 3.0)
        label = "positive" if score > POS_T else "negative" if score < NEG_T else "neutral"
        return Sentiment(round(score, 4), label, round(pos, 3), round(neg, 3))


class SentimentStage:
    """Sets `sentiment` in [-1, 1] and `sentiment_label` from the post's language (set by an earlier stage)."""

    name = "sentiment"

    def __init__(self) -> None:
        self.scorer = SentimentScorer()

    def process(self, docs: list[Doc]) -> None:
        for d in docs:
            s = self.scorer.score(d.text, d.lang, d.mixed_langs)
            d.sentiment, d.sentiment_label = s.score, s.label
