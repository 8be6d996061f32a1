"""Zero-shot multilingual sentiment: per-language lexicons with negation, intensifiers and contrast.

Lexicons are data files, one per language (`monitio/lexicons/sentiment_<lang>.yaml`, plus
`sentiment_emoji.yaml`). Spaced scripts are scored word by word (with multi-word terms); Thai,
Burmese, Khmer, Japanese, Chinese and Korean are scanned with one compiled regex of all their terms
(longest first), with negation looked up just before each match (or just after it for Japanese and
Korean). Romanised Hindi/Tamil, Tamil and Urdu lexicons (`spelling: true`) also find a word by its
`spelling_key` ('mokkkaaa', 'jabardast', Arabic letters in Urdu). English also uses VADER. Emoji and
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
import operator
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import yaml

from monitio.enrich.textnorm import fold, is_unspaced
from monitio.records import Doc

WORD_RE = re.compile(r"[\w\u0900-\u0DFF\u0600-\u06FF'’-]+")
UNSPACED_LANGS = frozenset({"th", "ja", "ko", "zh", "my", "km"})
ROMAN_FALLBACK = ("hi-Latn", "ta-Latn")
ALIASES = {"ur-Latn": "hi-Latn", "zh-Hant": "zh", "zh-Hans": "zh", "zh-TW": "zh"}
POS_T, NEG_T = 0.1, -0.1
VADER_LANGS = frozenset({None, "und", "en", "tl"})
VADER_WEIGHT = 2.5
"""VADER scores emoji itself: ours count half alongside it."""
VADER_UNSCORED = ("like", "likes", "teaser", "teasers")
"""No sentiment in social posts: 'like' is mostly a preposition or filler ('hit like' and '1k likes' ask for clicks);
a 'teaser' is a kind of ad or trailer."""
NEGATED = -0.7
"""A negated term keeps part of its weight with the opposite sign ('not good' is mildly negative)."""
_DOUBLES = re.compile(r"([a-z])\1+")
_FIRST = operator.itemgetter(1)
"""A match's first group (a callable replacement is faster than the template r"\1")."""
_H_AFTER = re.compile(r"(?<=[bcdgjkpstr])h")
_TAMIL_GEMINATE = re.compile("([\u0b95-\u0bb9])\u0bcd\\1")
_SPELL = str.maketrans(
    {"w": "v", "z": "j", "q": "k"}  # romanised Hindi/Urdu/Tamil
    | {"ள": "ல", "ழ": "ல", "ண": "ன", "ந": "ன", "ற": "ர"}  # Tamil
    | {"ه": "ہ", "ي": "ی", "ى": "ی", "ك": "ک"}  # Arabic letters in Urdu text
    | dict.fromkeys([*range(0x064B, 0x0660), 0x0670])  # Arabic-script short vowels and marks
)


def spelling_key(word: str) -> str:
    """Romanised spelling folded to one key: 'achha', 'accha', 'acha' and 'aaachaaa' share one; so do 'mast'/'masttt'.

    Doubled letters collapse, 'h' after a consonant is dropped (aspiration is written or not)
    and w/z/q are v/j/k. In Tamil script, doubled consonants are single and the letters informal writing
    confuses (ள/ழ/ல, ண/ந/ன, ற/ர) are one. In Urdu, Arabic he/ye/kaf are the Urdu letters and short-vowel
    marks are dropped.

    >>> spelling_key("zabardasttt") == spelling_key("jabardast"), spelling_key("achha") == spelling_key("acha")
    (True, True)
    """
    word = word.translate(_SPELL)
    if word.isascii():
        word = _DOUBLES.sub(_FIRST, word)
        return _DOUBLES.sub(_FIRST, _H_AFTER.sub("", word)) if "h" in word else word
    return _TAMIL_GEMINATE.sub(_FIRST, word) if "\u0bcd" in word else word


_KEY_MEMO: dict[str, str] = {}


def _memo_key(word: str) -> str:
    """`spelling_key` remembered (the memo is emptied when it grows past 200,000 words)."""
    key = _KEY_MEMO.get(word)
    if key is None:
        if len(_KEY_MEMO) > 200_000:
            _KEY_MEMO.clear()
        key = _KEY_MEMO[word] = spelling_key(word)
    return key


