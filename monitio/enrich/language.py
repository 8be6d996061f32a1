"""Language and script identification for the 16 market languages, romanised Hindi/Urdu/Tamil and code-mixing.

The script decides alone where it can (Thai, Burmese, Khmer, Hangul, Kana, Bengali, Tamil, Telugu;
Han without Kana is Chinese; Devanagari is Hindi; Arabic script is Urdu): lingua has no Burmese or
Khmer and needs no help there. Latin-script text goes to lingua (built once, lazily, restricted to
the configured Latin-script languages), then marker-word rules: romanised Hindi/Urdu/Tamil (which no
detector knows), Malay versus Indonesian (lingua's main error), and code-mixing with English (`mixed`).

>>> detect("Saya tak boleh terima, duit belum masuk lagi kerana sistem rosak").lang
'ms'
>>> detect("Aku nggak bisa terima, uangnya belum masuk karena sistem error").lang
'id'
>>> r = detect("yaar ye ad bilkul fake hai, paise wapas nahi mile")
>>> r.lang, r.script
('hi-Latn', 'Latn')
>>> detect("โฆษณานี้หลอกลวง").lang, detect("ការឆបោកតាមអនឡាញ").lang, detect("လိမ်လည်မှု").lang
('th', 'km', 'my')
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from itertools import repeat

import yaml

from monitio.enrich.textnorm import bcp47, strip_noise
from monitio.records import Doc

SCRIPT_RANGES = (
    ("Latn", 0x0041, 0x005A),
    ("Latn", 0x0061, 0x007A),
    ("Latn", 0x00C0, 0x024F),
    ("Latn", 0x1E00, 0x1EFF),
    ("Arab", 0x0600, 0x06FF),
    ("Arab", 0x0750, 0x077F),
    ("Arab", 0xFB50, 0xFDFF),
    ("Arab", 0xFE70, 0xFEFF),
    ("Deva", 0x0900, 0x097F),
    ("Beng", 0x0980, 0x09FF),
    ("Taml", 0x0B80, 0x0BFF),
    ("Telu", 0x0C00, 0x0C7F),
    ("Thai", 0x0E00, 0x0E7F),
    ("Laoo", 0x0E80, 0x0EFF),
    ("Mymr", 0x1000, 0x109F),
    ("Hang", 0x1100, 0x11FF),
    ("Khmr", 0x1780, 0x17FF),
    ("Kana", 0x3040, 0x30FF),
    ("Hang", 0x3130, 0x318F),
    ("Hani", 0x3400, 0x4DBF),
    ("Hani", 0x4E00, 0x9FFF),
    ("Hang", 0xAC00, 0xD7AF),
    ("Hani", 0xF900, 0xFAFF),
)
SCRIPT_LANG = {
    "Thai": "th",
    "Laoo": "lo",
    "Mymr": "my",
    "Khmr": "km",
    "Hang": "ko",
    "Jpan": "ja",
    "Deva": "hi",
    "Beng": "bn",
    "Taml": "ta",
    "Telu": "te",
    "Arab": "ur",
    "Hani": "zh",
}
LATIN_LINGUA = {"en": "ENGLISH", "id": "INDONESIAN", "ms": "MALAY", "vi": "VIETNAMESE", "tl": "TAGALOG"}
VI_LETTERS = frozenset("ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ")
_VI_TWO_RE = re.compile(f"[{''.join(sorted(VI_LETTERS))}].*?[{''.join(sorted(VI_LETTERS))}]", re.S)
"""Two Vietnamese letters anywhere in a text (one regex search instead of a loop over characters)."""
WORD_RE = re.compile(r"[a-zà-ɏḀ-ỿ']+")
TA_SUFFIXES = ("nga", "ngal", "ngala", "ukku", "kku", "thu", "dhu", "num", "rukku", "ruku", "chu", "nu")
"""Endings typical of romanised Tamil verbs and case forms (counted at half the weight of marker words)."""
_ASCII_LETTER = re.compile("[A-Za-z]")
MAX_CHARS = 600
"""Only the start of a long post is read: it is enough to decide, and keeps the cost per post bounded."""


LINGUA_MEMO_SIZE = 50_000
"""lingua's answers are remembered per cleaned text (reposts, copy-paste spam), up to this many texts per set
of languages; the memo is emptied when full."""
_LINGUA_MEMO: dict[tuple[str, ...], dict[str, tuple[str, float]]] = {}
_LINGUA_CODES: dict = {}
"""lingua `Language` -> its ISO 639-1 code in lower case."""


@dataclass(frozen=True, init=False)
class LangResult:
    """What the identifier decided: a language code (or `und`), the script, a confidence, mixed languages."""

    lang: str
    script: str
    confidence: float
    mixed: tuple[str, ...] = ()

    def __init__(self, lang: str, script: str, confidence: float, mixed: tuple[str, ...] = ()) -> None:
        # One dict update instead of the frozen dataclass's four object.__setattr__ calls (one result per post).
        self.__dict__.update(lang=lang, script=script, confidence=confidence, mixed=mixed)


@lru_cache(maxsize=1)
def _script_table() -> tuple[dict[int, str], dict[str, str]]:
    """A `str.translate` table sending every letter of a known script to one private-use character."""
    names = sorted({name for name, _, _ in SCRIPT_RANGES})
    code = {name: chr(0xE000 + i) for i, name in enumerate(names)}
    table = {o: code[name] for name, lo, hi in SCRIPT_RANGES for o in range(lo, hi + 1)}
    return table, {c: name for name, c in code.items()}


def script_counts(text: str) -> Counter:
    """Letters per script (ISO 15924 code) in `text`.

    >>> dict(script_counts("abc ไทย"))
    {'Latn': 3, 'Thai': 3}
    """
    table, names = _script_table()
    coded = text.translate(table)
    found = [c for c in names if c in coded]
    if len(found) == 1:
        counts = Counter()
        counts[names[found[0]]] = coded.count(found[0])
        return counts
    if len(found) > 1:
        found.sort(key=coded.index)  # first appearance first, as a Counter of the text would list them
    return Counter({names[c]: coded.count(c) for c in found})


def script_of(text: str) -> tuple[str, Counter]:
    """The main script of a text (`Jpan` when Kana appears, `Zyyy` when there are no letters) and the counts."""
    counts = script_counts(text)
    if not counts:
        return "Zyyy", counts
    if counts["Kana"] and counts["Kana"] + counts["Hani"] >= max(counts.values()):
        return "Jpan", counts
    return counts.most_common(1)[0][0], counts


@lru_cache(maxsize=1)
def _markers() -> dict[str, frozenset[str]]:
    text = (resources.files("monitio.lexicons") / "language_markers.yaml").read_text(encoding="utf-8")
    return {k: frozenset(v) for k, v in yaml.safe_load(text).items()}


@lru_cache(maxsize=4)
def _detector(langs: tuple[str, ...]):
    """lingua restricted to the configured Latin-script languages, built once per set (nothing at import)."""
    from lingua import Language, LanguageDetectorBuilder

    chosen = [getattr(Language, LATIN_LINGUA[c]) for c in langs if c in LATIN_LINGUA]
    if len(chosen) < 2:
        chosen = [Language.ENGLISH, Language.INDONESIAN]
    return LanguageDetectorBuilder.from_languages(*chosen).with_preloaded_language_models().build()


def _share(words: list[str], vocab: frozenset[str]) -> float:
    return sum(map(vocab.__contains__, words)) / max(len(words), 1)


@lru_cache(maxsize=1)
def _tl_not_hi() -> frozenset[str]:
    mk = _markers()
    return mk["tl_markers"] - mk["hi_latn"]


_TA_END: dict[str, bool] = {}


def _ta_endings(words: list[str]) -> int:
    """How many words are longer than four letters and end in one of `TA_SUFFIXES` (remembered per word)."""
    found = list(map(_TA_END.get, words))
    if None in found:
        if len(_TA_END) > 200_000:
            _TA_END.clear()
        for i, w in enumerate(words):
            if found[i] is None:
                found[i] = _TA_END[w] = len(w) > 4 and w.endswith(TA_SUFFIXES)
    return sum(found)


def _romanised(words: list[str], lingua_lang: str) -> LangResult | None:
    """Romanised Hindi, Urdu or Tamil by function words, scored against English and Tagalog."""
    if len(words) < 2 or lingua_lang == "vi":
        return None
    mk = _markers()
    hi = _share(words, mk["hi_latn"])
    ta = _share(words, mk["ta_latn"]) + 0.5 * _ta_endings(words) / len(words)
    best, share = ("ta-Latn", ta) if ta > hi else ("hi-Latn", hi)
    if share < 0.2:
        return None
    tl = _share(words, _tl_not_hi())
    en = _share(words, mk["en_markers"])
    if share <= 2 * tl or share < en / 2:
        return None
    if best == "hi-Latn":
        ws = set(words)
        hindi_only = {"hai", "nahi", "kya", "mera", "yaar", "accha", "bahut", "kyun"}
        if len(ws & mk["ur_only"]) > len(ws & hindi_only) / 2:
            best = "ur-Latn"
    return LangResult(best, "Latn", round(min(0.99, 0.5 + share), 3), (best, "en") if en >= 0.15 else ())


MS_ID_MIN_EVIDENCE = 3
"""Spelling/vocabulary evidence (a strong cue counts 2) needed to overrule lingua between ms and id."""
MS_ID_BACKING = 2
"""Evidence that backs lingua's pick of the non-default variety (a strong cue, or two weak ones)."""
MS_ID_UNSURE = 0.7
"""Below this lingua confidence, a Malay/Indonesian text with no cue for lingua's pick goes to the default."""


