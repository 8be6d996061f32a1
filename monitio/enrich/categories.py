"""Risk categories from the taxonomy, with the rule and terms that matched stored as evidence."""

from __future__ import annotations

from monitio.records import CategoryHit, Doc
from monitio.taxonomy.loader import Taxonomy, load_taxonomy
from monitio.taxonomy.matcher import RuleMatcher


class CategoryStage:
    """Fills `doc.categories` from the taxonomy's keyword rules (all languages apply to every post).

    >>> stage = CategoryStage(load_taxonomy())
    >>> sorted(stage.match_text("Refund belum masuk, uang tidak kembali"))
    ['payments_refunds']
    """

    name = "categories"

    def __init__(self, taxonomy: Taxonomy):
        self.taxonomy = taxonomy
        self.matcher = RuleMatcher(taxonomy)

    @classmethod
    def from_settings(cls, settings) -> CategoryStage:
        return cls(load_taxonomy(getattr(settings, "taxonomy", None)))

    def match_text(self, text: str) -> dict[str, CategoryHit]:
        return self.matcher.match(text)

    def process(self, docs: list[Doc]) -> None:
        match = self.matcher.match
        for d in docs:
            d.categories = match(d.text)