@dataclass(frozen=True)
class Sentiment:
    """A score in [-1, 1], its label, and the positive and negative evidence behind it."""

    score: float
    label: str
    positive: float
    negative: float


@dataclass
class Lexicon:
    """One language's terms (score -3..3), negators, intensifiers and contrast words."""

    terms: dict[str, float]
    negators: set[str] = field(default_factory=set)
    intensifiers: set[str] = field(default_factory=set)
    contrast: set[str] = field(default_factory=set)
    negate_after: bool = False
    stem: int = 0
    """Longest suffix cut off a word to find it in `terms` (agglutinative languages); 0: exact words only."""
    neg_span: int = 3
    """How many characters before a substring match are searched for a negator (unspaced scripts)."""
    regex: re.Pattern | None = None
    neg_regex: re.Pattern | None = None
    first_words: dict[str, int] = field(default_factory=dict)
    """First word of each multi-word term -> the most words of a term starting with it (skips useless joins)."""
    keys: dict[str, float] = field(default_factory=dict)
    """`spelling: true`: `spelling_key` of each one-word term -> its score (keys shared across signs dropped)."""
    lead_negators: set[str] = field(default_factory=set)
    """`negators_before`: negate only a term after them (Hindi 'na' after a term is the tag 'isn't it?')."""

    @classmethod
    def from_spec(cls, lang: str, spec: dict) -> Lexicon:
        terms = {fold(str(k)): float(v) for k, v in (spec.get("terms") or {}).items()}
        lex = cls(
            terms,
            {fold(str(x)) for x in spec.get("negators", [])},
            {fold(str(x)) for x in spec.get("intensifiers", [])},
            {fold(str(x)) for x in spec.get("contrast", [])},
            bool(spec.get("negate_after")),
            3 if spec.get("stem") is True else int(spec.get("stem") or 0),
        )
        lex.lead_negators = {fold(str(x)) for x in spec.get("negators_before", [])}
        if spec.get("spelling"):
            clash: set[str] = set()
            for t, v in terms.items():
                k = spelling_key(t)
                if " " in t or len(k) < 3:
                    continue
                if k in lex.keys and (lex.keys[k] > 0) != (v > 0):
                    clash.add(k)
                lex.keys.setdefault(k, v)
            for k in clash:
                del lex.keys[k]
        for t in terms:
            if " " in t:
                first, size = t.split(" ", 1)[0], t.count(" ") + 1
                lex.first_words[first] = max(size, lex.first_words.get(first, 1))
        if terms and (lang in UNSPACED_LANGS or all(is_unspaced(t) for t in terms)):
            lex.regex = _alternation(terms)
            if lex.negators:
                lex.neg_regex = _alternation(lex.negators)
                lex.neg_span = max(3, max(map(len, lex.negators)) + 1)
        return lex


def _alternation(words) -> re.Pattern:
    return re.compile("|".join(map(re.escape, sorted(words, key=len, reverse=True))))


@lru_cache(maxsize=1)
def load_lexicons() -> tuple[dict[str, Lexicon], dict[str, float]]:
    """All `sentiment_<lang>.yaml` lexicons and the emoji scores (read once, on first use)."""
    folder = resources.files("monitio.lexicons")
    lexicons: dict[str, Lexicon] = {}
    emoji: dict[str, float] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        name = entry.name
        if not (name.startswith("sentiment_") and name.endswith(".yaml")):
            continue
        spec = yaml.safe_load(entry.read_text(encoding="utf-8")) or {}
        lang = name[len("sentiment_") : -len(".yaml")]
        if lang == "emoji":
            emoji = {str(k): float(v) for k, v in spec["symbols"].items()}
        else:
            lexicons[lang] = Lexicon.from_spec(lang, spec)
    return lexicons, emoji


def turns(text: str) -> bool:
    """True when a word of the post is a contrast word of any lexicon ('but', 'aana', 'lekin', 'tapi').

    >>> turns("trailer semma aana story mokka"), turns("trailer semma")
    (True, False)
    """
    contrast = _contrast_words()
    return any(w in contrast for w in WORD_RE.findall(fold(text)))


