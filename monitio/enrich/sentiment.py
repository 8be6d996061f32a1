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
import string
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from itertools import compress, count

import yaml

from monitio.enrich.complaints import gate as complaint_gate
from monitio.enrich.complaints import languages as complaint_languages
from monitio.enrich.complaints import read_complaint
from monitio.enrich.textnorm import char_ranges, fold, is_unspaced, trie_pattern
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
COMPLAINT_EVIDENCE = 2.0
"""Negative evidence a complaint adds (half when a contrast word follows it: "late, but finally here"). A complaint
with no contrast after it is labelled negative whatever the other words say: unmet expectations are negative."""
QUESTION_WEIGHT = 0.3
"""A question that is not a complaint asks rather than judges: its evidence counts this much ("refund kab tak aata
hai?", "is this shop legit?")."""
_QUESTION_END = re.compile(r"[?？]\W*$")
NEGATED = -0.7
"""A negated term keeps part of its weight with the opposite sign ('not good' is mildly negative)."""
_ASCII_LETTER = re.compile("[A-Za-z]")
"""`c.isascii() and c.isalpha()` as one regex search."""
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


@dataclass(frozen=True, init=False)
class Sentiment:
    """A score in [-1, 1], its label, and the positive and negative evidence behind it."""

    score: float
    label: str
    positive: float
    negative: float
    complaint: bool = False
    """An unmet expectation (`monitio.enrich.complaints`): a grievance, whatever the polarity words say."""

    def __init__(self, score: float, label: str, positive: float, negative: float, complaint: bool = False) -> None:
        # One dict update instead of the frozen dataclass's five object.__setattr__ calls (one answer per post).
        self.__dict__.update(score=score, label=label, positive=positive, negative=negative, complaint=complaint)


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
    word_hits: dict[tuple[bool, bool], dict[str, float]] = field(default_factory=dict, repr=False, compare=False)
    """Memo of `score_spaced`: (exact, guess) -> word -> the word's own score (0.0: none); terms never change."""
    _unspaced: tuple | None = field(default=None, repr=False, compare=False)

    def unspaced_extras(self) -> tuple[re.Pattern | None, tuple[str, ...]]:
        """For `score_unspaced`: one regex of the contrast words (None: there are none) and the intensifiers as a
        tuple for one `str.endswith`."""
        extras = self._unspaced
        if extras is None:
            words = sorted(self.contrast)
            if "" in words:
                regex = re.compile("")  # an empty contrast word is found at 0, as `str.find` finds it
            else:
                regex = re.compile(trie_pattern(words)) if words else None
            extras = self._unspaced = (regex, tuple(sorted(self.intensifiers)))
        return extras

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
    """The longest of `words` at each position (a trie: one branch per character, not one per word)."""
    return re.compile(trie_pattern(words))


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


