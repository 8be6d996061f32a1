"""Fast matching of all taxonomy rules against a text, compiled once.

Text and terms are normalised the same way (`normalise`: NFKC, case-folded, zero-width characters
removed, whitespace collapsed; accents and Vietnamese tones are kept). Then:

* spaced scripts (Latin, Devanagari, Bengali, Tamil, Telugu, Arabic, ...) match whole words: the
  text's words are looked up in one dictionary, and word sequences are extended only while they are
  the start of some multi-word term, so "scampi" never matches "scam";
* unspaced scripts (Thai, Lao, Burmese, Khmer, Japanese, Chinese) and Hangul (whose words take
  attached particles) match as substrings, with spaces between two such characters ignored, through
  one trie-shaped regex searched again from each match's next character, so overlapping terms are
  all found.

>>> from monitio.taxonomy.loader import load_taxonomy
>>> m = RuleMatcher(load_taxonomy())
>>> sorted(m.match("This ad is a SCAM, they promise guaranteed profit"))
['scam_ads']
>>> m.match("I had scampi for lunch")
{}
>>> m.match("โดนหลอกลงทุนจากโฆษณาปลอม")["scam_ads"].terms
['โฆษณาปลอม', 'หลอกลงทุน', 'โดนหลอก']
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict

from monitio.records import CategoryHit
from monitio.taxonomy.loader import Rule, Taxonomy

UNSPACED = "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\u1100-\u11ff\uf900-\ufaff"
"""Thai, Lao, Burmese, Khmer, kana, CJK ideographs and Hangul: matched as substrings."""
# Word characters, plus the combining marks of Indic and Arabic scripts (which `\w` lacks) without
# their punctuation (danda, Arabic comma, ...). Unspaced scripts and '_' are blanked out first.
WORD_RE = re.compile(r"[\w\u0300-\u036f\u0900-\u0963\u0966-\u0dff\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]+")
NOT_WORD_RE = re.compile(f"[_{UNSPACED}]+")
UNSPACED_RE = re.compile(f"[{UNSPACED}]")
GLUE_RE = re.compile(f"(?<=[{UNSPACED}]) (?=[{UNSPACED}])")
ZERO_WIDTH_RE = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff]")

ANY, NOT = -1, -2  # slots of a term in its rule; groups of `all` use 0, 1, ...


def normalise(text: str) -> str:
    """NFKC, case-folded, zero-width characters removed, whitespace collapsed.

    >>> normalise("  ＳＣＡＭ\u200b  Ad ")
    'scam ad'
    """
    return " ".join(ZERO_WIDTH_RE.sub("", unicodedata.normalize("NFKC", text).casefold()).split())


def words(norm: str, unspaced: bool = True) -> list[str]:
    """The spaced-script words of normalised text (hyphens, apostrophes and unspaced scripts split).

    `unspaced=False` promises the text has no unspaced-script characters (a faster path).

    >>> words("na-scam ako, don't 这个ad")
    ['na', 'scam', 'ako', 'don', 't', 'ad']
    """
    return WORD_RE.findall(NOT_WORD_RE.sub(" ", norm) if unspaced else norm.replace("_", " "))


def dense(norm: str) -> str:
    """Normalised text with the spaces between two unspaced-script characters removed."""
    return GLUE_RE.sub("", norm)


def is_substring_term(norm_term: str) -> bool:
    """A term containing any Thai/Burmese/Khmer/CJK/Hangul character is matched as a substring."""
    return UNSPACED_RE.search(norm_term) is not None


def _trie_regex(terms: list[str]) -> str:
    """One regex for the longest of `terms` at a position, shared prefixes factored out.

    >>> _trie_regex(["ab", "abc", "ad"])
    'a(?:bc?|d)'
    """
    trie: dict = {}
    for term in terms:
        node = trie
        for ch in term:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" not in node:
            return body
        return body + "?" if len(branches) == 1 and len(branches[0]) == 1 else f"(?:{body})?"

    return build(trie)


class RuleMatcher:
    """All rules of a taxonomy, compiled for matching many texts."""

    def __init__(self, taxonomy: Taxonomy):
        self.taxonomy = taxonomy
        self.rules: list[Rule] = taxonomy.rules
        # normalised term -> [(rule index, slot, term as written in the rule)]
        self._word_terms: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
        self._sub_terms: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
        self._order: dict[tuple[int, str], int] = {}
        for ri, rule in enumerate(self.rules):
            slots = [(t, ANY) for t in rule.any] + [(t, NOT) for t in rule.not_]
            slots += [(t, k) for k, group in enumerate(rule.all) for t in group]
            for term, slot in slots:
                key = normalise(term)
                if is_substring_term(key):
                    self._sub_terms[dense(key)].append((ri, slot, term))
                else:
                    key = " ".join(words(key))
                    if key:
                        self._word_terms[key].append((ri, slot, term))
                self._order.setdefault((ri, term), len(self._order))
        prefixes = {
            " ".join(parts[:n])
            for key in self._word_terms
            if len(parts := key.split()) > 1
            for n in range(1, len(parts))
        }
        # one lookup per word: (entries of the word as a term, whether it starts a longer term)
        self._words: dict[str, tuple[list[tuple[int, int, str]], bool]] = {
            key: (self._word_terms.get(key, []), key in prefixes) for key in set(self._word_terms) | prefixes
        }
        self._sub_re = re.compile(_trie_regex(list(self._sub_terms))) if self._sub_terms else None

    def _found(self, text: str) -> dict[tuple[int, int], set[str]]:
        """(rule index, slot) -> the rule's terms seen in the text."""
        norm = ZERO_WIDTH_RE.sub("", unicodedata.normalize("NFKC", text).casefold())
        unspaced = UNSPACED_RE.search(norm) is not None
        found: dict[tuple[int, int], set[str]] = defaultdict(set)
        lookup = self._words
        ws = words(norm, unspaced)
        n = len(ws)
        for i, w in enumerate(ws):
            entry = lookup.get(w)
            if entry is None:
                continue
            for ri, slot, term in entry[0]:
                found[ri, slot].add(term)
            j, gram = i + 1, w
            while entry[1] and j < n:  # w starts a multi-word term: extend while still a prefix
                gram = gram + " " + ws[j]
                j += 1
                entry = lookup.get(gram)
                if entry is None:
                    break
                for ri, slot, term in entry[0]:
                    found[ri, slot].add(term)
        if unspaced and self._sub_re is not None:
            self._find_substrings(dense(" ".join(norm.split())), found)
        return found

    def _find_substrings(self, d: str, found: dict[tuple[int, int], set[str]]) -> None:
        # The trie regex finds the longest term starting at the first possible position (scanning in
        # C); every shorter term starting there is one of its prefixes; then search again one
        # character further, so overlapping terms are found too.
        search, subs = self._sub_re.search, self._sub_terms
        m = search(d)
        while m is not None:
            longest = m.group()
            for k in range(len(longest), 0, -1):
                entries = subs.get(longest[:k])
                if entries:
                    for ri, slot, term in entries:
                        found[ri, slot].add(term)
            m = search(d, m.start() + 1)

    def match(self, text: str) -> dict[str, CategoryHit]:
        """Categories whose rules match: the first matching rule (file order) and all matched terms.

        The hit's weight is the number of distinct terms seen across the category's matching rules.
        """
        found = self._found(text)
        if not found:
            return {}
        by_rule: dict[int, dict[int, set[str]]] = defaultdict(dict)
        for (ri, slot), terms in found.items():
            by_rule[ri][slot] = terms
        hits: dict[str, CategoryHit] = {}
        for ri in sorted(by_rule):
            rule, slots = self.rules[ri], by_rule[ri]
            if NOT in slots:
                continue
            if rule.any:
                if ANY not in slots:
                    continue
                terms = slots[ANY]
            else:
                if any(k not in slots for k in range(len(rule.all))):
                    continue
                terms = set().union(*(slots[k] for k in range(len(rule.all))))
            ordered = sorted(terms, key=lambda t, ri=ri: self._order[ri, t])
            hit = hits.get(rule.category)
            if hit is None:
                hits[rule.category] = CategoryHit(rule.category, rule.id, ordered, float(len(ordered)))
            else:
                hit.terms += [t for t in ordered if t not in hit.terms]
                hit.weight = float(len(hit.terms))
        return hits