@dataclass(frozen=True)
class _MsIdCues:
    words: dict[str, int]  # word -> +weight (Malay) or -weight (Indonesian)
    phrases: tuple[tuple[str, int], ...]
    ms_endings: tuple[str, ...]
    id_endings: tuple[str, ...]
    phrase_firsts: dict[str, tuple[tuple[str, int], ...]] = field(default_factory=dict)
    """First word of each phrase -> its phrases (a phrase can only occur when its first word does)."""


@lru_cache(maxsize=1)
def _ms_id_cues() -> _MsIdCues:
    text = (resources.files("monitio.lexicons") / "malay_indonesian.yaml").read_text(encoding="utf-8")
    spec = yaml.safe_load(text)
    words: dict[str, int] = {}
    phrases: list[tuple[str, int]] = []
    for lang, sign in (("malay", 1), ("indonesian", -1)):
        for kind, weight in (("strong", 2), ("weak", 1)):
            for entry in spec[lang][kind]:
                entry = str(entry).lower().replace("-", " ")  # words are split at hyphens ('mana-mana')
                if " " in entry:
                    phrases.append((f" {entry} ", sign * weight))
                else:
                    words[entry] = sign * weight
    firsts: dict[str, list[tuple[str, int]]] = {}
    for phrase, weight in phrases:
        firsts.setdefault(phrase.split()[0], []).append((phrase, weight))
    return _MsIdCues(
        words,
        tuple(phrases),
        tuple(spec["malay_endings"]),
        tuple(spec["indonesian_endings"]),
        {k: tuple(v) for k, v in firsts.items()},
    )