class _Vader:
    """VADER's compound score, computed here in one pass over the few tokens that are in its lexicon.

    Same rules and data as `vaderSentiment` 3.3 (its lexicon, emoji descriptions, boosters, negations and
    special cases, minus `VADER_UNSCORED`), and the same result to the last digit (a test compares the two on
    every shared and demo text): VADER spends most of its time on tokens that score nothing.

    Tokens are VADER's: emoji become their descriptions, the text is split on whitespace and punctuation is
    stripped around a token unless at most two characters would be left (emoticons). A token scores only when
    it is in the lexicon and is not a booster (nor 'kind' before 'of'). Its score is then adjusted by the ALL
    CAPS difference, a preceding 'no', boosters up to three tokens before it (dampened with distance),
    negation, 'never so', 'without doubt', special cases ('the bomb') and 'least'; 'but' halves what comes
    before it and raises what follows by half; '!' and '?' add emphasis; the sum is normalised.
    """

    def __init__(self) -> None:
        from vaderSentiment import vaderSentiment as vs

        analyzer = vs.SentimentIntensityAnalyzer()
        for word in VADER_UNSCORED:
            analyzer.lexicon.pop(word, None)
        self.analyzer = analyzer
        self.lexicon: dict[str, float] = analyzer.lexicon
        self.boosters: dict[str, float] = vs.BOOSTER_DICT
        self.negations = frozenset(vs.NEGATE)
        self.special: dict[str, float] = vs.SPECIAL_CASES
        self.n_scalar, self.c_incr = vs.N_SCALAR, vs.C_INCR
        self.idiom_tails = frozenset(w for k in (*self.special, *self.boosters) for w in k.split(" ")[1:])
        """Words after the first of the multi-word special cases and boosters ('shit' of 'the shit', 'of' of
        'kind of'): `_idioms` has nothing to find without one."""
        # A space before a description changes no token: VADER adds one there unless whitespace is there already.
        self.emoji_text = {ord(c): f" {d}" for c, d in analyzer.emojis.items() if len(c) == 1}
        described = {chr(k): d for k, d in self.emoji_text.items()}
        self._emoji_sub = re.compile(char_ranges(described)).sub
        """`str.translate(emoji_text)` as a regex over a class of a few ranges around the emoji: the text's other
        characters are skipped in C, not looked up one by one."""
        self._describe = lambda m: described.get(m.group(), m.group())
        self._tokens: dict[str, str] = {}
        self._lows: dict[str, str] = {}
        """Memos of `compound`: a whitespace-split piece of text -> its token, and the token in lower case."""

    def _learn(self, raw: list[str], low: list[str | None]) -> None:
        """Fill `low` (and both memos) for the whitespace-split pieces not seen yet: the token is the piece with
        punctuation stripped around it unless at most two characters would be left; `low` is it in lower case."""
        tokens, lows = self._tokens, self._lows
        if len(lows) > MEMO_WORDS:
            tokens.clear()
            lows.clear()
            low[:] = [None] * len(low)  # every piece of this post is learnt again, in both memos
        for i, piece in enumerate(raw):
            if low[i] is None:
                token = tokens[piece] = _vader_token(piece)
                low[i] = lows[piece] = token.lower()

    def clear_memos(self) -> None:
        """Forget the pieces of text seen (the benchmark starts each round cold)."""
        self._tokens.clear()
        self._lows.clear()

    def _idioms(self, valence: float, low: list[str], i: int) -> float:
        """Special cases around token i (i >= 3) and booster phrases ('sort of') just before it."""
        if self.idiom_tails.isdisjoint(low[i - 2 : i + 3]):
            return valence  # each phrase looked up below has a second word, at one of these places
        w3, w2, w1, w0 = low[i - 3], low[i - 2], low[i - 1], low[i]
        for seq in (f"{w1} {w0}", f"{w2} {w1} {w0}", f"{w2} {w1}", f"{w3} {w2} {w1}", f"{w3} {w2}"):
            if seq in self.special:
                valence = self.special[seq]
                break
        if len(low) - 1 > i and f"{w0} {low[i + 1]}" in self.special:
            valence = self.special[f"{w0} {low[i + 1]}"]
        if len(low) - 1 > i + 1 and f"{w0} {low[i + 1]} {low[i + 2]}" in self.special:
            valence = self.special[f"{w0} {low[i + 1]} {low[i + 2]}"]
        for seq in (f"{w3} {w2} {w1}", f"{w3} {w2}", f"{w2} {w1}"):
            if seq in self.boosters:
                valence += self.boosters[seq]
        return valence

    def _valence(self, tokens: list[str], low: list[str], i: int, cap_diff: bool) -> float:
        lexicon, n_scalar, boosters, negations = self.lexicon, self.n_scalar, self.boosters, self.negations
        word = low[i]
        valence = lexicon[word]
        if word == "no" and i != len(low) - 1 and low[i + 1] in lexicon:
            valence = 0.0
        if (
            (i > 0 and low[i - 1] == "no")
            or (i > 1 and low[i - 2] == "no")
            or (i > 2 and low[i - 3] == "no" and low[i - 1] in ("or", "nor"))
        ):
            valence = lexicon[word] * n_scalar
        if cap_diff and tokens[i].isupper():
            valence += self.c_incr if valence > 0 else -self.c_incr
        for back in (1, 2, 3):
            if i < back:
                break
            prev = low[i - back]
            if prev in lexicon:
                continue
            s = boosters.get(prev, 0.0)  # a booster word before the token
            if s:
                if valence < 0:
                    s *= -1
                if cap_diff and tokens[i - back].isupper():
                    s += self.c_incr if valence > 0 else -self.c_incr
            if s != 0 and back > 1:
                s *= 0.95 if back == 2 else 0.9
            valence += s
            if back == 1:
                if prev in negations or "n't" in prev:
                    valence *= n_scalar
            elif back == 2:
                if prev == "never" and low[i - 1] in ("so", "this"):
                    valence *= 1.25
                elif not (prev == "without" and low[i - 1] == "doubt") and (prev in negations or "n't" in prev):
                    valence *= n_scalar
            else:
                if (prev == "never" and low[i - 2] in ("so", "this")) or low[i - 1] in ("so", "this"):
                    valence *= 1.25
                elif not (prev == "without" and "doubt" in (low[i - 2], low[i - 1])) and (
                    prev in negations or "n't" in prev
                ):
                    valence *= n_scalar
                valence = self._idioms(valence, low, i)
        if i > 0 and low[i - 1] == "least" and low[i - 1] not in lexicon:
            if i == 1 or low[i - 2] not in ("at", "very"):
                valence *= n_scalar
        return valence

    def compound(self, text: str) -> float:
        """VADER's `polarity_scores(text)["compound"]`."""
        if not text.isascii():  # every emoji is outside ASCII
            text = self._emoji_sub(self._describe, text)
        raw = text.split()
        lows = self._lows
        low = list(map(lows.get, raw))
        if None in low:
            self._learn(raw, low)
        lexicon = self.lexicon
        if lexicon.keys().isdisjoint(low):
            return 0.0
        hits = list(compress(count(), map(lexicon.__contains__, low)))
        tokens = list(map(self._tokens.get, raw))
        if None in tokens:  # another thread emptied the memo since `_learn`
            tokens = [t if t is not None else _vader_token(p) for t, p in zip(tokens, raw, strict=True)]
        upper = sum(map(str.isupper, tokens))
        cap_diff = 0 < len(tokens) - upper < len(tokens)
        sentiments = [0.0] * len(tokens)
        boosters, last = self.boosters, len(low) - 1
        for i in hits:
            w = low[i]
            if w in boosters or (w == "kind" and i < last and low[i + 1] == "of"):
                continue
            sentiments[i] = self._valence(tokens, low, i, cap_diff)
        if "but" in low:
            pivot = low.index("but")
            # VADER walks the list and finds each value by `list.index` (its first equal value), so with repeated
            # values it may scale an earlier copy: done the same way to give the same numbers.
            for k in range(len(sentiments)):
                value = sentiments[k]
                at = sentiments.index(value)
                if at < pivot:
                    sentiments[at] = value * 0.5
                elif at > pivot:
                    sentiments[at] = value * 1.5
        total = float(sum(sentiments))
        if total == 0:
            return 0.0
        emphasis = min(text.count("!"), 4) * 0.292
        questions = text.count("?")
        if questions > 1:
            emphasis += questions * 0.18 if questions <= 3 else 0.96
        total += emphasis if total > 0 else -emphasis
        return round(max(-1.0, min(1.0, total / math.sqrt(total * total + 15))), 4)


