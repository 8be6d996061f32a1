"""Language and script identification for the 16 market languages, romanised Hindi/Urdu and code-mixing.

The script decides where it can (Thai, Burmese, Khmer, Hangul, Kana, Bengali, Tamil, Telugu; Han
without Kana is Chinese; Devanagari is Hindi; Arabic script is Urdu). Latin-script text goes to lingua
restricted to the configured Latin-script languages, then two corrections: Malay versus Indonesian
by marker words, and romanised Hindi/Urdu (which no detector knows) by function words. Code-mixed
posts (Hinglish, Taglish, Manglish) get `mixed_langs`.

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
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from monitio.enrich.textnorm import strip_noise
from monitio.records import Doc

SCRIPT_RANGES = [
    ("Thai", 0x0E00, 0x0E7F),
    ("Laoo", 0x0E80, 0x0EFF),
    ("Mymr", 0x1000, 0x109F),
    ("Khmr", 0x1780, 0x17FF),
    ("Hang", 0xAC00, 0xD7AF),
    ("Hang", 0x1100, 0x11FF),
    ("Hang", 0x3130, 0x318F),
    ("Kana", 0x3040, 0x30FF),
    ("Hani", 0x4E00, 0x9FFF),
    ("Hani", 0x3400, 0x4DBF),
    ("Deva", 0x0900, 0x097F),
    ("Beng", 0x0980, 0x09FF),
    ("Taml", 0x0B80, 0x0BFF),
    ("Telu", 0x0C00, 0x0C7F),
    ("Arab", 0x0600, 0x06FF),
    ("Arab", 0x0750, 0x077F),
    ("Latn", 0x0041, 0x005A),
    ("Latn", 0x0061, 0x007A),
    ("Latn", 0x00C0, 0x024F),
    ("Latn", 0x1E00, 0x1EFF),
]
SCRIPT_LANG = {
    "Thai": "th",
    "Laoo": "lo",
    "Mymr": "my",
    "Khmr": "km",
    "Hang": "ko",
    "Kana": "ja",
    "Deva": "hi",
    "Beng": "bn",
    "Taml": "ta",
    "Telu": "te",
    "Arab": "ur",
    "Hani": "zh",
}
LATIN_LINGUA = {"en": "ENGLISH", "id": "INDONESIAN", "ms": "MALAY", "vi": "VIETNAMESE", "tl": "TAGALOG"}
VI_LETTERS = set("ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ")
WORD_RE = re.compile(r"[a-zà-ɏḀ-ỿ']+")


@lru_cache(maxsize=1)
def _markers() -> dict[str, frozenset[str]]:
    text = (resources.files("monitio.lexicons") / "language_markers.yaml").read_text(encoding="utf-8")
    return {k: frozenset(v) for k, v in yaml.safe_load(text).items()}


@dataclass(frozen=True)
class LangResult:
    """What the identifier decided: a language code (or `und`), the script, a confidence, mixed languages."""

    lang: str
    script: str
    confidence: float
    mixed: tuple[str, ...] = ()


def script_of(text: str) -> tuple[str, Counter]:
    counts: Counter = Counter()
    for ch in text:
        o = ord(ch)
        if o < 0x41:
            continue
        for name, lo, hi in SCRIPT_RANGES:
            if lo <= o <= hi:
                counts[name] += 1
                break
    if not counts:
        return "Zyyy", counts
    if counts["Kana"] and counts["Kana"] + counts["Hani"] >= max(counts.values()):
        return "Jpan", counts
    return counts.most_common(1)[0][0], counts


@lru_cache(maxsize=4)
def _detector(langs: tuple[str, ...]):
    from lingua import Language, LanguageDetectorBuilder

    chosen = [getattr(Language, LATIN_LINGUA[c]) for c in langs if c in LATIN_LINGUA]
    if len(chosen) < 2:
        chosen = [Language.ENGLISH, Language.INDONESIAN]
    return LanguageDetectorBuilder.from_languages(*chosen).with_preloaded_language_models().build()


def _latin_rules(words: list[str], lingua_lang: str, conf: float) -> LangResult:
    mk = _markers()
    n = max(len(words), 1)
    ws = set(words)
    hi = sum(w in mk["hi_latn"] for w in words) / n
    tl_share = sum(w in mk["tl_markers"] and w not in mk["hi_latn"] for w in words) / n
    if hi >= 0.2 and len(words) >= 2 and lingua_lang != "vi" and hi > 2 * tl_share:
        ur = len(ws & mk["ur_only"]) > len(ws & {"hai", "nahi", "kya", "mera", "yaar", "accha"}) / 2
        code = "ur-Latn" if ur else "hi-Latn"
        en = sum(w in mk["en_markers"] for w in words) / n
        return LangResult(code, "Latn", min(0.99, 0.5 + hi), (code, "en") if en >= 0.15 else ())
    if lingua_lang in ("id", "ms"):
        ms = 2 * len(ws & mk["ms_strong"]) + len(ws & mk["ms_markers"])
        idn = 2 * len(ws & mk["id_strong"]) + len(ws & mk["id_markers"])
        if ms != idn:
            winner = "ms" if ms > idn else "id"
            margin = abs(ms - idn) / (ms + idn)
            if winner != lingua_lang and margin >= 0.2:
                return LangResult(winner, "Latn", round(0.5 + margin / 2, 3))
    if lingua_lang in ("tl", "en"):
        tl = sum(w in mk["tl_markers"] for w in words) / n
        en = sum(w in mk["en_markers"] for w in words) / n
        if tl >= 0.12 and en >= 0.12:
            return LangResult("tl", "Latn", conf, ("tl", "en"))
    if lingua_lang == "ms":
        en = sum(w in mk["en_markers"] for w in words) / n
        if en >= 0.2:
            return LangResult("ms", "Latn", conf, ("ms", "en"))
    return LangResult(lingua_lang, "Latn", conf)


class LanguageIdentifier:
    """Decides many texts at once (lingua runs in parallel over the Latin-script ones)."""

    def __init__(self, languages: list[str] | None = None):
        from monitio.settings import DEFAULT_LANGUAGES

        self.languages = tuple(languages or DEFAULT_LANGUAGES)

    def detect_many(self, texts: list[str]) -> list[LangResult]:
        results: list[LangResult | None] = [None] * len(texts)
        latin_idx, latin_texts, latin_words = [], [], []
        for i, raw in enumerate(texts):
            clean = strip_noise(raw)
            script, counts = script_of(clean)
            if script == "Zyyy":
                results[i] = LangResult("und", "Zyyy", 0.0)
            elif script == "Jpan":
                results[i] = LangResult("ja", "Jpan", 0.95)
            elif script != "Latn":
                total = sum(counts.values())
                share = counts[script] / total
                lang = SCRIPT_LANG.get(script, "und")
                mixed = (lang, "en") if counts["Latn"] / total >= 0.3 else ()
                results[i] = LangResult(lang, script, round(min(0.99, 0.6 + 0.4 * share), 3), mixed)
            else:
                low = clean.lower()
                words = WORD_RE.findall(low)
                if not words:
                    results[i] = LangResult("und", "Latn", 0.0)
                    continue
                if sum(ch in VI_LETTERS for ch in low) >= 2 and "vi" in self.languages:
                    results[i] = LangResult("vi", "Latn", 0.97)
                    continue
                latin_idx.append(i)
                latin_texts.append(clean)
                latin_words.append(words)
        if latin_texts:
            values = _detector(self.languages).compute_language_confidence_values_in_parallel(latin_texts)
            for i, words, conf in zip(latin_idx, latin_words, values, strict=True):
                top = conf[0] if conf else None
                lang = top.language.iso_code_639_1.name.lower() if top else "und"
                c = round(top.value, 3) if top else 0.0
                if len(words) == 1 and c < 0.6:
                    results[i] = LangResult("und", "Latn", c)
                    continue
                results[i] = _latin_rules(words, lang, c)
        return results  # type: ignore[return-value]


def detect(text: str, languages: list[str] | None = None) -> LangResult:
    """Identify one text (see `LanguageIdentifier` for batches)."""
    return LanguageIdentifier(languages).detect_many([text])[0]


class LanguageStage:
    """Sets `lang`, `script`, `lang_confidence` and `mixed_langs`; a post's own language hint wins."""

    name = "language"

    def __init__(self, languages: list[str] | None = None):
        self.identifier = LanguageIdentifier(languages)

    def process(self, docs: list[Doc]) -> None:
        results = self.identifier.detect_many([d.text for d in docs])
        for d, r in zip(docs, results, strict=True):
            hint = (d.post.lang_hint or "").strip()
            if hint:
                d.lang, d.script, d.lang_confidence, d.mixed_langs = hint, r.script, 1.0, r.mixed
            else:
                d.lang, d.script, d.lang_confidence, d.mixed_langs = r.lang, r.script, r.confidence, r.mixed