def malay_indonesian_score(words: list[str]) -> int:
    """Evidence for Malay (> 0) or Indonesian (< 0) from standard spellings and words of each.

    >>> malay_indonesian_score("kerajaan akan memberi bantuan kerana kos sara hidup".split())
    4
    >>> malay_indonesian_score("pemerintah akan memberi bantuan karena biaya hidup naik".split())
    -4
    """
    cues = _ms_id_cues()
    score = sum(map(cues.words.get, words, repeat(0)))
    firsts = cues.phrase_firsts.keys() & words
    if firsts:
        padded = f" {' '.join(words)} "
        score += sum(weight for first in firsts for phrase, weight in cues.phrase_firsts[first] if phrase in padded)
    for w in words:
        if len(w) > 5:
            score += w.endswith(cues.ms_endings) - w.endswith(cues.id_endings)
    return score


def _malay_or_indonesian(
    words: list[str], lingua_lang: str, conf: float, allowed: tuple[str, ...], default: str = "id"
) -> LangResult:
    """Malay or Indonesian: clear spelling and vocabulary evidence (`MS_ID_MIN_EVIDENCE`) decides; else
    lingua's n-gram guess stands when a cue backs it, or when it is sure (`MS_ID_UNSURE`) and picked the
    default; else `default`.

    The two share most of their vocabulary, so a text without a telling word is a coin toss for any
    identifier; the default (setting `ms_id_default`) says which way a team's posts usually lean.
    Indonesian is the default because it is far more common online. lingua's Malay model is learnt
    from the Malay macrolanguage corpus, which is largely Indonesian, so its pick of the other variety
    is not evidence alone: without a cue for it, the default stands (no Indonesian text called Malay
    on lingua's word).

    >>> words = "pakaian itu sudah lusuh dan kotor".split()
    >>> [_malay_or_indonesian(words, "ms", 0.5, ("id", "ms"), default).lang for default in ("id", "ms")]
    ['id', 'ms']
    """
    score = malay_indonesian_score(words)
    lang = lingua_lang
    if abs(score) >= MS_ID_MIN_EVIDENCE:
        winner = "ms" if score > 0 else "id"
        if winner in allowed:
            lang = winner
            conf = round(min(0.99, 0.6 + 0.08 * abs(score)), 3) if winner != lingua_lang else max(conf, 0.7)
    elif default in allowed and lingua_lang != default:
        backed = score >= MS_ID_BACKING if lingua_lang == "ms" else score <= -MS_ID_BACKING
        if not backed:
            lang = default
            conf = min(conf, MS_ID_UNSURE)
    mixed = (lang, "en") if _share(words, _markers()["en_markers"]) >= 0.2 else ()
    return LangResult(lang, "Latn", conf, mixed)


def _latin_rules(
    words: list[str], lingua_lang: str, conf: float, allowed: tuple[str, ...], ms_id_default: str = "id"
) -> LangResult:
    roman = _romanised(words, lingua_lang)
    if roman is not None:
        return roman
    if lingua_lang in ("id", "ms"):
        return _malay_or_indonesian(words, lingua_lang, conf, allowed, ms_id_default)
    if lingua_lang in ("tl", "en"):
        mk = _markers()
        if _share(words, mk["tl_markers"]) >= 0.12 and _share(words, mk["en_markers"]) >= 0.12:
            return LangResult("tl", "Latn", conf, ("tl", "en"))
    return LangResult(lingua_lang, "Latn", conf)