def _vader_token(piece: str) -> str:
    """VADER's token for a whitespace-split piece: punctuation stripped around it unless at most two characters
    would be left (emoticons)."""
    stripped = piece.strip(string.punctuation)
    return piece if len(stripped) <= 2 else stripped


@lru_cache(maxsize=1)
def _vader() -> _Vader:
    return _Vader()


def _add(pos: float, neg: float, hit: float) -> tuple[float, float]:
    return (pos + hit, neg) if hit > 0 else (pos, neg - hit)


def _stem_hit(word: str, lex: Lexicon) -> float | None:
    """Agglutinative languages: 'mokkaya' is 'mokka' with a suffix (up to `lex.stem` characters cut)."""
    for k in range(1, lex.stem + 1):
        if len(word) - k >= 4 and word[:-k] in lex.terms:
            return lex.terms[word[:-k]]
    return None


MEMO_WORDS = 200_000
MEMO_TEXTS = 20_000
"""Texts whose sentiment is remembered whole (then the memo starts again)."""
"""A lexicon's word memo (`Lexicon.word_hits`) is emptied when it grows past this many words."""


def _word_hit(word: str, lex: Lexicon, exact: bool, guess: bool) -> float:
    """The score one word alone finds in `lex` (whole word, then stem, then spelling key); 0.0 for none."""
    hit = lex.terms.get(word)
    if hit is None and not exact and lex.stem and len(word) > 4:
        hit = _stem_hit(word, lex)
    if hit is None and not exact and lex.keys and len(word) > 2:
        key = _KEY_MEMO.get(word) or _memo_key(word)
        if key != word or not guess:
            hit = lex.keys.get(key)
    return hit or 0.0