@lru_cache(maxsize=1)
def _contrast_words() -> frozenset[str]:
    """Contrast words of every lexicon written with spaces."""
    return frozenset(c for lex in load_lexicons()[0].values() if lex.regex is None for c in lex.contrast)


@lru_cache(maxsize=1)
def _vader():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    for word in VADER_UNSCORED:
        analyzer.lexicon.pop(word, None)
    return analyzer


def _add(pos: float, neg: float, hit: float) -> tuple[float, float]:
    return (pos + hit, neg) if hit > 0 else (pos, neg - hit)


def _stem_hit(word: str, lex: Lexicon) -> float | None:
    """Agglutinative languages: 'mokkaya' is 'mokka' with a suffix (up to `lex.stem` characters cut)."""
    for k in range(1, lex.stem + 1):
        if len(word) - k >= 4 and word[:-k] in lex.terms:
            return lex.terms[word[:-k]]
    return None


def score_spaced(text: str, lex: Lexicon, exact: bool = False, guess: bool = False) -> tuple[float, float]:
    """(positive, negative) evidence of a folded text in a language written with spaces.

    `exact`: no stems, no spelling keys. `guess`: the lexicon was only guessed for the text (romanised fallback),
    so a spelling key must undo a marked spelling (doubled letters, aspiration) to count.
    """
    words = WORD_RE.findall(text)
    pos = neg = 0.0
    cut = next((i for i, w in enumerate(words) if w in lex.contrast), None)
    i = 0
    while i < len(words):
        hit, size = None, 1
        for n in range(min(lex.first_words.get(words[i], 1), len(words) - i), 1, -1):
            gram = " ".join(words[i : i + n])
            if gram in lex.terms:
                hit, size = lex.terms[gram], n
                break
        if hit is None and words[i] in lex.terms:
            hit = lex.terms[words[i]]
        if hit is None and not exact and lex.stem and len(words[i]) > 4:
            hit = _stem_hit(words[i], lex)
        if hit is None and not exact and lex.keys and len(words[i]) > 2:
            key = _KEY_MEMO.get(words[i]) or _memo_key(words[i])
            if key != words[i] or not guess:
                hit = lex.keys.get(key)
        if hit is not None:
            before = words[max(0, i - 3) : i]
            after = words[i + size : i + size + 2] if lex.negate_after else []
            if any(w in lex.lead_negators for w in before) or any(
                w in lex.negators or w.endswith("n't") for w in before + after
            ):
                hit *= NEGATED
            if (i and words[i - 1] in lex.intensifiers) or (
                i + size < len(words) and words[i + size] in lex.intensifiers
            ):
                hit *= 1.4
            if cut is not None:
                hit *= 1.3 if i > cut else 0.5
            pos, neg = _add(pos, neg, hit)
        i += size
    return pos, neg


def score_unspaced(text: str, lex: Lexicon) -> tuple[float, float]:
    """(positive, negative) evidence by substring matches, for scripts written without spaces."""
    if lex.regex is None:
        return 0.0, 0.0
    pos = neg = 0.0
    cuts = [text.find(c) for c in lex.contrast if c in text]
    cut = min(cuts) if cuts else -1
    for m in lex.regex.finditer(text):
        hit = lex.terms[m.group(0)]
        before = text[max(0, m.start() - lex.neg_span) : m.start()]
        if lex.neg_regex is not None:
            after = text[m.end() : m.end() + 4]
            if lex.neg_regex.search(before) or (lex.negate_after and lex.neg_regex.search(after)):
                hit *= NEGATED
        if any(before.endswith(x) for x in lex.intensifiers):
            hit *= 1.4
        if cut >= 0:
            hit *= 1.3 if m.start() > cut else 0.5
        pos, neg = _add(pos, neg, hit)
    return pos, neg


