"""English glosses of evidence posts, offline: what matched, in words a reader of any language can act on.

A gloss is built only from what enrichment stored: the categories and terms that matched (with their
English meaning from the taxonomy pack's `glossary.yaml` where it has one), the scam indicators found
(phones, handles, links, wallets, promised returns, impersonated names) and the tone. It is not a
translation; a full machine translation comes from the optional translation backend
(`monitio.translate`).

>>> g = Glossary({"หลอกลวง": "deceive, scam"})
>>> gloss({"scam_ads": {"rule": "scam_ads.th", "terms": ["หลอกลวง", "ไม่ตรงปก"]}}, {"phone": ["+66812345678"],
...        "returns": ["50%/month"]}, "th", "negative", {"scam_ads": "Scam ads"}, g).split("; ")[:2]
["Matched Scam ads: 'หลอกลวง' (deceive, scam), 'ไม่ตรงปก' (Thai)", 'found: 1 phone number, promised returns (50%/month)']
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from monitio.errors import Invalid

DEFAULT_GLOSSARY = Path(__file__).resolve().parent.parent / "taxonomy" / "glossary.yaml"
LANG_NAMES = {
    "en": "English", "id": "Indonesian", "ms": "Malay", "th": "Thai", "vi": "Vietnamese", "tl": "Tagalog",
    "my": "Burmese", "km": "Khmer", "ja": "Japanese", "ko": "Korean", "zh": "Chinese", "hi": "Hindi",
    "hi-Latn": "romanised Hindi", "bn": "Bengali", "ur": "Urdu", "ur-Latn": "romanised Urdu", "ta": "Tamil",
    "ta-Latn": "romanised Tamil", "te": "Telugu",
}  # fmt: skip
#: How each indicator kind reads in a gloss: (one, many); values are shown for the kinds in SHOW_VALUES.
KIND_WORDS = {
    "phone": ("1 phone number", "{n} phone numbers"),
    "messaging": ("1 messaging handle", "{n} messaging handles"),
    "link": ("1 link", "{n} links"),
    "short_link": ("1 short link", "{n} short links"),
    "lookalike_link": ("1 look-alike link", "{n} look-alike links"),
    "wallet": ("1 crypto wallet", "{n} crypto wallets"),
    "money": ("a sum of money", "{n} sums of money"),
    "returns": ("promised returns", "promised returns"),
    "urgency": ("pressure to act fast", "pressure to act fast"),
    "lure": ("a prize or phishing lure", "{n} prize or phishing lures"),
    "impersonation": ("an impersonated name", "{n} impersonated names"),
}
SHOW_VALUES = {"returns", "impersonation", "money"}


def language_name(code: str | None) -> str:
    if not code:
        return "unknown language"
    return LANG_NAMES.get(code, LANG_NAMES.get(code.split("-")[0], code))


@dataclass(frozen=True)
class Glossary:
    """Term -> English meaning (case-insensitive)."""

    terms: dict[str, str] = field(default_factory=dict)

    def meaning(self, term: str) -> str | None:
        return self.terms.get(term) or self.terms.get(term.casefold())


@cache
def _load(path: str) -> Glossary:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise Invalid(f"cannot read the glossary {path}: {exc}") from None
    terms = data.get("terms") or {}
    if not isinstance(terms, dict):
        raise Invalid(f"{path}: `terms` must map each term to its English meaning")
    return Glossary({str(k).casefold(): str(v) for k, v in terms.items()} | {str(k): str(v) for k, v in terms.items()})


def load_glossary(path: Path | None = None) -> Glossary:
    return _load(str(path or DEFAULT_GLOSSARY))


def _is_english(term: str) -> bool:
    return term.isascii()


def gloss(
    evidence: dict | None,
    indicators: dict | None,
    lang: str | None,
    sentiment_label: str | None,
    category_names: dict[str, str],
    glossary: Glossary | None = None,
) -> str:
    """One English sentence about a post: categories with their matched terms, indicators, tone."""
    glossary = glossary or load_glossary()
    parts = []
    for cid, hit in (evidence or {}).items():
        if cid == "model" or not isinstance(hit, dict):
            continue
        terms = []
        untranslated = False
        for term in (hit.get("terms") or [])[:4]:
            meaning = glossary.meaning(term)
            if meaning:
                terms.append(f"'{term}' ({meaning})")
            else:
                terms.append(f"'{term}'")
                untranslated = untranslated or not _is_english(term)
        name = category_names.get(cid, cid.replace("_", " "))
        text = f"Matched {name}" + (": " + ", ".join(terms) if terms else "")
        if untranslated:
            text += f" ({language_name(lang)})"
        parts.append(text)
    found = []
    for kind, (one, many) in KIND_WORDS.items():
        values = (indicators or {}).get(kind) or []
        if not values:
            continue
        words = one if len(values) == 1 else many.format(n=len(values))
        if kind in SHOW_VALUES:
            words += " (" + ", ".join(str(v) for v in values[:3]) + ")"
        found.append(words)
    if found:
        parts.append("found: " + ", ".join(found))
    if sentiment_label:
        parts.append(f"tone {sentiment_label}")
    return ("; ".join(parts) + ".") if parts else ""