def score_spaced(
    text: str, lex: Lexicon, exact: bool = False, guess: bool = False, words: list[str] | None = None
) -> tuple[float, float]:
    """(positive, negative) evidence of a folded text in a language written with spaces.

    `exact`: no stems, no spelling keys. `guess`: the lexicon was only guessed for the text (romanised fallback),
    so a spelling key must undo a marked spelling (doubled letters, aspiration) to count. `words`: the text's
    `WORD_RE` words when the caller has them already.

    Each word's own score is remembered per lexicon and mode, and only words that score or start a multi-word
    term are visited, left to right (a multi-word term consumes its words).

    >>> lex = load_lexicons()[0]["id"]
    >>> score_spaced("barangnya bagus banget", lex), score_spaced("barangnya tidak bagus", lex)
    ((2.8, 0.0), (0.0, 1.4))
    """
    if words is None:
        words = WORD_RE.findall(text)
    memo = lex.word_hits.get((exact, guess))
    if memo is None or len(memo) > MEMO_WORDS:
        memo = lex.word_hits[(exact, guess)] = {}
    firsts = lex.first_words
    values = list(map(memo.get, words))
    if None in values:
        for i, v in enumerate(values):
            if v is None:
                values[i] = memo[words[i]] = _word_hit(words[i], lex, exact, guess)
    if not any(values) and firsts.keys().isdisjoint(words):
        return 0.0, 0.0
    if firsts.keys().isdisjoint(words):
        spots = list(compress(count(), values))  # the words that score
    else:
        spots = [i for i, v in enumerate(values) if v or words[i] in firsts]
    return _score_spots(text, words, spots, lex, guess, exact, values)


def _score_spots(
    text: str,
    words: list[str],
    spots: list[int],
    lex: Lexicon,
    guess: bool,
    exact: bool = False,
    values: list[float] | None = None,
) -> tuple[float, float]:
    """`score_spaced` once the words to visit are known (`spots`: those that score or start a multi-word term
    of `lex`, in order); `values`: every word's own score, else each is taken from the lexicon's memo."""
    pos = neg = 0.0
    firsts = lex.first_words
    if values is None:
        memo = lex.word_hits.get((exact, guess))
        if memo is None or len(memo) > MEMO_WORDS:
            memo = lex.word_hits[(exact, guess)] = {}
    contrast = lex.contrast
    cut = None if contrast.isdisjoint(words) else next(i for i, w in enumerate(words) if w in contrast)
    # Set tests over the post's words first: most posts have no negator or no intensifier, and skip those checks.
    negated = "n't" in text or not (lex.negators.isdisjoint(words) and lex.lead_negators.isdisjoint(words))
    boosted = not lex.intensifiers.isdisjoint(words)
    terms = lex.terms
    end = 0
    for i in spots:
        if i < end:
            continue
        hit, size = None, 1
        longest = firsts.get(words[i])
        if longest:
            for n in range(min(longest, len(words) - i), 1, -1):
                gram = " ".join(words[i : i + n])
                if gram in terms:
                    hit, size = terms[gram], n
                    break
        if hit is None:
            if values is not None:
                hit = values[i]
            else:
                hit = memo.get(words[i])
                if hit is None:
                    hit = memo[words[i]] = _word_hit(words[i], lex, exact, guess)
        end = i + size
        if hit:
            if negated:
                before = words[max(0, i - 3) : i]
                after = words[i + size : i + size + 2] if lex.negate_after else []
                if any(w in lex.lead_negators for w in before) or any(
                    w in lex.negators or w.endswith("n't") for w in before + after
                ):
                    hit *= NEGATED
            if boosted and (
                (i and words[i - 1] in lex.intensifiers)
                or (i + size < len(words) and words[i + size] in lex.intensifiers)
            ):
                hit *= 1.4
            if cut is not None:
                hit *= 1.3 if i > cut else 0.5
            pos, neg = (pos + hit, neg) if hit > 0 else (pos, neg - hit)
    return pos, neg


