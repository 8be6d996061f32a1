"""Complaints (grievances): posts that say something expected has not happened, in every supported language.

Unmet expectations are negative whatever words surround them ("ShopKu still hasn't refunded my order",
"refund belum masuk", "vẫn chưa nhận được hàng", "还没退款"). The cues are data
(`monitio/lexicons/complaints.yaml`, one block per language); the rules over them are the same everywhere,
within one clause (text between punctuation):

- `unmet`: the phrase alone says it ("not yet", "no reply", "belum", "chưa", "ยังไม่", "还没", "hindi pa");
- `still` with a negator near it ("still hasn't", "masih tidak", "まだ届かない", "abhi tak refund nahi");
- a negator next to an expected event (`neg` + `expect`, at most one word between: "not received",
  "tidak sampai", "không nhận được", "못 받"; or after it: "届いていない", "mila nahi");
- `wait` with a length of time ("waiting 2 weeks", "menunggu 3 hari", "等了两周", "2주째 기다리");
- after a relative word a `particles` cue describes, it does not complain ("yang belum terdaftar");
- a question particle is not a complaint: a `particles` cue followed only by a short question tail
  ("sudah dikirim belum kak?", "giao chưa ạ?") asks, unless a reproach (`why`: "kok", "sao", "why") or a
  `still` word comes before it;
- `never` phrases ("belum pernah", "no problems", "chưa bao giờ") are matched whole, so their negator is
  not read as one; a `resolved` word after a cue cancels it ("pending for a week but finally arrived").

>>> find_complaint("ShopKu still hasn't refunded my cancelled order after 2 weeks", ("en",)).cues
("still hasn't", "hasn't refunded")
>>> find_complaint("Sudah dikirim belum kak?", ("id",)), find_complaint("Kok belum dikirim?", ("id",)).cues
(None, ('kok belum',))
>>> find_complaint("Pending for a week but it finally arrived, thanks!", ("en",))
>>> find_complaint("没收到货，客服也不回复", ("zh",)).cues
('没收到', '不回复')
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from monitio.enrich.cues import PhraseSet, _is_latin
from monitio.enrich.textnorm import fold

LABELS = ("unmet", "particles", "still", "neg", "expect", "wait", "why", "never", "resolved", "spans", "relative")
LATIN_WINDOW, UNSPACED_WINDOW = 30, 10
"""How far (characters) a negator may follow a `still` word, and a duration a `wait` word."""
WORD_RE = re.compile(r"[\w\u0900-\u0DFF\u0600-\u06FF'’-]+")
"""Words as the sentiment scorer splits them (`monitio.enrich.sentiment.WORD_RE`)."""
CLAUSE_END = re.compile(r"[.!?;,\n。！？；，、…]")
QUANTITY = (
    r"\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|few|couple of|satu|dua|tiga|"
    r"empat|lima|enam|tujuh|delapan|lapan|sembilan|sepuluh|beberapa|một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười|vài|mấy|"
    r"isang|dalawang|tatlong|apat na|limang|anim na|pitong|walong|siyam na|sampung|ek|do|teen|char|paanch|das|"
    r"एक|दो|तीन|चार|पांच|दस|"
    r"หนึ่ง|สอง|สาม|สี่|ห้า|一|二|两|兩|三|四|五|几|幾|十|半|한|두|세|네|다섯|몇|二|三|数"
)
GAP = {"zh": 1, "th": 2, "ko": 3, "ja": 4}
"""Most characters between a negator and an expected event in scripts without spaces ("没有收到", "届いていない")."""
ALIASES = {"ur-Latn": "hi-Latn", "ta-Latn": None, "zh-Hant": "zh", "zh-Hans": "zh", "ur": "hi"}


@dataclass(frozen=True)
class Complaint:
    """The cues that made a post a complaint, and whether every one of them comes before a contrast word."""

    cues: tuple[str, ...]
    before_contrast: bool = False


@dataclass(frozen=True)
class _Rules:
    phrases: PhraseSet
    duration: re.Pattern
    unspaced: bool
    gap: int
    negate_after: bool


@lru_cache(maxsize=1)
def _spec() -> dict[str, dict[str, list[str]]]:
    text = (resources.files("monitio.lexicons") / "complaints.yaml").read_text(encoding="utf-8")
    return {
        lang: {k: v if isinstance(v, bool) else [str(x) for x in (v or [])] for k, v in block.items()}
        for lang, block in yaml.safe_load(text).items()
    }


def languages() -> tuple[str, ...]:
    """Languages with complaint cues.

    >>> "vi" in languages() and "hi-Latn" in languages()
    True
    """
    return tuple(_spec())


@lru_cache(maxsize=32)
def _rules(lang: str) -> _Rules:
    block = _spec()[lang]
    groups = {
        label: [fold(p) for p in block.get(label, [])] for label in LABELS if label not in ("particles", "relative")
    }
    phrases = PhraseSet(groups)
    units = sorted((fold(u) for u in block.get("durations", [])), key=len, reverse=True)
    unspaced = lang in ("th", "zh", "ko", "ja")
    edge = "" if unspaced else r"(?<!\w)"
    tail = "" if unspaced else r"(?!\w)"
    duration = re.compile(rf"{edge}(?:{QUANTITY})\s*(?:{'|'.join(map(re.escape, units))}){tail}")
    return _Rules(phrases, duration, unspaced, GAP.get(lang, 1), bool(block.get("negate_after")))


@lru_cache(maxsize=32)
def _particles(lang: str) -> frozenset[str]:
    return frozenset(fold(p) for p in _spec()[lang].get("particles", []))


@lru_cache(maxsize=32)
def _relative(lang: str) -> tuple[str, ...]:
    """Relative words, each with a trailing space ('yang ', 'who '), for an `endswith` test."""
    return tuple(fold(p) + ("" if lang in ("th", "zh", "ko", "ja") else " ") for p in _spec()[lang].get("relative", []))


@lru_cache(maxsize=1024)
def _langs(langs: tuple[str, ...]) -> tuple[str, ...]:
    known = _spec()
    out = []
    for x in langs:
        x = ALIASES.get(x, x)
        if x in known and x not in out:
            out.append(x)
        if x in ("id", "ms"):
            out.extend(y for y in ("id", "ms") if y not in out)
    return tuple(out)


def _question_tail(text: str, end: int, clause_end: int, unspaced: bool) -> bool:
    """True when only a short tail ("kak?", "ạ?", "吗?") is left between `end` and a '?' ending the clause."""
    if clause_end >= len(text) or text[clause_end] not in "?？":
        return False
    tail = text[end:clause_end].strip()
    return len(tail) <= 3 if unspaced else len(tail.split()) <= 2


def _gap_ok(text: str, a_end: int, b_start: int, rules: _Rules) -> bool:
    """At most one word (Latin) or `rules.gap` characters (unspaced scripts) between two hits."""
    if b_start < a_end:
        return False
    gap = text[a_end:b_start].strip()
    return len(gap.replace(" ", "")) <= rules.gap if rules.unspaced else len(gap.split()) <= rules.gap


def _letter(ch: str) -> bool:
    return ch.isalnum() or unicodedata.category(ch).startswith("M")


def _whole_word(text: str, start: int, end: int) -> bool:
    """A hit in a spaced script (Devanagari, Vietnamese) is a whole word: no letter or mark on either side."""
    return (start == 0 or not _letter(text[start - 1])) and (end >= len(text) or not _letter(text[end]))


TRIGGERS = frozenset({"unmet", "still", "neg", "wait"})
"""Labels that can start a cue: a text with none of them is not read further."""


def _cues_in(text: str, lang: str, bounds: list[int], hits: list[tuple[int, int, str, str]]) -> list[tuple[int, str]]:
    """(position, phrase) of every complaint cue of one language in a folded text (`bounds`: clause ends;
    `hits`: the language's phrases found in it, `_hits_by_lang`)."""
    rules = _rules(lang)
    unspaced = rules.unspaced
    window = UNSPACED_WINDOW if unspaced else LATIN_WINDOW
    clause = [bisect_right(bounds, start) for start, *_ in hits]
    in_clause: dict[int, list[int]] = {}
    for j, c in enumerate(clause):
        in_clause.setdefault(c, []).append(j)
    particles = _particles(lang)
    found: list[tuple[int, str]] = []
    resolved_at = max((s for s, _, label, _ in hits if label == "resolved"), default=-1)
    durations = None
    for i, (start, end, label, phrase) in enumerate(hits):
        same = in_clause[clause[i]]
        if label == "unmet":
            if phrase in particles:
                if text[max(0, start - 12) : start].endswith(_relative(lang)):
                    continue
                c_end = bounds[clause[i]] if clause[i] < len(bounds) else len(text)
                reproach = any(hits[j][2] in ("why", "still") and hits[j][0] < start for j in same)
                if not reproach and _question_tail(text, end, c_end, unspaced):
                    continue
                if reproach:
                    j = max(j for j in same if hits[j][2] in ("why", "still") and hits[j][0] < start)
                    found.append((hits[j][0], f"{hits[j][3]} {phrase}"))
                    continue
            found.append((start, phrase))
        elif label == "still":
            if any(
                hits[j][2] in ("neg", "unmet") and (0 <= hits[j][0] - end <= window or 0 <= start - hits[j][1] <= 12)
                for j in same
                if j != i
            ):
                nxt = next((hits[j] for j in same if hits[j][2] in ("neg", "unmet") and hits[j][0] >= end), None)
                found.append((start, f"{phrase} {nxt[3]}" if nxt and nxt[0] - end <= 1 else phrase))
        elif label == "neg":
            for j in same:
                if hits[j][2] == "expect" and (
                    _gap_ok(text, end, hits[j][0], rules)
                    or (rules.negate_after and _gap_ok(text, hits[j][1], start, rules))
                ):
                    found.append((min(start, hits[j][0]), f"{phrase} {hits[j][3]}"))
                    break
        elif label == "wait":
            if durations is None:
                durations = [m.start() for m in rules.duration.finditer(text)]
                durations += [s for s, _, lb, _ in hits if lb == "spans"]
            if any(abs(d - start) <= window * 2 and bisect_right(bounds, d) == clause[i] for d in durations):
                found.append((start, f"{phrase} + time"))
    if resolved_at >= 0:
        found = [(p, c) for p, c in found if p > resolved_at]
    return found


@lru_cache(maxsize=256)
def _combined(langs: tuple[str, ...]) -> PhraseSet:
    """One phrase set over several languages' cues (labels `lang<TAB>label`): one scan per post."""
    groups = {}
    for lang in langs:
        block = _spec()[lang]
        for label in LABELS:
            if label not in ("particles", "relative"):
                groups[f"{lang}\t{label}"] = [fold(p) for p in block.get(label, [])]
    return PhraseSet(groups)


@lru_cache(maxsize=256)
def _gate(langs: tuple[str, ...]) -> tuple[frozenset[str], frozenset[str], frozenset[str], re.Pattern | None]:
    """What no rule can fire without: an unmet, still or wait phrase, or a negator with an expected event.

    For Latin-script phrases, one word of each (its longest, the rarest as a rule) in three sets (strong:
    unmet/still/wait, negators, expected events); the other scripts' phrases of all four kinds in one regex.
    A few set lookups over the post's words, and at most one `search`, rule most posts out.
    """

    def longest(label: str) -> set[str]:
        found = {max(fold(p).split(), key=len) for x in langs for p in _spec()[x].get(label, []) if _is_latin(p)}
        return found | {w.replace("'", "\u2019") for w in found}

    strong = longest("unmet") | longest("still") | longest("wait")
    other = [fold(p) for x in langs for k in ("unmet", "still", "wait", "expect") for p in _spec()[x].get(k, [])]
    other_re = PhraseSet({"gate": [p for p in other if not _is_latin(p)]}).other_re
    return frozenset(strong), frozenset(longest("neg")), frozenset(longest("expect")), other_re


def _gated(text: str, langs: tuple[str, ...], words: list[str] | None) -> bool:
    """True when the text may hold a cue (see `_gate`); `words`: the text's `WORD_RE` words."""
    strong, neg, expect, other = _gate(langs)
    if words is None:
        words = WORD_RE.findall(text)
    if not strong.isdisjoint(words) or (not neg.isdisjoint(words) and not expect.isdisjoint(words)):
        return True
    return other is not None and not text.isascii() and other.search(text) is not None


def _hits_by_lang(text: str, langs: tuple[str, ...]) -> dict[str, list[tuple[int, int, str, str]]]:
    """Each language's cue phrases in a folded text, for the languages with a cue that can start one."""
    by_lang: dict[str, list[tuple[int, int, str, str]]] = {}
    spans = _combined(langs).spans(text)
    keys = _KEYS
    for _, _, key, _ in spans:
        if key not in keys:
            lang, label = key.split("\t")
            keys[key] = (lang, label, label in TRIGGERS, _rules(lang).unspaced)
    if not any(keys[key][2] for _, _, key, _ in spans):
        return by_lang
    ascii_text = text.isascii()
    for start, end, key, phrase in spans:
        lang, label, _, unspaced = keys[key]
        if not ascii_text and not unspaced and not _whole_word(text, start, end):
            continue
        by_lang.setdefault(lang, []).append((start, end, label, phrase))
    return {lang: hits for lang, hits in by_lang.items() if any(h[2] in TRIGGERS for h in hits)}


_KEYS: dict[str, tuple[str, str, bool, bool]] = {}
"""A combined phrase set's label ('id<TAB>unmet') -> (language, label, label in `TRIGGERS`, unspaced script)."""


def find_complaint(
    text: str,
    langs=("en",),
    contrast: frozenset[str] | set[str] = frozenset(),
    folded: str | None = None,
    words: list[str] | None = None,
) -> Complaint | None:
    """The post's complaint cues in the given languages (None: not a complaint).

    `contrast`: contrast words ('but', 'tapi', 'nhưng'); when one follows every cue, the complaint is
    `before_contrast` (the scorer then gives it half the weight, as it does a term before a contrast).
    `folded`: `fold(text)` and `words`: its `WORD_RE` words, when the caller has them.

    >>> find_complaint("Creator payout still pending after 3 weeks, no response", ("en",)).cues
    ('still pending', 'no response')
    >>> find_complaint("Still works great after 3 weeks, no problems", ("en",)) is None
    True
    """
    folded = fold(text) if folded is None else folded
    chosen = _langs(tuple(langs))
    if not chosen or not _gated(folded, chosen, words):
        return None
    return read_complaint(folded, chosen, contrast)


def gate(
    langs: tuple[str, ...],
) -> tuple[tuple[str, ...], frozenset[str], frozenset[str], frozenset[str], re.Pattern | None]:
    """For a caller that reads many posts in the same languages: the languages with cues among `langs`, and
    `_gate` of them (empty sets when none has cues). A post passes when `_gated` would pass it; then
    `read_complaint(folded, languages, contrast)` gives what `find_complaint` does.
    """
    chosen = _langs(tuple(langs))
    if not chosen:
        return chosen, frozenset(), frozenset(), frozenset(), None
    return (chosen, *_gate(chosen))


def read_complaint(folded: str, chosen: tuple[str, ...], contrast: frozenset[str] | set[str]) -> Complaint | None:
    """`find_complaint` after its gate: `chosen` are the languages with cues (`gate`)."""
    if "\u2019" in folded:
        folded = folded.replace("\u2019", "'")
    found: list[tuple[int, str]] = []
    bounds = None
    for lang, hits in _hits_by_lang(folded, chosen).items():
        if bounds is None:
            bounds = [m.start() for m in CLAUSE_END.finditer(folded)]
        found.extend(_cues_in(folded, lang, bounds, hits))
    if not found:
        return None
    found.sort()
    last = found[-1][0]
    before = False
    if contrast:
        for c in contrast:
            k = folded.find(c, last)
            if k > last and (
                not c.isascii() or re.search(rf"(?<!\w){re.escape(c)}(?!\w)", folded[k - 1 : k + len(c) + 1])
            ):
                before = True
                break
    return Complaint(tuple(dict.fromkeys(c for _, c in found)), before)
