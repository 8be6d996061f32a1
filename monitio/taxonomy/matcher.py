"""All taxonomy rules compiled into one query-engine `RuleSet`, matched per post by category.

The query engine (`monitio.query`) does the work: each post is normalised and tokenised once, and
only the rules whose anchor terms occur in it are evaluated. Whole words in spaced scripts (so
"scampi" is not "scam"), substrings inside Thai, Lao, Burmese, Khmer, Japanese and Chinese runs,
Latin accents ignored except in Vietnamese; see docs/query-language.md.

>>> from monitio.taxonomy.loader import load_taxonomy
>>> m = RuleMatcher(load_taxonomy())
>>> sorted(m.match("This ad is a SCAM, they promise guaranteed profit"))
['scam_ads']
>>> m.match("I had scampi for lunch")
{}
>>> hit = m.match("โดนหลอกลงทุนจากโฆษณาปลอม")["scam_ads"]
>>> hit.rule, sorted(hit.terms)
('scam_ads.th', ['หลอกลงทุน', 'โฆษณาปลอม', 'โดนหลอก'])
"""

from __future__ import annotations

from monitio.query import RuleSet, compile_many
from monitio.records import CategoryHit, Doc
from monitio.taxonomy.loader import Rule, Taxonomy


class RuleMatcher:
    """All rules of a taxonomy, compiled once for matching many posts."""

    def __init__(self, taxonomy: Taxonomy):
        self.taxonomy = taxonomy
        self.rules: dict[str, Rule] = {r.id: r for r in taxonomy.rules}
        self.ruleset: RuleSet = compile_many({r.id: r.query for r in taxonomy.rules})

    def hits(self, found: dict[str, list[str]]) -> dict[str, CategoryHit]:
        """Rule matches ({rule id: terms}, in file order) grouped by category.

        A category's hit names its first matching rule (file order) and carries the distinct terms of
        all its matching rules; the weight is the number of those terms (at least 1).
        """
        out: dict[str, CategoryHit] = {}
        for rid, terms in found.items():
            cat = self.rules[rid].category
            hit = out.get(cat)
            if hit is None:
                out[cat] = CategoryHit(cat, rid, list(terms), float(max(1, len(terms))))
            else:
                hit.terms += [t for t in terms if t not in hit.terms]
                hit.weight = float(max(1, len(hit.terms)))
        return out

    def match(self, text: str, lang: str | None = None) -> dict[str, CategoryHit]:
        """Categories whose rules match bare text (field filters such as `lang:` see no metadata)."""
        return self.hits(self.ruleset.match_text(text, lang))

    def match_doc(self, doc: Doc) -> dict[str, CategoryHit]:
        """Categories whose rules match a post, text and metadata (`lang:`, `market:`, `has:`, ...)."""
        return self.hits(self.ruleset.match(doc))

    def match_rules(self, text: str, lang: str | None = None) -> dict[str, list[str]]:
        """{rule id: matched terms} for every matching rule (for tuning rules one by one)."""
        return self.ruleset.match_text(text, lang)