def score_unspaced(text: str, lex: Lexicon) -> tuple[float, float]:
    """(positive, negative) evidence by substring matches, for scripts written without spaces."""
    if lex.regex is None:
        return 0.0, 0.0
    pos = neg = 0.0
    contrast_re, intensifiers = lex.unspaced_extras()
    if contrast_re is None:
        cut = -1
    else:  # the first place where a contrast word starts: min(text.find(c)) over the contrast words in the text
        first = contrast_re.search(text)
        cut = -1 if first is None else first.start()
    for m in lex.regex.finditer(text):
        hit = lex.terms[m.group(0)]
        before = text[max(0, m.start() - lex.neg_span) : m.start()]
        if lex.neg_regex is not None:
            after = text[m.end() : m.end() + 4]
            if lex.neg_regex.search(before) or (lex.negate_after and lex.neg_regex.search(after)):
                hit *= NEGATED
        if before.endswith(intensifiers):
            hit *= 1.4
        if cut >= 0:
            hit *= 1.3 if m.start() > cut else 0.5
        pos, neg = _add(pos, neg, hit)
    return pos, neg


_Plan = tuple[tuple[tuple[Lexicon, "bool | None"], ...], "dict[str, int] | None"]
"""The lexicons a post is read with, each with its `guess` flag (None: unspaced), and their word-mask memo."""