def _by_script(script: str, counts: Counter) -> LangResult:
    total = sum(counts.values())
    key = "Kana" if script == "Jpan" else script
    share = (counts[key] + (counts["Hani"] if script == "Jpan" else 0)) / total
    lang = SCRIPT_LANG.get(script, "und")
    mixed = (lang, "en") if counts["Latn"] / total >= 0.3 else ()
    return LangResult(lang, script, round(min(0.99, 0.6 + 0.4 * share), 3), mixed)


class LanguageIdentifier:
    """Decides many texts at once: scripts first, then lingua over the Latin-script remainder in one call."""

    def __init__(self, languages: list[str] | None = None, ms_id_default: str = "id"):
        from monitio.settings import DEFAULT_LANGUAGES

        self.languages = tuple(languages or DEFAULT_LANGUAGES)
        self.ms_id_default = ms_id_default

    def detect_many(self, texts: list[str]) -> list[LangResult]:
        results: list[LangResult | None] = [None] * len(texts)
        latin_idx, latin_texts, latin_words = [], [], []
        for i, raw in enumerate(texts):
            clean = strip_noise(raw[: MAX_CHARS * 2])[:MAX_CHARS]
            if clean.isascii():  # what script_of would say, without counting
                script, counts = ("Latn" if _ASCII_LETTER.search(clean) else "Zyyy"), None
            else:
                script, counts = script_of(clean)
            if script == "Zyyy":
                results[i] = LangResult("und", "Zyyy", 0.0)
            elif script != "Latn":
                results[i] = _by_script(script, counts)
            else:
                low = clean.lower()
                words = WORD_RE.findall(low)
                if not words:
                    results[i] = LangResult("und", "Latn", 0.0)
                elif "vi" in self.languages and not low.isascii() and _VI_TWO_RE.search(low):
                    results[i] = LangResult("vi", "Latn", 0.97)
                else:
                    latin_idx.append(i)
                    latin_texts.append(clean)
                    latin_words.append(words)
        if latin_texts:
            for i, words, (lang, c) in zip(latin_idx, latin_words, self._lingua(latin_texts), strict=True):
                if len(words) == 1 and c < 0.6:
                    results[i] = LangResult("und", "Latn", c)
                else:
                    results[i] = _latin_rules(words, lang, c, self.languages, self.ms_id_default)
        return results  # type: ignore[return-value]

    def _lingua(self, texts: list[str]) -> list[tuple[str, float]]:
        """lingua's top language and its confidence (rounded) per text; a text seen before is not read again."""
        memo = _LINGUA_MEMO.setdefault(self.languages, {})
        answers: dict[str, tuple[str, float]] = {}
        todo = []
        for text in dict.fromkeys(texts):
            known = memo.get(text)
            if known is None:
                todo.append(text)
            else:
                answers[text] = known
        if todo:
            values = _detector(self.languages).compute_language_confidence_values_in_parallel(todo)
            fresh = {}
            codes = _LINGUA_CODES
            for text, conf in zip(todo, values, strict=True):
                if conf:
                    top = conf[0]
                    code = codes.get(top.language)
                    if code is None:
                        code = codes[top.language] = top.language.iso_code_639_1.name.lower()
                    fresh[text] = (code, round(top.value, 3))
                else:
                    fresh[text] = ("und", 0.0)
            if len(memo) + len(fresh) > LINGUA_MEMO_SIZE:
                memo.clear()
            memo.update(fresh)
            answers.update(fresh)
        return [answers[t] for t in texts]


def detect(text: str, languages: list[str] | None = None) -> LangResult:
    """Identify one text (see `LanguageIdentifier` for batches)."""
    return LanguageIdentifier(languages).detect_many([text])[0]


class LanguageStage:
    """Sets `lang`, `script`, `lang_confidence` and `mixed_langs`; a post's own language hint wins."""

    name = "language"

    def __init__(self, languages: list[str] | None = None, ms_id_default: str = "id"):
        self.identifier = LanguageIdentifier(languages, ms_id_default)

    def process(self, docs: list[Doc]) -> None:
        results = self.identifier.detect_many([d.text for d in docs])
        for d, r in zip(docs, results, strict=True):
            hint = bcp47(d.post.lang_hint)
            if hint:
                d.lang, d.script, d.lang_confidence, d.mixed_langs = hint, r.script, 1.0, r.mixed
            else:
                d.lang, d.script, d.lang_confidence, d.mixed_langs = r.lang, r.script, r.confidence, r.mixed