class SentimentScorer:
    """Scores texts with the lexicons of the given language (plus English and emoji)."""

    def __init__(self) -> None:
        self.lexicons, self.emoji = load_lexicons()
        self._emoji_re = _alternation(self.emoji) if self.emoji else None

    def _langs(self, text: str, lang: str | None, mixed: tuple[str, ...]) -> list[str]:
        langs = [ALIASES.get(x, x) for x in (lang, *mixed) if x]
        latin = any(c.isascii() and c.isalpha() for c in text[:50])
        if (not langs or latin) and not any(x in ("id", "ms", "vi") for x in langs):
            langs += list(ROMAN_FALLBACK)
        if "en" not in langs:
            langs.append("en")
        if not lang or lang == "und":
            langs += [x for x in self.lexicons if x not in langs]
        return list(dict.fromkeys(x for x in langs if x in self.lexicons))

    @staticmethod
    def _use_vader(text: str, lang: str | None, mixed: tuple[str, ...]) -> bool:
        """VADER reads English (and the English of code-mixed Latin-script posts)."""
        return lang in VADER_LANGS or "en" in mixed

    def score(self, text: str, lang: str | None = None, mixed: tuple[str, ...] = ()) -> Sentiment:
        """Score one text; `lang`/`mixed` come from the language stage (None: try every lexicon)."""
        norm = fold(text)
        pos = neg = 0.0
        langs = self._langs(norm, lang, mixed)
        known = (ALIASES.get(lang, lang), *mixed)
        for code in langs:
            lex = self.lexicons[code]
            guess = code in ROMAN_FALLBACK and code not in known
            p, n = score_unspaced(norm, lex) if lex.regex is not None else score_spaced(norm, lex, guess=guess)
            pos, neg = pos + p, neg + n
        if pos == neg == 0 and ROMAN_FALLBACK[0] not in langs and any(c.isascii() and c.isalpha() for c in norm[:50]):
            # Romanised Tamil/Hindi is often taken for Malay or Indonesian: with no evidence at all, try them too.
            for code in ROMAN_FALLBACK:
                p, n = score_spaced(norm, self.lexicons[code], exact=True)
                pos, neg = pos + p, neg + n
        use_vader = self._use_vader(text, lang, mixed)
        if self._emoji_re is not None:
            seen: dict[str, int] = {}
            for m in self._emoji_re.finditer(text):
                seen[m.group(0)] = seen.get(m.group(0), 0) + 1
            for sym, k in seen.items():
                pos, neg = _add(pos, neg, self.emoji[sym] * min(k, 3))
        if use_vader:
            compound = _vader().polarity_scores(text)["compound"]
            pos, neg = _add(pos, neg, VADER_WEIGHT * compound)
        score = math.tanh((pos - neg) / 3.0)
        label = "positive" if score > POS_T else "negative" if score < NEG_T else "neutral"
        return Sentiment(round(score, 4), label, round(pos, 3), round(neg, 3))


class SentimentStage:
    """Sets `sentiment` in [-1, 1] and `sentiment_label` from the post's language (set by an earlier stage).

    With a trained model (`monitio train sentiment`), posts in the languages it covers get its label
    and score (P(positive) - P(negative)); other posts keep the lexicon result.
    """

    name = "sentiment"

    def __init__(self, model=None) -> None:
        self.scorer = SentimentScorer()
        self.model = model
        self.model_langs = frozenset(model.languages) if model is not None else frozenset()

    @classmethod
    def from_settings(cls, settings) -> SentimentStage:
        """The stage for a workspace: with its trained model when `<workspace>/models/sentiment.joblib` exists."""
        from monitio.enrich.sentiment_model import load_model

        return cls(load_model(getattr(settings, "workspace", None)))

    def process(self, docs: list[Doc]) -> None:
        chosen: list[tuple[Doc, Sentiment]] = []
        for d in docs:
            s = self.scorer.score(d.text, d.lang, d.mixed_langs)
            d.sentiment, d.sentiment_label = s.score, s.label
            if d.lang in self.model_langs:
                chosen.append((d, s))
        if chosen:
            results = self.model.model.predict_scores([d.text for d, _ in chosen], [s for _, s in chosen])
            for (d, _), (label, score) in zip(chosen, results, strict=True):
                d.sentiment, d.sentiment_label = score, label