class SentimentScorer:
    """Scores texts with the lexicons of the given language (plus English and emoji)."""

    def __init__(self) -> None:
        self.lexicons, self.emoji = load_lexicons()
        complaint_languages()  # the complaint cues are read now, with the lexicons, not by the first post
        self._emoji_re = _alternation(self.emoji) if self.emoji else None
        self._emoji_starts = frozenset(sym[0] for sym in self.emoji)
        self._emoji_gate = re.compile(char_ranges(self._emoji_starts)) if self.emoji else None
        self._texts: dict[tuple, Sentiment] = {}
        """Whole answers per (text, language, mixed): reposts and copy-paste spam repeat texts verbatim."""
        self._contrast_memo: dict[tuple[str, ...], frozenset[str]] = {}
        self._plans: dict[tuple, _Plan] = {}
        self._masks: dict[tuple, dict[str, int]] = {}
        self._contexts: dict[tuple, tuple] = {}
        """(language, mixed, Latin letters early in the text) -> what `_score` needs for such a post (`_context`)."""

    def clear_memos(self) -> None:
        """Forget every word remembered (each lexicon's word scores, spelling keys, the word masks, VADER's tokens)
        and every answer."""
        _KEY_MEMO.clear()
        for lex in self.lexicons.values():
            lex.word_hits.clear()
        for masks in self._masks.values():
            masks.clear()
        self._texts.clear()
        if _vader.cache_info().currsize:
            _vader().clear_memos()

    def _plan(self, langs: tuple[str, ...], known: tuple) -> _Plan:
        """The lexicons to read, in order, each with its `guess` flag (None: unspaced), and the word-mask memo of
        the spaced ones: word -> bit j set when the word scores in (or starts a multi-word term of) spaced lexicon j.
        """
        plan = self._plans.get((langs, known))
        if plan is None:
            steps = tuple(
                (lex, None if lex.regex is not None else (code in ROMAN_FALLBACK and code not in known))
                for code in langs
                for lex in (self.lexicons[code],)
            )
            sig = tuple((code, g) for code, (_, g) in zip(langs, steps, strict=True) if g is not None)
            plan = self._plans[(langs, known)] = (steps, self._masks.setdefault(sig, {}) if sig else None)
        return plan

    def _context(self, lang: str | None, mixed: tuple[str, ...], latin: bool) -> tuple:
        """What scoring a post with this language, mixed languages and `latin` needs, worked out once: its
        lexicons, their plan and word masks, whether the romanised fallback may apply, whether VADER reads it,
        the contrast words and the complaint gate."""
        key = (lang, mixed, latin)
        ctx = self._contexts.get(key)
        if ctx is None:
            if len(self._contexts) > 10_000:
                self._contexts.clear()
            langs = self._choose_langs(lang, mixed, latin)
            steps, masks = self._plan(langs, (ALIASES.get(lang, lang), *mixed))
            fallback = latin and ROMAN_FALLBACK[0] not in langs
            use_vader = lang in VADER_LANGS or "en" in mixed  # VADER reads English (and code-mixed English)
            ctx = (steps, masks, fallback, use_vader, self._contrast(langs), *complaint_gate(langs))
            self._contexts[key] = ctx
        return ctx

    def _choose_langs(self, lang: str | None, mixed: tuple[str, ...], latin: bool) -> tuple[str, ...]:
        """The lexicons to read, in order: the language's, the romanised fallbacks for Latin script, English."""
        langs = [ALIASES.get(x, x) for x in (lang, *mixed) if x]
        if (not langs or latin) and not any(x in ("id", "ms", "vi") for x in langs):
            langs += list(ROMAN_FALLBACK)
        if "en" not in langs:
            langs.append("en")
        if not lang or lang == "und":
            langs += [x for x in self.lexicons if x not in langs]
        return tuple(dict.fromkeys(x for x in langs if x in self.lexicons))

    def score(self, text: str, lang: str | None = None, mixed: tuple[str, ...] = ()) -> Sentiment:
        """Score one text; `lang`/`mixed` come from the language stage (None: try every lexicon).
        A text scored before with the same language is answered from memory (`Sentiment` is frozen)."""
        key = (text, lang, mixed if isinstance(mixed, tuple) else tuple(mixed))
        known = self._texts.get(key)
        if known is None:
            if len(self._texts) >= MEMO_TEXTS:
                self._texts.clear()
            known = self._texts[key] = self._score(text, lang, key[2])
        return known

    def _score(self, text: str, lang: str | None, mixed: tuple[str, ...]) -> Sentiment:
        norm = fold(text)
        latin = _ASCII_LETTER.search(norm, 0, 50) is not None
        ctx = self._contexts.get((lang, mixed, latin)) or self._context(lang, mixed, latin)
        steps, masks, fallback, use_vader, contrast, chosen, strong, negators, expected, other = ctx
        pos = neg = 0.0
        words = None
        union = 0
        if masks is not None:
            words = WORD_RE.findall(norm)
            union, word_masks = self._union(words, steps, masks)
        bit = 1
        marked = None
        for lex, guess in steps:
            if guess is None:
                p, n = score_unspaced(norm, lex)
            else:
                if not union & bit:
                    bit <<= 1
                    continue  # no word of the post scores in this lexicon: score_spaced would find (0.0, 0.0)
                # the words score_spaced would visit: those whose mask has this lexicon's bit
                if marked is None:
                    marked = list(compress(count(), word_masks))  # words with any bit
                spots = marked if union == bit else [i for i in marked if word_masks[i] & bit]
                p, n = _score_spots(norm, words, spots, lex, guess)
                bit <<= 1
            pos, neg = pos + p, neg + n
        if pos == neg == 0 and fallback:
            # Romanised Tamil/Hindi is often taken for Malay or Indonesian: with no evidence at all, try them too.
            if words is None:
                words = WORD_RE.findall(norm)
            for code in ROMAN_FALLBACK:
                p, n = score_spaced(norm, self.lexicons[code], exact=True, words=words)
                pos, neg = pos + p, neg + n
        if self._emoji_gate is not None and self._emoji_gate.search(text) is not None:
            for sym, k in self._emoji_counts(text).items():
                pos, neg = _add(pos, neg, self.emoji[sym] * min(k, 3))
        if use_vader:
            compound = _vader().compound(text)
            pos, neg = _add(pos, neg, VADER_WEIGHT * compound)
        complaint = None
        if chosen:
            # `find_complaint`'s gate, with the sets of this post's languages at hand
            if words is None:
                words = WORD_RE.findall(norm)
            if (
                not strong.isdisjoint(words)
                or (not negators.isdisjoint(words) and not expected.isdisjoint(words))
                or (other is not None and not norm.isascii() and other.search(norm) is not None)
            ):
                complaint = read_complaint(norm, chosen, contrast)
        if complaint is not None:
            neg += COMPLAINT_EVIDENCE * (0.5 if complaint.before_contrast else 1.0)
        elif (pos or neg) and _QUESTION_END.search(text, max(0, len(text) - 12)):
            pos, neg = pos * QUESTION_WEIGHT, neg * QUESTION_WEIGHT
        score = math.tanh((pos - neg) / 3.0)
        label = "positive" if score > POS_T else "negative" if score < NEG_T else "neutral"
        if complaint is not None and label != "negative" and not complaint.before_contrast:
            label, score = "negative", min(score, NEG_T - 0.01)
        return Sentiment(round(score, 4), label, round(pos, 3), round(neg, 3), complaint is not None)

    @staticmethod
    def _union(words: list[str], steps, masks: dict[str, int]) -> tuple[int, list[int]]:
        """The word masks of a post's words (see `_plan`) or-ed together, and the masks word by word."""
        values = list(map(masks.get, words))
        if None in values:
            if len(masks) > MEMO_WORDS:
                masks.clear()
            spaced = []
            for lex, guess in steps:
                if guess is not None:
                    # the word's own score goes into the lexicon's memo too: `score_spaced` will ask for it
                    memo = lex.word_hits.get((False, guess))
                    if memo is None or len(memo) > MEMO_WORDS:
                        memo = lex.word_hits[(False, guess)] = {}
                    spaced.append((lex, guess, memo))
            for i, v in enumerate(values):
                if v is None:
                    w = words[i]
                    mask = 0
                    for j, (lex, guess, memo) in enumerate(spaced):
                        hit = memo.get(w)
                        if hit is None:
                            hit = memo[w] = _word_hit(w, lex, False, guess)
                        if hit or w in lex.first_words:
                            mask |= 1 << j
                    values[i] = masks[w] = mask
        union = 0
        for v in set(values):  # a few distinct masks per post
            union |= v
        return union, values

    def _emoji_counts(self, text: str) -> dict[str, int]:
        """Each emoji or emoticon in `text` and how often, in order of first appearance (as `finditer` of the
        emoji regex finds them); the regex is tried only where a fast class of their first characters matches."""
        seen: dict[str, int] = {}
        end = 0
        match = self._emoji_re.match  # type: ignore[union-attr]
        for c in self._emoji_gate.finditer(text):  # type: ignore[union-attr]
            at = c.start()
            if at >= end:
                m = match(text, at)
                if m is not None:
                    sym, end = m.group(0), m.end()
                    seen[sym] = seen.get(sym, 0) + 1
        return seen

    def _contrast(self, langs: tuple[str, ...]) -> frozenset[str]:
        """Contrast words of the given lexicons (remembered per tuple of languages)."""
        words = self._contrast_memo.get(langs)
        if words is None:
            words = self._contrast_memo[langs] = frozenset(c for x in langs for c in self.lexicons[x].contrast)
        return words


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
            d.sentiment, d.sentiment_label, d.complaint = s.score, s.label, s.complaint
            if d.lang in self.model_langs:
                chosen.append((d, s))
        if chosen:
            results = self.model.model.predict_scores([d.text for d, _ in chosen], [s for _, s in chosen])
            for (d, _), (label, score) in zip(chosen, results, strict=True):
                d.sentiment, d.sentiment_label = score, label
