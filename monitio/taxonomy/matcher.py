"""Fast matching of all taxonomy rules against a text, compiled once.

Spaced scripts (Latin, Devanagari, Arabic, Bengali, Tamil, Telugu, ...) match whole words: the text's
word n-grams (up to the longest term) are looked up in one dictionary. Unspaced scripts (Thai,
Burmese, Khmer, Japanese, Chinese) and Hangul match as substrings with one compiled regex using a
look-ahead, so overlapping terms are all found.

>>> from monitio.taxonomy.loader import load_taxonomy
>>> m = RuleMatcher(load_taxonomy())
>>> sorted(m.match("This ad is a SCAM, they promise guaranteed profit"))
['scam_ads']
>>> m.match("I had scampi for lunch")
{}
>>> sorted(m.match("โดนหลอกลงทุนจากโฆษณาปลอม"))
['scam_ads']
"""

from __future__ import annotations

import re
from collections import defaultdict

from monitio.enrich.textnorm import fold, is_unspaced
from monitio.records import CategoryHit
from monitio.taxonomy.loader import Rule, Taxonomy

WORD_RE = re.compile(r"[\w\u0900-\u0DFF\u0600-\u06FF\u0750-\u077F'’-]+")


class RuleMatcher:
    """All rules of a taxonomy, compiled for matching many texts."""

    def __init__(self, taxonomy: Taxonomy):
        self.taxonomy = taxonomy
        self.rules: list[Rule] = taxonomy.rules
        # term -> list of (rule index, slot) where slot is -1 for `any`, -2 for `not`, k for all-group k
        self._word_terms: dict[str, list[tuple[int, int]]] = defaultdict(list)
        self._sub_terms: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for ri, rule in enumerate(self.rules):
            slots = [(t, -1) for t in rule.any] + [(t, -2) for t in rule.not_]
            slots += [(t, k) for k, group in enumerate(rule.all) for t in group]
            for term, slot in slots:
                key = fold(term)
                if is_unspaced(key):
                    self._sub_terms[key].append((ri, slot))
                else:
                    self._word_terms[" ".join(WORD_RE.findall(key))].append((ri, slot))
        self._max_words = max((len(k.split()) for k in self._word_terms), default=1)
        subs = sorted(self._sub_terms, key=len, reverse=True)
        self._sub_re = re.compile("(?=(" + "|".join(map(re.escape, subs)) + "))") if subs else None
        self._has_unspaced = re.compile(
            "[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\u1100-\u11ff\uf900-\ufaff]"
        )

    def _hits(self, text: str) -> dict[tuple[int, int], set[str]]:
        norm = fold(text)
        found: dict[tuple[int, int], set[str]] = defaultdict(set)
        words = WORD_RE.findall(norm)
        lookup = self._word_terms
        for i in range(len(words)):
            gram = words[i]
            for n in range(1, self._max_words + 1):
                if n > 1:
                    if i + n > len(words):
                        break
                    gram = gram + " " + words[i + n - 1]
                slots = lookup.get(gram)
                if slots:
                    for slot in slots:
                        found[slot].add(gram)
        if self._sub_re is not None and self._has_unspaced.search(norm):
            for m in self._sub_re.finditer(norm):
                term = m.group(1)
                for slot in self._sub_terms[term]:
                    found[slot].add(term)
                # the longest alternative wins at a position; shorter terms starting here are checked too
                for k in range(len(term) - 1, 0, -1):
                    sub = norm[m.start() : m.start() + k]
                    if sub in self._sub_terms:
                        for slot in self._sub_terms[sub]:
                            found[slot].add(sub)
        return found

    def match(self, text: str) -> dict[str, CategoryHit]:
        """Categories whose rules match, each with the first matching rule and all matched terms."""
        found = self._hits(text)
        if not found:
            return {}
        by_rule: dict[int, dict[int, set[str]]] = defaultdict(dict)
        for (ri, slot), terms in found.items():
            by_rule[ri][slot] = terms
        hits: dict[str, CategoryHit] = {}
        for ri in sorted(by_rule):
            rule, slots = self.rules[ri], by_rule[ri]
            if -2 in slots:
                continue
            if rule.any:
                if -1 not in slots:
                    continue
                terms = slots[-1]
            else:
                if any(k not in slots for k in range(len(rule.all))):
                    continue
                terms = set().union(*(slots[k] for k in range(len(rule.all))))
            hit = hits.get(rule.category)
            if hit is None:
                hits[rule.category] = CategoryHit(rule.category, rule.id, sorted(terms), float(len(terms)))
            else:
                merged = sorted(set(hit.terms) | terms)
                hit.terms, hit.weight = merged, float(len(merged))
        return hits
